#include "onnx/import_context.h"

#include <algorithm>

#include "graph/ir/errors.h"

namespace keel::onnx_import {

using graph::ValueId;

ValueId ImportContext::lookup(const std::string& onnx_name) const {
  const auto it = names_.find(onnx_name);
  return it == names_.end() ? graph::kNoValue : it->second;
}

std::string ImportContext::node_label() const {
  return "node '" + node_->name() + "' (" + node_->op_type() + "-" + std::to_string(version_) + ")";
}

void ImportContext::invalid(const std::string& message) const { graph::fail_invalid(node_label() + ": " + message); }

ValueId ImportContext::input(size_t i) const {
  if (!has_input(i)) invalid("input " + std::to_string(i) + " is required");
  return optional_input(i);
}

ValueId ImportContext::optional_input(size_t i) const {
  if (!has_input(i)) return graph::kNoValue;
  const std::string& name = node_->input(static_cast<int>(i));
  const ValueId id = lookup(name);
  if (id == graph::kNoValue) invalid("input '" + name + "' is not defined by any earlier node, input or initializer");
  return id;
}

const graph::HostTensor* ImportContext::constant_input(size_t i) const {
  const ValueId id = optional_input(i);
  if (id == graph::kNoValue) return nullptr;
  return graph_.value(id).constant.get();
}

std::vector<int64_t> ImportContext::constant_ints(size_t i, std::string_view what) const {
  const graph::HostTensor* t = constant_input(i);
  if (t == nullptr) unsupported(std::string(what) + " must be a constant");
  return t->to_ints();
}

graph::ValueType ImportContext::input_type(size_t i) const { return graph_.value(input(i)).type; }

keel_dtype_t ImportContext::input_dtype(size_t i) const {
  return has_input(i) ? input_type(i).dtype : keel_dtype_t{KEEL_DTYPE_INVALID};
}

size_t ImportContext::input_rank(size_t i, std::string_view why) const {
  const graph::ValueType& type = input_type(i);
  if (!type.rank_known)
    unsupported(std::string(why) + " needs the rank of input " + std::to_string(i) + ", unknown at import");
  return type.rank();
}

const onnx::AttributeProto* ImportContext::attr(std::string_view name) const {
  for (const onnx::AttributeProto& a : node_->attribute()) {
    if (a.name() == name) return &a;
  }
  return nullptr;
}

int64_t ImportContext::attr_int(std::string_view name, int64_t fallback) const {
  const onnx::AttributeProto* a = attr(name);
  if (a == nullptr) return fallback;
  if (a->type() != onnx::AttributeProto::INT) invalid("attribute '" + std::string(name) + "' must be an int");
  return a->i();
}

double ImportContext::attr_float(std::string_view name, double fallback) const {
  const onnx::AttributeProto* a = attr(name);
  if (a == nullptr) return fallback;
  if (a->type() == onnx::AttributeProto::INT) return static_cast<double>(a->i());
  if (a->type() != onnx::AttributeProto::FLOAT) invalid("attribute '" + std::string(name) + "' must be a float");
  return a->f();
}

std::string ImportContext::attr_string(std::string_view name, std::string fallback) const {
  const onnx::AttributeProto* a = attr(name);
  if (a == nullptr) return fallback;
  if (a->type() != onnx::AttributeProto::STRING) invalid("attribute '" + std::string(name) + "' must be a string");
  return a->s();
}

std::vector<int64_t> ImportContext::attr_ints(std::string_view name, std::vector<int64_t> fallback) const {
  const onnx::AttributeProto* a = attr(name);
  if (a == nullptr) return fallback;
  if (a->type() != onnx::AttributeProto::INTS) invalid("attribute '" + std::string(name) + "' must be a list of ints");
  return {a->ints().begin(), a->ints().end()};
}

std::vector<double> ImportContext::attr_floats(std::string_view name, std::vector<double> fallback) const {
  const onnx::AttributeProto* a = attr(name);
  if (a == nullptr) return fallback;
  if (a->type() != onnx::AttributeProto::FLOATS)
    invalid("attribute '" + std::string(name) + "' must be a list of floats");
  return {a->floats().begin(), a->floats().end()};
}

void ImportContext::only_attrs(std::initializer_list<std::string_view> known) const {
  for (const onnx::AttributeProto& a : node_->attribute()) {
    if (std::find(known.begin(), known.end(), a.name()) == known.end()) {
      unsupported("attribute '" + a.name() + "' is not supported");
    }
  }
}

ValueId ImportContext::temp(std::string_view suffix) {
  const std::string base = node_->output_size() > 0 ? node_->output(0) : node_->name();
  return graph_.add_value(base + "/" + std::string(suffix));
}

std::vector<ValueId> ImportContext::emit(std::string_view op, std::vector<ValueId> inputs, graph::AttrMap attrs,
                                         std::vector<ValueId> outputs) {
  graph::Node node;
  node.name = node_->name().empty() ? std::string(op) : node_->name();
  node.op = std::string(op);
  node.inputs = std::move(inputs);
  node.outputs = outputs;
  node.attrs = std::move(attrs);
  graph_.add_node(std::move(node));
  return outputs;
}

ValueId ImportContext::emit1(std::string_view op, std::vector<ValueId> inputs, graph::AttrMap attrs) {
  const ValueId out = temp(op);
  emit(op, std::move(inputs), std::move(attrs), {out});
  return out;
}

ValueId ImportContext::output(size_t i) {
  if (!has_output(i)) return temp("unused" + std::to_string(i));
  const std::string& name = node_->output(static_cast<int>(i));
  if (lookup(name) != graph::kNoValue) invalid("output '" + name + "' is defined twice");
  const ValueId id = graph_.add_value(name);
  define(name, id);
  return id;
}

void ImportContext::emit_out(std::string_view op, std::vector<ValueId> inputs, graph::AttrMap attrs) {
  emit(op, std::move(inputs), std::move(attrs), {output(0)});
}

void ImportContext::alias_output(size_t i, ValueId value) {
  if (!has_output(i)) return;
  const std::string& name = node_->output(static_cast<int>(i));
  if (lookup(name) != graph::kNoValue) invalid("output '" + name + "' is defined twice");
  define(name, value);
}

ValueId ImportContext::constant(graph::HostTensor tensor, std::string_view suffix) {
  const std::string base = node_->output_size() > 0 ? node_->output(0) : node_->name();
  return graph_.add_constant(base + "/" + std::string(suffix), std::move(tensor));
}

}  // namespace keel::onnx_import
