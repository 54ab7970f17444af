// Constant folding: a node that reads only constants (inputs and attributes bound to values) is computed once,
// on a device of the given runtime, and its outputs become constants. Nodes whose outputs would exceed the
// size limit stay (folding must not blow up the graph), as do nodes the device cannot compute (the reason is
// in the summary). Chains fold in one pass: nodes are visited in topological order.
#pragma once

#include <cstdint>
#include <string>

#include "graph/ir/graph.h"
#include "graph/passes/pass.h"
#include "keel/keel.hpp"

namespace keel::graph {

struct ConstantFoldOptions {
  std::string device;                      // where folded nodes run ("" = the runtime's first device)
  uint64_t max_output_bytes = 16u << 20;   // per node, summed over its outputs
};

PassResult fold_constants(Graph& graph, const Runtime& runtime, const ConstantFoldOptions& options = {});

}  // namespace keel::graph
