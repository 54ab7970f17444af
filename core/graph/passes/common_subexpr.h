// Common-subexpression elimination: constants with the same type and bits become one, then nodes that apply
// the same operator (version, attributes, placement hint, fused body) to the same inputs become one; the
// later node's uses read the earlier node's outputs and the later node goes. Attribute floats compare
// bitwise, so two calls are merged only when they are the same call.
#pragma once

#include "graph/ir/graph.h"
#include "graph/passes/pass.h"

namespace keel::graph {

PassResult eliminate_common_subexpressions(Graph& graph);

}  // namespace keel::graph
