// Dead-code elimination: removes every node none of whose outputs reaches a graph output, then the values
// and constants nothing refers to any more. Spec operators have no side effects (random operators take
// explicit seeds), so an unused result is never needed.
#pragma once

#include "graph/ir/graph.h"
#include "graph/passes/pass.h"

namespace keel::graph {

PassResult eliminate_dead_code(Graph& graph);

}  // namespace keel::graph
