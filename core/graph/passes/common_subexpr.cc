#include "graph/passes/common_subexpr.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <vector>

namespace keel::graph {
namespace {

bool is_graph_output(const Graph& graph, ValueId id) {
  return std::find(graph.outputs.begin(), graph.outputs.end(), id) != graph.outputs.end();
}

bool same_body(const std::vector<FusedStep>& a, const std::vector<FusedStep>& b) {
  if (a.size() != b.size()) return false;
  for (size_t s = 0; s < a.size(); ++s) {
    if (a[s].op != b[s].op || a[s].inputs != b[s].inputs || a[s].attrs != b[s].attrs || a[s].dtype != b[s].dtype) {
      return false;
    }
  }
  return true;
}

bool same_call(const Node& a, const Node& b) {
  return a.op == b.op && a.version == b.version && a.inputs == b.inputs && a.attrs == b.attrs &&
         a.device == b.device && a.outputs.size() == b.outputs.size() && same_body(a.body, b.body);
}

// Merges constants with identical type and bits into the first of them. Graph inputs are never merged.
size_t merge_constants(Graph& graph) {
  // Bucketed by (dtype, byte count) so only plausible pairs compare their bytes.
  std::map<std::pair<int, size_t>, std::vector<ValueId>> seen;
  size_t merged = 0;
  for (size_t i = 0; i < graph.values.size(); ++i) {
    const Value& v = graph.values[i];
    const ValueId id = static_cast<ValueId>(i);
    if (!v.is_constant() || is_graph_output(graph, id)) continue;  // an output keeps its name
    std::vector<ValueId>& bucket = seen[{static_cast<int>(v.constant->dtype()), v.constant->nbytes()}];
    bool replaced = false;
    for (ValueId first : bucket) {
      if (graph.value(first).constant->same_bits(*v.constant)) {
        graph.replace_uses(id, first);
        ++merged;
        replaced = true;
        break;
      }
    }
    if (!replaced) bucket.push_back(id);
  }
  return merged;
}

}  // namespace

PassResult eliminate_common_subexpressions(Graph& graph) {
  const size_t constants = merge_constants(graph);
  // Candidates are found by (op, first input); nodes are in topological order, so a node's inputs are final
  // (already replaced) when it is visited.
  std::map<std::tuple<std::string, ValueId, size_t>, std::vector<size_t>> seen;
  std::vector<char> drop(graph.nodes.size(), 0);
  size_t merged = 0;
  for (size_t n = 0; n < graph.nodes.size(); ++n) {
    const Node& node = graph.nodes[n];
    const bool names_an_output = std::any_of(node.outputs.begin(), node.outputs.end(),
                                             [&](ValueId out) { return is_graph_output(graph, out); });
    const ValueId first_input = node.inputs.empty() ? kNoValue : node.inputs[0];
    std::vector<size_t>& bucket = seen[{node.op, first_input, node.inputs.size()}];
    bool replaced = false;
    for (size_t earlier : bucket) {
      if (names_an_output) break;  // a graph output keeps its own producer and name
      const Node& kept = graph.nodes[earlier];
      if (!same_call(kept, node)) continue;
      for (size_t o = 0; o < node.outputs.size(); ++o) graph.replace_uses(node.outputs[o], kept.outputs[o]);
      drop[n] = 1;
      ++merged;
      replaced = true;
      break;
    }
    if (!replaced) bucket.push_back(n);
  }
  std::vector<Node> nodes;
  for (size_t n = 0; n < graph.nodes.size(); ++n) {
    if (!drop[n]) nodes.push_back(std::move(graph.nodes[n]));
  }
  graph.nodes = std::move(nodes);
  graph.compact_values();
  graph.rebuild_producers();
  return {"common-subexpressions", constants + merged,
          "merged " + std::to_string(merged) + " repeated nodes and " + std::to_string(constants) +
              " repeated constants"};
}

}  // namespace keel::graph
