#include "graph/passes/constant_fold.h"

#include <memory>
#include <vector>

#include "graph/exec/executor.h"
#include "graph/ir/errors.h"
#include "graph/passes/memory_plan.h"

namespace keel::graph {
namespace {

bool reads_only_constants(const Graph& graph, const Node& node) {
  for (ValueId id : Graph::reads(node)) {
    if (!graph.valid_value(id) || !graph.value(id).is_constant()) return false;
  }
  return true;
}

// Summed output bytes when every output type is static; -1 otherwise.
int64_t static_output_bytes(const Graph& graph, const Node& node) {
  int64_t total = 0;
  for (ValueId id : node.outputs) {
    const ValueType& type = graph.value(id).type;
    if (!type.is_static()) return -1;
    total += static_cast<int64_t>(type.byte_size());
  }
  return total;
}

// The node alone in a graph of its own: its constant reads as constants, its outputs as graph outputs.
Graph single_node_graph(const Graph& graph, const Node& node) {
  Graph sub;
  sub.name = graph.name + "/" + node.name;
  std::vector<ValueId> remap(graph.values.size(), kNoValue);
  for (ValueId id : Graph::reads(node)) {
    if (remap[static_cast<size_t>(id)] == kNoValue) {
      remap[static_cast<size_t>(id)] = sub.add_constant(graph.value(id).name, graph.value(id).constant);
    }
  }
  Node copy = node;
  for (ValueId& id : copy.inputs) {
    if (id != kNoValue) id = remap[static_cast<size_t>(id)];
  }
  for (auto& [name, attr] : copy.attrs) {
    if (attr.is_ref()) attr.ref = remap[static_cast<size_t>(attr.ref)];
  }
  copy.outputs.clear();
  for (ValueId id : node.outputs) copy.outputs.push_back(sub.add_value(graph.value(id).name, graph.value(id).type));
  sub.outputs = copy.outputs;
  sub.add_node(std::move(copy));
  return sub;
}

}  // namespace

PassResult fold_constants(Graph& graph, const Runtime& runtime, const ConstantFoldOptions& options) {
  PassResult result{"constant-folding", 0, ""};
  uint64_t folded_bytes = 0;
  size_t too_large = 0;
  std::string declined;
  std::vector<char> drop(graph.nodes.size(), 0);
  for (size_t n = 0; n < graph.nodes.size(); ++n) {
    const Node& node = graph.nodes[n];
    if (!reads_only_constants(graph, node)) continue;
    const int64_t bytes = static_output_bytes(graph, node);
    if (bytes < 0 || static_cast<uint64_t>(bytes) > options.max_output_bytes) {
      too_large += bytes < 0 ? 0 : 1;
      continue;
    }
    std::vector<HostTensor> outputs;
    try {
      ExecutorOptions exec;
      exec.device = options.device;
      exec.profile = false;
      exec.plan_memory = false;
      exec.log = [](const std::string&) {};
      Executor executor(runtime, single_node_graph(graph, node), exec);
      outputs = executor.run({});
    } catch (const Error& error) {
      if (declined.empty()) declined = "; not folded: node '" + node.name + "' (" + node.op + "): " + error_text(error);
      continue;
    }
    for (size_t o = 0; o < node.outputs.size(); ++o) {
      Value& value = graph.value(node.outputs[o]);
      value.type = outputs[o].type();
      value.constant = std::make_shared<const HostTensor>(std::move(outputs[o]));
      value.producer = kNoNode;
    }
    folded_bytes += static_cast<uint64_t>(bytes);
    drop[n] = 1;
    ++result.changes;
  }
  std::vector<Node> kept;
  for (size_t n = 0; n < graph.nodes.size(); ++n) {
    if (!drop[n]) kept.push_back(std::move(graph.nodes[n]));
  }
  graph.nodes = std::move(kept);
  graph.rebuild_producers();
  result.summary = "folded " + std::to_string(result.changes) + " nodes into constants (" + format_bytes(folded_bytes) + ")";
  if (too_large > 0) result.summary += "; " + std::to_string(too_large) + " left: outputs over the size limit";
  result.summary += declined;
  return result;
}

}  // namespace keel::graph
