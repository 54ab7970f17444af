#include "graph/ir/graph.h"

#include <algorithm>
#include <queue>

#include "keel/keel.hpp"

namespace keel::graph {
namespace {

std::string with_suffix(std::string_view base, size_t n) {
  return std::string(base) + "_" + std::to_string(n);
}

}  // namespace

void Graph::refresh_indexes() const {
  if (indexed_values_ > values.size()) {
    value_index_.clear();
    indexed_values_ = 0;
  }
  for (; indexed_values_ < values.size(); ++indexed_values_) {
    value_index_.emplace(values[indexed_values_].name, static_cast<ValueId>(indexed_values_));
  }
  if (indexed_nodes_ > nodes.size()) {
    node_names_.clear();
    indexed_nodes_ = 0;
  }
  for (; indexed_nodes_ < nodes.size(); ++indexed_nodes_) node_names_.insert(nodes[indexed_nodes_].name);
}

std::string Graph::unique_value_name(std::string_view base) const {
  refresh_indexes();
  const std::string_view stem = base.empty() ? std::string_view("v") : base;
  if (!base.empty() && value_index_.find(base) == value_index_.end()) return std::string(base);
  for (size_t n = 1;; ++n) {
    std::string candidate = with_suffix(stem, n);
    if (value_index_.find(candidate) == value_index_.end()) return candidate;
  }
}

std::string Graph::unique_node_name(std::string_view base) const {
  refresh_indexes();
  const std::string_view stem = base.empty() ? std::string_view("node") : base;
  if (!base.empty() && node_names_.find(base) == node_names_.end()) return std::string(base);
  for (size_t n = 1;; ++n) {
    std::string candidate = with_suffix(stem, n);
    if (node_names_.find(candidate) == node_names_.end()) return candidate;
  }
}

ValueId Graph::add_value(std::string_view value_name, ValueType type) {
  Value v;
  v.name = unique_value_name(value_name);
  v.type = std::move(type);
  values.push_back(std::move(v));
  refresh_indexes();
  return static_cast<ValueId>(values.size() - 1);
}

ValueId Graph::add_constant(std::string_view value_name, HostTensor tensor) {
  return add_constant(value_name, std::make_shared<const HostTensor>(std::move(tensor)));
}

ValueId Graph::add_constant(std::string_view value_name, ConstTensor tensor) {
  const ValueId id = add_value(value_name, tensor->type());
  values[static_cast<size_t>(id)].constant = std::move(tensor);
  return id;
}

NodeId Graph::add_node(Node node) {
  node.name = unique_node_name(node.name.empty() ? node.op : node.name);
  node.schema = node.is_fused() ? nullptr : spec::find_op(node.op);
  const NodeId id = static_cast<NodeId>(nodes.size());
  for (size_t k = 0; k < node.outputs.size(); ++k) {
    if (valid_value(node.outputs[k])) {
      value(node.outputs[k]).producer = id;
      value(node.outputs[k]).producer_output = static_cast<uint32_t>(k);
    }
  }
  nodes.push_back(std::move(node));
  refresh_indexes();
  return id;
}

NodeId Graph::add_op(std::string_view op, std::vector<ValueId> node_inputs, AttrMap attrs, size_t output_count,
                     std::string_view node_name) {
  Node node;
  node.name = unique_node_name(node_name.empty() ? op : node_name);
  node.op = std::string(op);
  node.inputs = std::move(node_inputs);
  node.attrs = std::move(attrs);
  for (size_t k = 0; k < output_count; ++k) {
    node.outputs.push_back(add_value(output_count == 1 ? node.name : node.name + ":" + std::to_string(k)));
  }
  return add_node(std::move(node));
}

ValueId Graph::find_value(std::string_view value_name) const {
  refresh_indexes();
  auto it = value_index_.find(value_name);
  if (it != value_index_.end() && valid_value(it->second) && values[static_cast<size_t>(it->second)].name == value_name) {
    return it->second;
  }
  // The index is stale (a value was renamed in place): search.
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i].name == value_name) return static_cast<ValueId>(i);
  }
  return kNoValue;
}

void Graph::rebuild_producers() {
  for (Value& v : values) {
    v.producer = kNoNode;
    v.producer_output = 0;
  }
  for (size_t n = 0; n < nodes.size(); ++n) {
    Node& node = nodes[n];
    node.schema = node.is_fused() ? nullptr : spec::find_op(node.op);
    for (size_t k = 0; k < node.outputs.size(); ++k) {
      if (!valid_value(node.outputs[k])) continue;
      value(node.outputs[k]).producer = static_cast<NodeId>(n);
      value(node.outputs[k]).producer_output = static_cast<uint32_t>(k);
    }
  }
}

