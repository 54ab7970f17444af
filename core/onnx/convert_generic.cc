#include <cctype>
#include <string>

#include "graph/ir/attr_pack.h"
#include "onnx/converters.h"

namespace keel::onnx_import {
namespace {

// The spec operator whose ONNX mapping names `op_type`; `in_range` says whether `version` is inside it.
const spec::OpSchema* mapped_op(std::string_view op_type, int64_t version, bool* in_range, std::string* ranges) {
  const spec::OpSchema* found = nullptr;
  for (const spec::OpSchema& op : spec::all_ops()) {
    for (size_t m = 0; m < op.onnx_count; ++m) {
      const spec::OnnxMapping& mapping = op.onnx[m];
      if (op_type != mapping.op) continue;
      *ranges += (ranges->empty() ? "" : ", ") + std::string(op.name) + " " + std::to_string(mapping.since) + "-" +
                 std::to_string(mapping.until);
      if (version >= mapping.since && version <= mapping.until) {
        *in_range = true;
        return &op;
      }
      found = &op;
    }
  }
  return found;
}

graph::AttrValue convert_attr(const ImportContext& ctx, const onnx::AttributeProto& a, const spec::AttrSchema& schema) {
  using spec::AttrType;
  switch (schema.type) {
    case AttrType::kInt: return graph::AttrValue::of_int(ctx.attr_int(a.name(), 0));
    case AttrType::kBool: return graph::AttrValue::of_bool(ctx.attr_int(a.name(), 0) != 0);
    case AttrType::kFloat: return graph::AttrValue::of_float(ctx.attr_float(a.name(), 0));
    case AttrType::kInts: return graph::AttrValue::of_ints(ctx.attr_ints(a.name()));
    case AttrType::kFloats: return graph::AttrValue::of_floats(ctx.attr_floats(a.name()));
    default: ctx.unsupported("attribute '" + a.name() + "' has no generic mapping");
  }
}

}  // namespace

std::string snake_case(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (std::isupper(static_cast<unsigned char>(c))) {
      if (!out.empty()) out += '_';
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      out += c;
    }
  }
  return out;
}

bool convert_generic(ImportContext& ctx) {
  const onnx::NodeProto& node = ctx.node();
  bool in_range = false;
  std::string ranges;
  const spec::OpSchema* op = mapped_op(node.op_type(), ctx.version(), &in_range, &ranges);
  if (op == nullptr) return false;
  if (!in_range) {
    ctx.unsupported("version " + std::to_string(ctx.version()) + " is outside the spec's mapping (" + ranges + ")");
  }
  graph::AttrMap attrs;
  for (const onnx::AttributeProto& a : node.attribute()) {
    const spec::AttrSchema* schema = graph::find_attr(*op, snake_case(a.name()));
    if (schema == nullptr) ctx.unsupported("attribute '" + a.name() + "' has no counterpart in " + op->name);
    attrs[schema->name] = convert_attr(ctx, a, *schema);
  }
  if (!op->has_variadic_input() && ctx.input_count() > op->input_count) {
    ctx.invalid(std::to_string(ctx.input_count()) + " inputs, " + op->name + " takes " +
                std::to_string(op->input_count));
  }
  std::vector<graph::ValueId> inputs;
  for (size_t i = 0; i < ctx.input_count(); ++i) inputs.push_back(ctx.optional_input(i));
  // Trailing optional inputs ONNX leaves out are absent inputs of the spec call.
  while (!op->has_variadic_input() && inputs.size() < op->input_count) inputs.push_back(graph::kNoValue);
  if (ctx.output_count() > op->output_count && !op->has_variadic_output()) {
    ctx.unsupported(std::to_string(ctx.output_count()) + " outputs requested, " + op->name + " has " +
                    std::to_string(op->output_count));
  }
  std::vector<graph::ValueId> outputs;
  for (size_t i = 0; i < std::max<size_t>(op->output_count, ctx.output_count()); ++i) outputs.push_back(ctx.output(i));
  ctx.emit(op->name, std::move(inputs), std::move(attrs), std::move(outputs));
  return true;
}

const Converter* find_converter(std::string_view op_type) {
  for (auto group :
       {nn_converters(), shape_converters(), index_converters(), misc_converters(), composite_converters()}) {
    for (const Converter& c : group) {
      if (op_type == c.op_type) return &c;
    }
  }
  return nullptr;
}

}  // namespace keel::onnx_import
