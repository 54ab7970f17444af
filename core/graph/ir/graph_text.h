// A readable one-line-per-node rendering of a graph, for `keel run --dump-passes` and test failure
// messages:
//
//   graph 'mlp': 2 inputs, 1 output, 4 nodes, 2 constants
//     input  x: f32[8,784]
//     const  w1: f32[784,128]
//     y1: f32[8,128] = matmul(x, w1)
//     y2: f32[8,128] = fused_elementwise(y1, b1) { t0 = add(in0, in1); t1 = relu(t0) }
//     output y2
#pragma once

#include <string>

#include "graph/ir/graph.h"

namespace keel::graph {

std::string format_attr(const Graph& graph, const AttrValue& value);
std::string format_node(const Graph& graph, const Node& node);
std::string format_graph(const Graph& graph);

}  // namespace keel::graph
