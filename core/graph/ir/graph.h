// The graph IR: values (typed, optionally constant), nodes naming spec operators with versions and
// attributes, graph inputs and outputs, and metadata. The schema of its serialized forms is
// ir_spec/graph_ir.md.
//
// Values are referenced by index (ValueId). A value is a graph input, a constant (an initializer), or the
// output of exactly one node. Nodes are kept in a topological order once a graph is validated
// (graph/validate/validator.h); passes that add or reorder nodes call topo_sort().
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "graph/ir/attr_value.h"
#include "graph/ir/host_tensor.h"
#include "graph/ir/value_type.h"
#include "spec/op_schema.h"

namespace keel::graph {

using NodeId = int32_t;
constexpr NodeId kNoNode = -1;

// The op name of a fused elementwise node (passes/fuse_elementwise.h): not a spec operator; its body lists
// the spec calls it evaluates in one pass over memory.
inline constexpr std::string_view kFusedOp = "fused_elementwise";

struct Value {
  std::string name;            // unique within the graph
  ValueType type;              // declared or inferred
  ConstTensor constant;        // set for an initializer (its type matches)
  NodeId producer = kNoNode;   // maintained by Graph::rebuild_producers()
  uint32_t producer_output = 0;

  bool is_constant() const { return constant != nullptr; }
};

// One step of a fused node's body: a spec call whose inputs are the fused node's inputs (index >= 0) or
// earlier steps' results (-1 - step).
struct FusedStep {
  std::string op;
  const spec::OpSchema* schema = nullptr;
  AttrMap attrs;  // literal values only
  std::vector<int32_t> inputs;
  keel_dtype_t dtype = KEEL_DTYPE_INVALID;  // of its result
};

inline int32_t step_ref(size_t step) { return -1 - static_cast<int32_t>(step); }
inline bool is_step_ref(int32_t input) { return input < 0; }
inline size_t step_of(int32_t input) { return static_cast<size_t>(-1 - input); }

struct Node {
  std::string name;  // unique within the graph
  std::string op;    // a spec operator, or kFusedOp
  uint32_t version = 1;
  std::vector<ValueId> inputs;  // kNoValue for an absent optional input
  std::vector<ValueId> outputs;
  AttrMap attrs;
  std::vector<FusedStep> body;  // kFusedOp only; the last step's result is the node's output
  std::string device;           // placement hint: a device name, or "" for the executor's choice
  const spec::OpSchema* schema = nullptr;  // looked up from op; nullptr for kFusedOp or an unknown name

  bool is_fused() const { return op == kFusedOp; }
};

class Graph {
 public:
  std::string name;
  std::map<std::string, std::string> metadata;  // producer, source file, opset, ...
  std::vector<Value> values;
  std::vector<Node> nodes;
  std::vector<ValueId> inputs;
  std::vector<ValueId> outputs;

  // A new value; the name is made unique (a suffix is added) when it is taken or empty.
  ValueId add_value(std::string_view name, ValueType type = {});
  ValueId add_constant(std::string_view name, HostTensor tensor);
  ValueId add_constant(std::string_view name, ConstTensor tensor);
  // Appends a node (its schema is looked up from op; its name made unique) and records it as the producer
  // of its outputs. Returns its index.
  NodeId add_node(Node node);
  // Convenience: a node of spec operator `op` with `output_count` fresh, untyped outputs named after the
  // node. Returns the node index; the outputs are nodes[id].outputs.
  NodeId add_op(std::string_view op, std::vector<ValueId> node_inputs, AttrMap attrs, size_t output_count = 1,
                std::string_view node_name = {});

  ValueId find_value(std::string_view name) const;  // kNoValue when absent
  const Value& value(ValueId id) const { return values.at(static_cast<size_t>(id)); }
  Value& value(ValueId id) { return values.at(static_cast<size_t>(id)); }
  bool valid_value(ValueId id) const { return id >= 0 && static_cast<size_t>(id) < values.size(); }

  // Recomputes Value::producer from the node list (and each node's schema from its op).
  void rebuild_producers();
  // Every reference to value `from` (node inputs, attribute bindings, graph outputs) now names `to`.
  void replace_uses(ValueId from, ValueId to);
  // Drops values nothing refers to (not a graph input or output, not read or produced by a node) and
  // renumbers the rest.
  void compact_values();
  // For each value, how many node reads (graph/ir/graph.h reads()) and graph outputs refer to it.
  std::vector<int32_t> use_counts() const;
  // The value ids a node reads: its inputs (absent ones skipped) and the values its attributes are bound to.
  static std::vector<ValueId> reads(const Node& node);

  std::string unique_value_name(std::string_view base) const;
  std::string unique_node_name(std::string_view base) const;

 private:
  void refresh_indexes() const;
  mutable std::map<std::string, ValueId, std::less<>> value_index_;
  mutable size_t indexed_values_ = 0;
  mutable std::set<std::string, std::less<>> node_names_;
  mutable size_t indexed_nodes_ = 0;
};

// Reorders the nodes topologically (stable: keeps the given order where it is one). Throws keel::Error
// (INVALID_ARGUMENT) naming the nodes of a cycle, or a node reading a value that nothing defines.
void topo_sort(Graph& graph);

}  // namespace keel::graph
