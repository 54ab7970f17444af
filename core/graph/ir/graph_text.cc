#include "graph/ir/graph_text.h"

#include <cstdio>

namespace keel::graph {
namespace {

std::string number(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.9g", v);
  return text;
}

std::string name_of(const Graph& graph, ValueId id) {
  if (id == kNoValue) return "_";
  return graph.valid_value(id) ? graph.value(id).name : "#" + std::to_string(id);
}

std::string attr_list(const Graph& graph, const AttrMap& attrs) {
  std::string text;
  for (const auto& [name, value] : attrs) text += (text.empty() ? "" : ", ") + name + "=" + format_attr(graph, value);
  return text;
}

}  // namespace

std::string format_attr(const Graph& graph, const AttrValue& a) {
  switch (a.kind) {
    case AttrValue::Kind::kInt: return std::to_string(a.i);
    case AttrValue::Kind::kBool: return a.i ? "true" : "false";
    case AttrValue::Kind::kFloat: return number(a.f);
    case AttrValue::Kind::kInts: {
      std::string text = "[";
      for (size_t k = 0; k < a.ints.size(); ++k) text += (k ? "," : "") + std::to_string(a.ints[k]);
      return text + "]";
    }
    case AttrValue::Kind::kFloats: {
      std::string text = "[";
      for (size_t k = 0; k < a.floats.size(); ++k) text += (k ? "," : "") + number(a.floats[k]);
      return text + "]";
    }
    case AttrValue::Kind::kDtype: return dtype_text(a.dtype);
    case AttrValue::Kind::kEnum: return a.text;
    case AttrValue::Kind::kValueRef:
      return "value(" + name_of(graph, a.ref) + (a.element >= 0 ? "[" + std::to_string(a.element) + "]" : "") + ")";
  }
  return "?";
}

std::string format_node(const Graph& graph, const Node& node) {
  std::string text;
  for (size_t k = 0; k < node.outputs.size(); ++k) {
    const ValueId id = node.outputs[k];
    text += (k ? ", " : "") + name_of(graph, id) + ": " + (graph.valid_value(id) ? format_type(graph.value(id).type) : "?");
  }
  text += " = " + node.op + "(";
  for (size_t k = 0; k < node.inputs.size(); ++k) text += (k ? ", " : "") + name_of(graph, node.inputs[k]);
  text += ")";
  if (!node.attrs.empty()) text += " {" + attr_list(graph, node.attrs) + "}";
  if (!node.body.empty()) {
    text += " { ";
    for (size_t s = 0; s < node.body.size(); ++s) {
      const FusedStep& step = node.body[s];
      text += (s ? "; " : "") + std::string("t") + std::to_string(s) + " = " + step.op + "(";
      for (size_t k = 0; k < step.inputs.size(); ++k) {
        const int32_t in = step.inputs[k];
        text += (k ? ", " : "") + (is_step_ref(in) ? "t" + std::to_string(step_of(in)) : "in" + std::to_string(in));
      }
      text += ")";
      if (!step.attrs.empty()) text += " {" + attr_list(graph, step.attrs) + "}";
    }
    text += " }";
  }
  if (!node.device.empty()) text += " @" + node.device;
  return text;
}

std::string format_graph(const Graph& graph) {
  size_t constants = 0;
  for (const Value& v : graph.values) constants += v.is_constant() ? 1 : 0;
  std::string text = "graph '" + graph.name + "': " + std::to_string(graph.inputs.size()) + " inputs, " +
                     std::to_string(graph.outputs.size()) + " outputs, " + std::to_string(graph.nodes.size()) +
                     " nodes, " + std::to_string(constants) + " constants\n";
  for (ValueId id : graph.inputs) text += "  input  " + name_of(graph, id) + ": " + format_type(graph.value(id).type) + "\n";
  for (const Value& v : graph.values) {
    if (v.is_constant()) text += "  const  " + v.name + ": " + format_type(v.type) + "\n";
  }
  for (const Node& node : graph.nodes) text += "  " + format_node(graph, node) + "\n";
  for (ValueId id : graph.outputs) text += "  output " + name_of(graph, id) + "\n";
  return text;
}

}  // namespace keel::graph
