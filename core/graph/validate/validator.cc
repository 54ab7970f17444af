#include "graph/validate/validator.h"

#include <set>

#include "graph/ir/attr_pack.h"
#include "graph/ir/errors.h"
#include "graph/validate/node_infer.h"
#include "keel/keel.hpp"

namespace keel::graph {
namespace {

class Checker {
 public:
  explicit Checker(Graph& graph) : graph_(graph) {}

  [[noreturn]] void fail(const std::string& message) const {
    throw Error(KEEL_STATUS_INVALID_ARGUMENT, "graph '" + graph_.name + "': " + message, "keel");
  }

  std::string value_label(ValueId id) const {
    return graph_.valid_value(id) ? "value '" + graph_.value(id).name + "'" : "value #" + std::to_string(id);
  }

  void check_values() {
    std::set<std::string_view> names;
    for (size_t i = 0; i < graph_.values.size(); ++i) {
      const Value& v = graph_.values[i];
      if (v.name.empty()) fail("value #" + std::to_string(i) + " has no name");
      if (!names.insert(v.name).second) fail("two values are named '" + v.name + "'");
      if (v.is_constant() && v.type != v.constant->type()) {
        if (v.type.known()) {
          fail("constant '" + v.name + "' is declared " + format_type(v.type) + " but holds " +
               format_type(v.constant->type()));
        }
        graph_.values[i].type = v.constant->type();
      }
      if (v.type.rank_known && v.type.dims.size() > KEEL_MAX_RANK) {
        fail("value '" + v.name + "' has rank " + std::to_string(v.type.dims.size()) + ", above " +
             std::to_string(KEEL_MAX_RANK));
      }
    }
  }

  void check_io() {
    std::set<ValueId> seen;
    for (ValueId id : graph_.inputs) {
      if (!graph_.valid_value(id)) fail("graph input " + value_label(id) + " does not exist");
      if (!seen.insert(id).second) fail("graph input " + value_label(id) + " is listed twice");
      if (graph_.value(id).is_constant()) fail("graph input " + value_label(id) + " is also a constant");
      defined_[static_cast<size_t>(id)] = true;
    }
    for (ValueId id : graph_.outputs) {
      if (!graph_.valid_value(id)) fail("graph output " + value_label(id) + " does not exist");
    }
  }

  void check_node(size_t n, std::set<std::string>& node_names) {
    Node& node = graph_.nodes[n];
    if (node.name.empty()) node.name = graph_.unique_node_name(node.op);
    if (!node_names.insert(node.name).second) fail("two nodes are named '" + node.name + "'");
    const std::string label = node_label(node);
    node.schema = node.is_fused() ? nullptr : spec::find_op(node.op);
    if (node.is_fused()) {
      check_fused(node, label);
    } else {
      if (node.schema == nullptr) fail(label + ": no spec operator is named '" + node.op + "'");
      const spec::OpSchema& op = *node.schema;
      if (node.version != op.version) {
        fail(label + ": version " + std::to_string(node.version) + " of " + op.name + " is not supported (" +
             "this library implements version " + std::to_string(op.version) + ")");
      }
      const bool count_ok = op.has_variadic_input() ? node.inputs.size() >= op.input_count
                                                    : node.inputs.size() == op.input_count;
      if (!count_ok) {
        fail(label + ": " + std::to_string(node.inputs.size()) + " inputs, the operator takes " +
             (op.has_variadic_input() ? "at least " : "") + std::to_string(op.input_count));
      }
      for (size_t k = 0; k < node.inputs.size(); ++k) {
        const spec::TensorSchema& in = op.inputs[std::min(k, op.input_count - 1)];
        if (node.inputs[k] == kNoValue && !in.optional) fail(label + ": required input '" + in.name + "' is absent");
      }
      if (!op.has_variadic_output() && node.outputs.size() != op.output_count) {
        fail(label + ": " + std::to_string(node.outputs.size()) + " outputs, the operator has " +
             std::to_string(op.output_count));
      }
      if (std::string problem = check_attrs(op, node.attrs); !problem.empty()) fail(label + ": " + problem);
    }
    for (ValueId id : Graph::reads(node)) {
      if (!graph_.valid_value(id)) fail(label + " reads " + value_label(id) + ", which does not exist");
    }
    for (ValueId id : node.outputs) {
      if (!graph_.valid_value(id)) fail(label + " writes " + value_label(id) + ", which does not exist");
      const Value& v = graph_.value(id);
      if (v.is_constant()) fail(label + " writes " + value_label(id) + ", which is a constant");
      if (defined_[static_cast<size_t>(id)]) {
        fail(label + " writes " + value_label(id) + ", which already has a producer or is a graph input");
      }
      defined_[static_cast<size_t>(id)] = true;
    }
  }

