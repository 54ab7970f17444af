// Converters for the shape and layout operators, whose ONNX forms pass shapes, axes and sizes as inputs:
// those become attributes bound to the input values (graph::AttrValue::of_ref), read when the node runs.
#include "onnx/converters.h"

namespace keel::onnx_import {
namespace {

using graph::AttrValue;
using graph::HostTensor;
using graph::ValueId;

// An attribute from an int list attribute (older opsets) or input `input` (newer ones); unset when neither
// is given.
void ints_from(ImportContext& ctx, graph::AttrMap& attrs, const char* attr, const char* onnx_attr, size_t input,
               bool use_input) {
  if (use_input) {
    if (ctx.has_input(input)) attrs[attr] = AttrValue::of_ref(ctx.input(input));
  } else if (ctx.has_attr(onnx_attr)) {
    attrs[attr] = AttrValue::of_ints(ctx.attr_ints(onnx_attr));
  }
}

// ONNX Reshape's 0 copies the input's dimension (unless allowzero); the spec's 0 is a zero-size dimension.
void reshape(ImportContext& ctx) {
  ctx.only_attrs({"allowzero", "shape"});
  const ValueId x = ctx.input(0);
  if (ctx.version() < 5) return ctx.emit_out("reshape", {x}, {{"shape", AttrValue::of_ints(ctx.attr_ints("shape"))}});
  const ValueId shape = ctx.input(1);
  const HostTensor* known = ctx.constant_input(1);
  bool has_zero = known == nullptr;
  if (known != nullptr) {
    for (int64_t d : known->to_ints()) has_zero = has_zero || d == 0;
  }
  if (!has_zero || ctx.attr_int("allowzero", 0) != 0)
    return ctx.emit_out("reshape", {x}, {{"shape", AttrValue::of_ref(shape)}});
  // shape' = where(shape == 0, concat(shape(x), shape)[:len(shape)], shape): the concat keeps the slice as
  // long as shape when shape is longer than x's rank (a 0 can only stand where x has an axis).
  const ValueId x_shape = ctx.emit1("shape", {x});
  const ValueId len = ctx.emit1("shape", {shape});
  const ValueId both = ctx.emit1("concat", {x_shape, shape}, {{"axis", AttrValue::of_int(0)}});
  const ValueId head =
      ctx.emit1("slice", {both}, {{"starts", AttrValue::of_ints({0})}, {"ends", AttrValue::of_ref(len)}});
  const ValueId zero = ctx.constant(HostTensor::scalar(KEEL_DTYPE_I64, 0), "zero");
  const ValueId is_zero = ctx.emit1("equal", {shape, zero});
  const ValueId fixed = ctx.emit1("where", {is_zero, head, shape});
  ctx.emit_out("reshape", {x}, {{"shape", AttrValue::of_ref(fixed)}});
}

void expand(ImportContext& ctx) {
  ctx.only_attrs({});
  ctx.emit_out("expand", {ctx.input(0)}, {{"shape", AttrValue::of_ref(ctx.input(1))}});
}

void tile(ImportContext& ctx) {
  ctx.only_attrs({});
  ctx.emit_out("tile", {ctx.input(0)}, {{"repeats", AttrValue::of_ref(ctx.input(1))}});
}

void slice(ImportContext& ctx) {
  graph::AttrMap attrs;
  const bool inputs = ctx.version() >= 10;
  if (inputs) {
    ctx.only_attrs({});
  } else {
    ctx.only_attrs({"starts", "ends", "axes"});
  }
  ints_from(ctx, attrs, "starts", "starts", 1, inputs);
  ints_from(ctx, attrs, "ends", "ends", 2, inputs);
  ints_from(ctx, attrs, "axes", "axes", 3, inputs);
  if (inputs) ints_from(ctx, attrs, "steps", "steps", 4, true);
  ctx.emit_out("slice", {ctx.input(0)}, std::move(attrs));
}

void pad(ImportContext& ctx) {
  const std::string mode = ctx.attr_string("mode", "constant");
  if (mode != "constant" && mode != "reflect" && mode != "edge")
    ctx.unsupported("mode '" + mode + "' is not supported");
  graph::AttrMap attrs = {{"mode", AttrValue::of_enum(mode)}};
  if (ctx.version() < 11) {
    ctx.only_attrs({"mode", "pads", "value"});
    attrs["pads"] = AttrValue::of_ints(ctx.attr_ints("pads"));
    attrs["value"] = AttrValue::of_float(ctx.attr_float("value", 0));
  } else {
    ctx.only_attrs({"mode"});
    if (ctx.has_input(3)) ctx.unsupported("the axes input is not supported");
    attrs["pads"] = AttrValue::of_ref(ctx.input(1));
    if (ctx.has_input(2)) attrs["value"] = AttrValue::of_ref(ctx.input(2), 0);
  }
  ctx.emit_out("pad", {ctx.input(0)}, std::move(attrs));
}

void squeeze(ImportContext& ctx) {
  graph::AttrMap attrs;
  ctx.only_attrs({"axes"});
  ints_from(ctx, attrs, "axes", "axes", 1, ctx.version() >= 13);
  ctx.emit_out("squeeze", {ctx.input(0)}, std::move(attrs));
}

void unsqueeze(ImportContext& ctx) {
  graph::AttrMap attrs;
  ctx.only_attrs({"axes"});
  ints_from(ctx, attrs, "axes", "axes", 1, ctx.version() >= 13);
  ctx.emit_out("unsqueeze", {ctx.input(0)}, std::move(attrs));
}

void concat(ImportContext& ctx) {
  ctx.only_attrs({"axis"});
  std::vector<ValueId> inputs;
  for (size_t i = 0; i < ctx.input_count(); ++i) inputs.push_back(ctx.input(i));
  ctx.emit_out("concat", std::move(inputs), {{"axis", AttrValue::of_int(ctx.attr_int("axis", 0))}});
}

void split(ImportContext& ctx) {
  ctx.only_attrs({"axis", "split", "num_outputs"});
  graph::AttrMap attrs = {{"axis", AttrValue::of_int(ctx.attr_int("axis", 0))}};
  const bool from_input = ctx.version() >= 13;
  if ((from_input && ctx.has_input(1)) || (!from_input && ctx.has_attr("split"))) {
    ints_from(ctx, attrs, "sizes", "split", 1, from_input);
  } else {
    attrs["num_outputs"] = AttrValue::of_int(static_cast<int64_t>(ctx.output_count()));
  }
  std::vector<ValueId> outputs;
  for (size_t i = 0; i < ctx.output_count(); ++i) outputs.push_back(ctx.output(i));
  ctx.emit("split", {ctx.input(0)}, std::move(attrs), std::move(outputs));
}

// Scales or sizes of Resize: a constant empty tensor means "not given".
bool given(ImportContext& ctx, size_t i) {
  if (!ctx.has_input(i)) return false;
  const HostTensor* t = ctx.constant_input(i);
  return t == nullptr || t->numel() > 0;
}

void resize(ImportContext& ctx) {
  ctx.only_attrs({"mode", "coordinate_transformation_mode", "nearest_mode", "cubic_coeff_a", "exclude_outside",
                  "extrapolation_value"});
  const std::string mode = ctx.attr_string("mode", "nearest");
  if (mode != "nearest" && mode != "linear") ctx.unsupported("mode '" + mode + "' is not supported");
  if (ctx.attr_int("exclude_outside", 0) != 0) ctx.unsupported("exclude_outside is not supported");
  graph::AttrMap attrs = {{"mode", AttrValue::of_enum(mode)}};
  if (ctx.version() >= 11) {
    const std::string transform = ctx.attr_string("coordinate_transformation_mode", "half_pixel");
    if (transform == "tf_crop_and_resize" || transform == "tf_half_pixel_for_nn") {
      ctx.unsupported("coordinate_transformation_mode '" + transform + "' is not supported");
    }
    attrs["coordinate_transform"] = AttrValue::of_enum(transform);
    attrs["nearest_mode"] = AttrValue::of_enum(ctx.attr_string("nearest_mode", "round_prefer_floor"));
    if (given(ctx, 3)) {
      attrs["sizes"] = AttrValue::of_ref(ctx.input(3));
    } else if (given(ctx, 2)) {
      attrs["scales"] = AttrValue::of_ref(ctx.input(2));
    } else {
      ctx.invalid("needs scales or sizes");
    }
  } else {
    // Resize-10 and Upsample: asymmetric coordinates, nearest rounds down.
    attrs["coordinate_transform"] = AttrValue::of_enum("asymmetric");
    attrs["nearest_mode"] = AttrValue::of_enum("floor");
    if (ctx.has_attr("scales")) {
      attrs["scales"] = AttrValue::of_floats(ctx.attr_floats("scales"));
    } else {
      attrs["scales"] = AttrValue::of_ref(ctx.input(1));
    }
  }
  ctx.emit_out("resize", {ctx.input(0)}, std::move(attrs));
}

void trilu(ImportContext& ctx) {
  ctx.only_attrs({"upper"});
  graph::AttrMap attrs = {{"upper", AttrValue::of_bool(ctx.attr_int("upper", 1) != 0)}};
  if (ctx.has_input(1)) attrs["k"] = AttrValue::of_ref(ctx.input(1), 0);
  ctx.emit_out("trilu", {ctx.input(0)}, std::move(attrs));
}

constexpr Converter kConverters[] = {
    {"Reshape", 1, reshape}, {"Expand", 8, expand},   {"Tile", 6, tile},           {"Slice", 1, slice},
    {"Pad", 2, pad},         {"Squeeze", 1, squeeze}, {"Unsqueeze", 1, unsqueeze}, {"Concat", 4, concat},
    {"Split", 2, split},     {"Resize", 10, resize},  {"Upsample", 9, resize},     {"Trilu", 14, trilu},
};

}  // namespace

std::span<const Converter> shape_converters() { return kConverters; }

}  // namespace keel::onnx_import