std::vector<ValueId> Graph::reads(const Node& node) {
  std::vector<ValueId> ids;
  for (ValueId id : node.inputs) {
    if (id != kNoValue) ids.push_back(id);
  }
  for (const auto& [name, attr] : node.attrs) {
    if (attr.is_ref()) ids.push_back(attr.ref);
  }
  return ids;
}

void Graph::replace_uses(ValueId from, ValueId to) {
  for (Node& node : nodes) {
    for (ValueId& id : node.inputs) {
      if (id == from) id = to;
    }
    for (auto& [attr_name, attr] : node.attrs) {
      if (attr.is_ref() && attr.ref == from) attr.ref = to;
    }
  }
  for (ValueId& id : outputs) {
    if (id == from) id = to;
  }
}

std::vector<int32_t> Graph::use_counts() const {
  std::vector<int32_t> counts(values.size(), 0);
  for (const Node& node : nodes) {
    for (ValueId id : reads(node)) {
      if (valid_value(id)) ++counts[static_cast<size_t>(id)];
    }
  }
  for (ValueId id : outputs) {
    if (valid_value(id)) ++counts[static_cast<size_t>(id)];
  }
  return counts;
}

void Graph::compact_values() {
  std::vector<char> keep(values.size(), 0);
  auto mark = [&](ValueId id) {
    if (valid_value(id)) keep[static_cast<size_t>(id)] = 1;
  };
  for (ValueId id : inputs) mark(id);
  for (ValueId id : outputs) mark(id);
  for (const Node& node : nodes) {
    for (ValueId id : reads(node)) mark(id);
    for (ValueId id : node.outputs) mark(id);
  }
  std::vector<ValueId> remap(values.size(), kNoValue);
  std::vector<Value> kept;
  for (size_t i = 0; i < values.size(); ++i) {
    if (!keep[i]) continue;
    remap[i] = static_cast<ValueId>(kept.size());
    kept.push_back(std::move(values[i]));
  }
  auto map = [&](ValueId& id) {
    if (id != kNoValue) id = valid_value(id) ? remap[static_cast<size_t>(id)] : kNoValue;
  };
  for (ValueId& id : inputs) map(id);
  for (ValueId& id : outputs) map(id);
  for (Node& node : nodes) {
    for (ValueId& id : node.inputs) map(id);
    for (ValueId& id : node.outputs) map(id);
    for (auto& [attr_name, attr] : node.attrs) {
      if (attr.is_ref()) map(attr.ref);
    }
  }
  values = std::move(kept);
  value_index_.clear();
  indexed_values_ = 0;
  rebuild_producers();
}

void topo_sort(Graph& graph) {
  graph.rebuild_producers();
  const size_t n = graph.nodes.size();
  std::vector<std::vector<size_t>> consumers(n);
  std::vector<size_t> pending(n, 0);
  for (size_t i = 0; i < n; ++i) {
    for (ValueId id : Graph::reads(graph.nodes[i])) {
      if (!graph.valid_value(id)) continue;
      const NodeId producer = graph.value(id).producer;
      if (producer == kNoNode) continue;
      consumers[static_cast<size_t>(producer)].push_back(i);
      ++pending[i];
    }
  }
  // Kahn's algorithm with a min-heap on the original position: the given order is kept where it is valid.
  std::priority_queue<size_t, std::vector<size_t>, std::greater<>> ready;
  for (size_t i = 0; i < n; ++i) {
    if (pending[i] == 0) ready.push(i);
  }
  std::vector<size_t> order;
  order.reserve(n);
  while (!ready.empty()) {
    const size_t i = ready.top();
    ready.pop();
    order.push_back(i);
    for (size_t c : consumers[i]) {
      if (--pending[c] == 0) ready.push(c);
    }
  }
  if (order.size() != n) {
    std::string names;
    size_t listed = 0;
    for (size_t i = 0; i < n && listed < 8; ++i) {
      if (pending[i] == 0) continue;
      names += (listed++ ? ", " : "") + std::string("'") + graph.nodes[i].name + "'";
    }
    throw Error(KEEL_STATUS_INVALID_ARGUMENT,
                "graph: the nodes form a cycle; nodes on or behind it: " + names, "keel");
  }
  bool sorted = true;
  for (size_t i = 0; i < n; ++i) sorted = sorted && order[i] == i;
  if (sorted) return;
  std::vector<Node> nodes;
  nodes.reserve(n);
  for (size_t i : order) nodes.push_back(std::move(graph.nodes[i]));
  graph.nodes = std::move(nodes);
  graph.rebuild_producers();
}

}  // namespace keel::graph
