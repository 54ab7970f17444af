#include "graph/passes/fuse_elementwise.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace keel::graph {
namespace {

// The spec groups whose operators are elementwise: every output element depends on the input elements at
// the same (broadcast) position only.
const std::set<std::string, std::less<>>& elementwise_groups() {
  static const std::set<std::string, std::less<>> groups = {
      "elementwise_unary", "elementwise_binary", "activations", "comparison", "logical", "selection", "cast"};
  return groups;
}

bool fusible(const Graph& graph, const Node& node) {
  if (node.is_fused() || node.schema == nullptr || node.outputs.size() != 1) return false;
  if (!elementwise_groups().count(node.schema->group)) return false;
  for (ValueId id : node.inputs) {
    if (id == kNoValue) return false;
  }
  for (const auto& [name, attr] : node.attrs) {
    if (attr.is_ref()) return false;
  }
  return graph.value(node.outputs[0]).type.is_static();
}

// Builds the fused node for `chain` (node indices in order; each reads the previous one's result).
Node fused_node(const Graph& graph, const std::vector<size_t>& chain) {
  Node fused;
  fused.op = std::string(kFusedOp);
  fused.name = "fused_" + graph.nodes[chain.front()].name;
  fused.device = graph.nodes[chain.front()].device;
  for (size_t k = 0; k < chain.size(); ++k) {
    const Node& node = graph.nodes[chain[k]];
    FusedStep step;
    step.op = node.op;
    step.schema = node.schema;
    step.attrs = node.attrs;
    step.dtype = graph.value(node.outputs[0]).type.dtype;
    for (ValueId in : node.inputs) {
      std::optional<int32_t> ref;  // an earlier step's result, else one of the fused node's inputs
      for (size_t j = 0; j < k; ++j) {
        if (graph.nodes[chain[j]].outputs[0] == in) ref = step_ref(j);
      }
      if (!ref) {
        auto found = std::find(fused.inputs.begin(), fused.inputs.end(), in);
        ref = static_cast<int32_t>(found - fused.inputs.begin());
        if (found == fused.inputs.end()) fused.inputs.push_back(in);
      }
      step.inputs.push_back(*ref);
    }
    fused.body.push_back(std::move(step));
  }
  fused.outputs = {graph.nodes[chain.back()].outputs[0]};
  return fused;
}

}  // namespace

bool is_fusible_elementwise(std::string_view op) {
  const spec::OpSchema* schema = spec::find_op(op);
  return schema != nullptr && elementwise_groups().count(schema->group) > 0 && schema->output_count == 1;
}

PassResult fuse_elementwise_chains(Graph& graph) {
  graph.rebuild_producers();
  // Per value: the nodes reading it, once per read.
  std::vector<std::vector<size_t>> readers(graph.values.size());
  for (size_t n = 0; n < graph.nodes.size(); ++n) {
    for (ValueId id : Graph::reads(graph.nodes[n])) {
      if (graph.valid_value(id)) readers[static_cast<size_t>(id)].push_back(n);
    }
  }
  std::vector<char> is_output(graph.values.size(), 0);
  for (ValueId id : graph.outputs) {
    if (graph.valid_value(id)) is_output[static_cast<size_t>(id)] = 1;
  }
  std::vector<char> in_chain(graph.nodes.size(), 0);
  std::vector<std::vector<size_t>> chains;
  for (size_t n = 0; n < graph.nodes.size(); ++n) {
    if (in_chain[n] || !fusible(graph, graph.nodes[n])) continue;
    std::vector<size_t> chain = {n};
    const ValueType& shape = graph.value(graph.nodes[n].outputs[0]).type;
    for (;;) {
      const ValueId result = graph.nodes[chain.back()].outputs[0];
      const std::vector<size_t>& next = readers[static_cast<size_t>(result)];
      if (next.empty() || is_output[static_cast<size_t>(result)]) break;
      const size_t consumer = next.front();
      if (!std::all_of(next.begin(), next.end(), [&](size_t r) { return r == consumer; })) break;
      const Node& node = graph.nodes[consumer];
      if (in_chain[consumer] || !fusible(graph, node) || node.device != graph.nodes[n].device) break;
      if (graph.value(node.outputs[0]).type.shape() != shape.shape()) break;
      chain.push_back(consumer);
    }
    if (chain.size() < 2) continue;
    for (size_t c : chain) in_chain[c] = 1;
    chains.push_back(std::move(chain));
  }
  // Each fused node takes the place of its chain's last call; the other calls go.
  std::vector<int32_t> replaced_by(graph.nodes.size(), -1);
  std::vector<Node> fused;
  for (size_t c = 0; c < chains.size(); ++c) {
    fused.push_back(fused_node(graph, chains[c]));
    replaced_by[chains[c].back()] = static_cast<int32_t>(c);
  }
  size_t fused_calls = 0;
  for (const auto& chain : chains) fused_calls += chain.size();
  std::vector<Node> nodes;
  for (size_t n = 0; n < graph.nodes.size(); ++n) {
    if (replaced_by[n] >= 0) {
      fused[static_cast<size_t>(replaced_by[n])].name = graph.unique_node_name(fused[static_cast<size_t>(replaced_by[n])].name);
      nodes.push_back(std::move(fused[static_cast<size_t>(replaced_by[n])]));
    } else if (!in_chain[n]) {
      nodes.push_back(std::move(graph.nodes[n]));
    }
  }
  graph.nodes = std::move(nodes);
  graph.compact_values();
  graph.rebuild_producers();
  return {"fuse-elementwise", chains.size(),
          "fused " + std::to_string(fused_calls) + " elementwise calls into " + std::to_string(chains.size()) +
              " chains"};
}

}  // namespace keel::graph