  void check_fused(Node& node, const std::string& label) {
    if (node.body.empty()) fail(label + ": the fused body is empty");
    if (node.outputs.size() != 1) fail(label + ": a fused node has one output");
    for (size_t s = 0; s < node.body.size(); ++s) {
      FusedStep& step = node.body[s];
      const spec::OpSchema* op = spec::find_op(step.op);
      if (op == nullptr) fail(label + ": step " + std::to_string(s) + " names unknown operator '" + step.op + "'");
      step.schema = op;
      if (std::string problem = check_attrs(*op, step.attrs); !problem.empty()) {
        fail(label + ": step " + std::to_string(s) + ": " + problem);
      }
      for (const auto& [name, attr] : step.attrs) {
        if (attr.is_ref()) fail(label + ": step " + std::to_string(s) + " binds attribute '" + name + "' to a value");
      }
      for (int32_t ref : step.inputs) {
        const bool ok = is_step_ref(ref) ? step_of(ref) < s : static_cast<size_t>(ref) < node.inputs.size();
        if (!ok) fail(label + ": step " + std::to_string(s) + " reads an input that does not exist");
      }
    }
  }

  void check_defined() {
    for (const Node& node : graph_.nodes) {
      for (ValueId id : Graph::reads(node)) {
        const Value& v = graph_.value(id);
        if (!defined_[static_cast<size_t>(id)] && !v.is_constant()) {
          fail(node_label(node) + " reads value '" + v.name +
               "', which is not a graph input, a constant or the output of a node");
        }
      }
    }
    for (ValueId id : graph_.outputs) {
      if (!defined_[static_cast<size_t>(id)] && !graph_.value(id).is_constant()) {
        fail("graph output '" + graph_.value(id).name + "' is not a graph input, a constant or the output of a node");
      }
    }
  }

  void run() {
    defined_.assign(graph_.values.size(), false);
    check_values();
    check_io();
    std::set<std::string> node_names;
    for (size_t n = 0; n < graph_.nodes.size(); ++n) check_node(n, node_names);
    check_defined();
    try {
      topo_sort(graph_);
    } catch (const Error& error) {
      fail(error_text(error));
    }
  }

 private:
  Graph& graph_;
  std::vector<bool> defined_;
};

// Infers the outputs of one node from static input types; false when it has to wait for the executor.
bool infer_node(Graph& graph, Node& node, const ValidateOptions& options) {
  std::vector<spec::TensorMeta> metas;
  for (ValueId id : node.inputs) {
    if (id == kNoValue) {
      metas.push_back(spec::TensorMeta{});
      continue;
    }
    std::optional<spec::TensorMeta> meta = graph.value(id).type.meta();
    if (!meta) return false;
    metas.push_back(*meta);
  }
  std::vector<spec::TensorMeta> outs;
  std::string problem;
  if (node.is_fused()) {
    spec::TensorMeta out;
    problem = infer_fused(node, metas, &out);
    outs.push_back(out);
  } else {
    bool available = true;
    RefResolver resolve = [&](ValueId id) -> const HostTensor* {
      const Value& v = graph.value(id);
      if (!v.is_constant()) available = false;
      return v.constant.get();
    };
    for (const auto& [name, attr] : node.attrs) {
      if (attr.is_ref() && !graph.value(attr.ref).is_constant()) return false;
    }
    PackedAttrs attrs(*node.schema, node.attrs, resolve, node_label(node));
    if (!available) return false;
    problem = infer_call(*node.schema, attrs.get(), metas, &outs);
  }
  if (!problem.empty()) {
    throw Error(KEEL_STATUS_INVALID_ARGUMENT, "graph '" + graph.name + "': " + node_label(node) + ": " + problem,
                "keel");
  }
  if (outs.size() != node.outputs.size()) {
    throw Error(KEEL_STATUS_INVALID_ARGUMENT,
                "graph '" + graph.name + "': " + node_label(node) + ": has " + std::to_string(node.outputs.size()) +
                    " outputs, the spec infers " + std::to_string(outs.size()),
                "keel");
  }
  for (size_t k = 0; k < outs.size(); ++k) {
    Value& v = graph.value(node.outputs[k]);
    const ValueType inferred = ValueType::of(outs[k]);
    if (v.type.is_static() && v.type != inferred && !options.trust_inference) {
      throw Error(KEEL_STATUS_INVALID_ARGUMENT,
                  "graph '" + graph.name + "': " + node_label(node) + ": output '" + v.name + "' is declared " +
                      format_type(v.type) + " but the spec infers " + format_type(inferred),
                  "keel");
    }
    v.type = inferred;
  }
  return true;
}

}  // namespace

void validate_structure(Graph& graph) { Checker(graph).run(); }

ValidateReport validate(Graph& graph, const ValidateOptions& options) {
  validate_structure(graph);
  ValidateReport report;
  report.nodes = graph.nodes.size();
  for (Node& node : graph.nodes) {
    if (infer_node(graph, node, options)) {
      ++report.inferred;
    } else {
      ++report.dynamic;
    }
  }
  return report;
}

}  // namespace keel::graph
