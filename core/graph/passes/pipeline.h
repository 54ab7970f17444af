// The standard pass pipeline: constant folding, common-subexpression elimination, dead-code elimination,
// elementwise-chain fusion, each followed by validation (which re-infers types and re-sorts the nodes), so a
// pass that broke the graph is named at once. `keel run --dump-passes` prints the graph after each.
#pragma once

#include <functional>
#include <vector>

#include "graph/ir/graph.h"
#include "graph/passes/constant_fold.h"
#include "graph/passes/pass.h"

namespace keel::graph {

struct PipelineOptions {
  const Runtime* runtime = nullptr;  // where constants are folded; folding is skipped without one
  ConstantFoldOptions fold;
  bool fold_constants = true;
  bool eliminate_common_subexpressions = true;
  bool eliminate_dead_code = true;
  bool fuse_elementwise = true;
};

using PassObserver = std::function<void(const PassResult& result, const Graph& graph)>;

// Validates `graph`, then runs the enabled passes in order. Throws keel::Error when the graph is invalid,
// or (INTERNAL) naming the pass after which it no longer validates.
std::vector<PassResult> optimize(Graph& graph, const PipelineOptions& options = {}, const PassObserver& after_each = {});

}  // namespace keel::graph
