#include "graph/passes/dead_code.h"

#include <vector>

namespace keel::graph {

PassResult eliminate_dead_code(Graph& graph) {
  graph.rebuild_producers();
  std::vector<char> live_value(graph.values.size(), 0);
  for (ValueId id : graph.outputs) {
    if (graph.valid_value(id)) live_value[static_cast<size_t>(id)] = 1;
  }
  // Nodes are in topological order: walking backwards sees every reader before its producers.
  std::vector<char> live_node(graph.nodes.size(), 0);
  for (size_t n = graph.nodes.size(); n-- > 0;) {
    const Node& node = graph.nodes[n];
    bool used = false;
    for (ValueId out : node.outputs) used = used || (graph.valid_value(out) && live_value[static_cast<size_t>(out)]);
    if (!used) continue;
    live_node[n] = 1;
    for (ValueId in : Graph::reads(node)) {
      if (graph.valid_value(in)) live_value[static_cast<size_t>(in)] = 1;
    }
  }
  std::vector<Node> kept;
  size_t removed = 0;
  for (size_t n = 0; n < graph.nodes.size(); ++n) {
    if (live_node[n]) {
      kept.push_back(std::move(graph.nodes[n]));
    } else {
      ++removed;
    }
  }
  graph.nodes = std::move(kept);
  const size_t values_before = graph.values.size();
  graph.compact_values();
  graph.rebuild_producers();
  const size_t values_removed = values_before - graph.values.size();
  return {"dead-code", removed + values_removed,
          "removed " + std::to_string(removed) + " nodes and " + std::to_string(values_removed) +
              " values (constants included) that no graph output needs"};
}

}  // namespace keel::graph
