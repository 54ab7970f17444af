// Elementwise-chain fusion: a chain of elementwise spec calls (unary, binary, activations, comparisons,
// logical, where/clamp, cast) in which each result feeds only the next call becomes one fused node
// (graph/ir/graph.h kFusedOp) whose body lists the calls. The executor runs a fused node tile by tile, so
// the chain reads its inputs and writes its output once instead of once per call.
//
// A link is fused when the result has exactly one reader (and is not a graph output), both calls produce the
// same static shape, neither binds an attribute to a value, and both carry the same placement hint.
#pragma once

#include <string_view>

#include "graph/ir/graph.h"
#include "graph/passes/pass.h"

namespace keel::graph {

// Whether `op` is a spec operator this pass may put in a fused body.
bool is_fusible_elementwise(std::string_view op);

PassResult fuse_elementwise_chains(Graph& graph);

}  // namespace keel::graph
