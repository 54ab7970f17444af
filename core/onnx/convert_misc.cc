// Converters for constants, casts, Identity-like operators, variadic elementwise operators and the
// elementwise operators whose ONNX form differs from the spec's.
#include "graph/ir/errors.h"
#include "onnx/converters.h"
#include "onnx/tensor_proto.h"

namespace keel::onnx_import {
namespace {

using graph::AttrValue;
using graph::HostTensor;
using graph::ValueId;

void constant(ImportContext& ctx) {
  if (ctx.node().attribute_size() != 1) ctx.invalid("Constant needs exactly one value attribute");
  if (!ctx.has_output(0)) ctx.invalid("Constant needs an output");
  const onnx::AttributeProto& a = ctx.node().attribute(0);
  const std::string what = "Constant '" + ctx.node().name() + "'";
  HostTensor value;
  if (a.name() == "value") {
    value = tensor_from_proto(a.t(), what);
  } else if (a.name() == "value_float") {
    value = HostTensor::scalar(KEEL_DTYPE_F32, a.f());
  } else if (a.name() == "value_int") {
    value = HostTensor::scalar(KEEL_DTYPE_I64, 0);
    value.set_int(0, a.i());
  } else if (a.name() == "value_floats") {
    const std::vector<double> v(a.floats().begin(), a.floats().end());
    value = HostTensor::from<double>(KEEL_DTYPE_F32, {static_cast<int64_t>(v.size())}, v);
  } else if (a.name() == "value_ints") {
    const std::vector<int64_t> v(a.ints().begin(), a.ints().end());
    value = HostTensor::from_ints(v);
  } else {
    ctx.unsupported("Constant attribute '" + a.name() + "' is not supported");
  }
  const ValueId out = ctx.graph().add_constant(ctx.node().output(0), std::move(value));
  ctx.alias_output(0, out);
}

void constant_of_shape(ImportContext& ctx) {
  ctx.only_attrs({"value"});
  keel_dtype_t dtype = KEEL_DTYPE_F32;
  double fill = 0;
  if (const onnx::AttributeProto* a = ctx.attr("value")) {
    const HostTensor v = tensor_from_proto(a->t(), ctx.node_label() + " value");
    if (v.numel() != 1) ctx.invalid("value must hold one element");
    dtype = v.dtype();
    fill = v.get(0);
  }
  ctx.emit_out("full", {},
               {{"shape", AttrValue::of_ref(ctx.input(0))},
                {"value", AttrValue::of_float(fill)},
                {"dtype", AttrValue::of_dtype(dtype)}});
}

void cast_to(ImportContext& ctx, keel_dtype_t dtype) {
  if (dtype == KEEL_DTYPE_INVALID) ctx.unsupported("the target dtype is not in the spec");
  ctx.emit_out("cast", {ctx.input(0)}, {{"to", AttrValue::of_dtype(dtype)}});
}

void cast(ImportContext& ctx) {
  ctx.only_attrs({"to", "saturate"});
  const int64_t to = ctx.attr_int("to", 0);
  if (dtype_from_onnx(static_cast<int32_t>(to)) == KEEL_DTYPE_INVALID) {
    ctx.unsupported("target dtype " + onnx_dtype_name(static_cast<int32_t>(to)) + " is not in the spec");
  }
  cast_to(ctx, dtype_from_onnx(static_cast<int32_t>(to)));
}

void cast_like(ImportContext& ctx) {
  const keel_dtype_t dtype = ctx.input_dtype(1);
  if (dtype == KEEL_DTYPE_INVALID) ctx.unsupported("the dtype of target_type is unknown at import");
  cast_to(ctx, dtype);
}

void identity(ImportContext& ctx) { ctx.emit_out("copy", {ctx.input(0)}); }

void dropout(ImportContext& ctx) {
  ctx.only_attrs({"ratio", "seed"});
  if (ctx.version() >= 12 && ctx.has_input(2)) {
    // Training with ratio 0 keeps everything: the same as inference.
    const HostTensor* training = ctx.constant_input(2);
    const HostTensor* ratio = ctx.has_input(1) ? ctx.constant_input(1) : nullptr;
    const bool keeps_all = ratio != nullptr && ratio->numel() == 1 && ratio->get(0) == 0;
    if ((training == nullptr || training->get_int(0) != 0) && !keeps_all)
      ctx.unsupported("training mode gives a random output");
  }
  if (!ctx.has_output(1)) return identity(ctx);
  // Inference dropout: y = x and an all-true mask.
  ctx.emit("dropout", {ctx.input(0)}, {{"training", AttrValue::of_bool(false)}}, {ctx.output(0), ctx.output(1)});
}

// Sum, Mean, Max, Min: a left fold of the binary operator (ONNX broadcasts them the same way).
void fold(ImportContext& ctx, const char* op, bool mean) {
  ctx.only_attrs({});
  if (ctx.input_count() == 0) ctx.invalid("needs at least one input");
  ValueId acc = ctx.input(0);
  for (size_t i = 1; i < ctx.input_count(); ++i) acc = ctx.emit1(op, {acc, ctx.input(i)});
  if (mean) {
    const keel_dtype_t dtype = ctx.input_dtype(0);
    if (dtype == KEEL_DTYPE_INVALID) ctx.unsupported("Mean needs the input dtype, unknown at import");
    const ValueId n = ctx.constant(HostTensor::scalar(dtype, static_cast<double>(ctx.input_count())), "count");
    acc = ctx.emit1("div", {acc, n});
  }
  ctx.emit_out("copy", {acc});
}

void sum(ImportContext& ctx) { fold(ctx, "add", false); }
void mean(ImportContext& ctx) { fold(ctx, "add", true); }
void max(ImportContext& ctx) { fold(ctx, "maximum", false); }
void min(ImportContext& ctx) { fold(ctx, "minimum", false); }

void mod(ImportContext& ctx) {
  ctx.only_attrs({"fmod"});
  ctx.emit_out(ctx.attr_int("fmod", 0) != 0 ? "fmod" : "remainder", {ctx.input(0), ctx.input(1)});
}

// ONNX Div truncates integer quotients; the spec's default rounding is for floats only.
void div(ImportContext& ctx) {
  ctx.only_attrs({});
  graph::AttrMap attrs;
  if (spec::is_integer_dtype(ctx.input_dtype(0))) attrs["rounding"] = AttrValue::of_enum("trunc");
  ctx.emit_out("div", {ctx.input(0), ctx.input(1)}, std::move(attrs));
}

void clip(ImportContext& ctx) {
  if (ctx.version() < 11) {
    ctx.only_attrs({"min", "max"});
    const keel_dtype_t dtype =
        ctx.input_dtype(0) == KEEL_DTYPE_INVALID ? keel_dtype_t{KEEL_DTYPE_F32} : ctx.input_dtype(0);
    const ValueId lo = ctx.has_attr("min") ? ctx.constant(HostTensor::scalar(dtype, ctx.attr_float("min", 0)), "min")
                                           : graph::kNoValue;
    const ValueId hi = ctx.has_attr("max") ? ctx.constant(HostTensor::scalar(dtype, ctx.attr_float("max", 0)), "max")
                                           : graph::kNoValue;
    return ctx.emit_out("clamp", {ctx.input(0), lo, hi});
  }
  ctx.only_attrs({});
  ctx.emit_out("clamp", {ctx.input(0), ctx.optional_input(1), ctx.optional_input(2)});
}

void shape(ImportContext& ctx) {
  ctx.only_attrs({"start", "end"});
  if (!ctx.has_attr("start") && !ctx.has_attr("end")) return ctx.emit_out("shape", {ctx.input(0)});
  const ValueId full = ctx.emit1("shape", {ctx.input(0)});
  ctx.emit_out("slice", {full},
               {{"starts", AttrValue::of_ints({ctx.attr_int("start", 0)})},
                {"ends", AttrValue::of_ints({ctx.attr_int("end", INT64_MAX)})}});
}

void range(ImportContext& ctx) {
  keel_dtype_t dtype = ctx.input_dtype(0);
  if (dtype == KEEL_DTYPE_INVALID) ctx.unsupported("the dtype of start is unknown at import");
  ctx.emit_out("arange", {},
               {{"start", AttrValue::of_ref(ctx.input(0), 0)},
                {"limit", AttrValue::of_ref(ctx.input(1), 0)},
                {"delta", AttrValue::of_ref(ctx.input(2), 0)},
                {"dtype", AttrValue::of_dtype(dtype)}});
}

void eye_like(ImportContext& ctx) {
  ctx.only_attrs({"dtype", "k"});
  const graph::ValueType type = ctx.input_type(0);
  if (!type.is_static() || type.rank() != 2) ctx.unsupported("EyeLike needs a static 2-D input shape");
  keel_dtype_t dtype = type.dtype;
  if (ctx.has_attr("dtype")) dtype = dtype_from_onnx(static_cast<int32_t>(ctx.attr_int("dtype", 0)));
  if (dtype == KEEL_DTYPE_INVALID) ctx.unsupported("the output dtype is not in the spec");
  const std::vector<int64_t> dims = type.shape();
  ctx.emit_out("eye", {},
               {{"rows", AttrValue::of_int(dims[0])},
                {"cols", AttrValue::of_int(dims[1])},
                {"k", AttrValue::of_int(ctx.attr_int("k", 0))},
                {"dtype", AttrValue::of_dtype(dtype)}});
}

void transpose(ImportContext& ctx) {
  ctx.only_attrs({"perm"});
  std::vector<int64_t> perm = ctx.attr_ints("perm");
  if (!ctx.has_attr("perm")) {
    const size_t rank = ctx.input_rank(0, "Transpose without perm");
    for (size_t i = 0; i < rank; ++i) perm.push_back(static_cast<int64_t>(rank - 1 - i));
  }
  ctx.emit_out("permute", {ctx.input(0)}, {{"perm", AttrValue::of_ints(perm)}});
}

void flatten(ImportContext& ctx) {
  ctx.only_attrs({"axis"});
  ctx.emit_out("flatten", {ctx.input(0)}, {{"axis", AttrValue::of_int(ctx.attr_int("axis", 1))}});
}

// Softmax and LogSoftmax before opset 13 work on the input flattened to 2-D at `axis`.
void softmax_like(ImportContext& ctx, const char* op) {
  ctx.only_attrs({"axis"});
  if (ctx.version() >= 13)
    return ctx.emit_out(op, {ctx.input(0)}, {{"axis", AttrValue::of_int(ctx.attr_int("axis", -1))}});
  const ValueId x = ctx.input(0);
  const ValueId flat = ctx.emit1("flatten", {x}, {{"axis", AttrValue::of_int(ctx.attr_int("axis", 1))}});
  const ValueId y = ctx.emit1(op, {flat}, {{"axis", AttrValue::of_int(-1)}});
  const ValueId shape = ctx.emit1("shape", {x});
  ctx.emit_out("reshape", {y}, {{"shape", AttrValue::of_ref(shape)}});
}

void softmax(ImportContext& ctx) { softmax_like(ctx, "softmax"); }
void log_softmax(ImportContext& ctx) { softmax_like(ctx, "log_softmax"); }

void where(ImportContext& ctx) { ctx.emit_out("where", {ctx.input(0), ctx.input(1), ctx.input(2)}); }

void thresholded_relu(ImportContext& ctx) {
  ctx.only_attrs({"alpha"});
  const keel_dtype_t dtype = ctx.input_dtype(0);
  if (dtype == KEEL_DTYPE_INVALID) ctx.unsupported("the input dtype is unknown at import");
  const ValueId x = ctx.input(0);
  const ValueId alpha = ctx.constant(HostTensor::scalar(dtype, ctx.attr_float("alpha", 1.0)), "alpha");
  const ValueId zero = ctx.constant(HostTensor::scalar(dtype, 0), "zero");
  ctx.emit_out("where", {ctx.emit1("greater", {x, alpha}), x, zero});
}

// The spec's nonzero pads its [rank, numel] indices with -1 columns; ONNX's result is the first `count`.
void nonzero(ImportContext& ctx) {
  ctx.only_attrs({});
  const ValueId indices = ctx.temp("indices"), count = ctx.temp("count");
  ctx.emit("nonzero", {ctx.input(0)}, {}, {indices, count});
  ctx.emit_out(
      "slice", {indices},
      {{"starts", AttrValue::of_ints({0})}, {"ends", AttrValue::of_ref(count)}, {"axes", AttrValue::of_ints({1})}});
}

void random(ImportContext& ctx) {
  ctx.unsupported("random output: the spec's Philox generator does not reproduce ONNX's unspecified one");
}

constexpr Converter kConverters[] = {
    {"NonZero", 9, nonzero},
    {"Bernoulli", 15, random},
    {"RandomUniform", 1, random},
    {"RandomNormal", 1, random},
    {"RandomUniformLike", 1, random},
    {"RandomNormalLike", 1, random},
    {"Constant", 1, constant},
    {"ConstantOfShape", 9, constant_of_shape},
    {"Cast", 6, cast},
    {"CastLike", 15, cast_like},
    {"Identity", 1, identity},
    {"Dropout", 7, dropout},
    {"Sum", 6, sum},
    {"Mean", 6, mean},
    {"Max", 6, max},
    {"Min", 6, min},
    {"Mod", 10, mod},
    {"Div", 7, div},
    {"Clip", 6, clip},
    {"Shape", 1, shape},
    {"Range", 11, range},
    {"EyeLike", 9, eye_like},
    {"Transpose", 1, transpose},
    {"Flatten", 1, flatten},
    {"Softmax", 1, softmax},
    {"LogSoftmax", 1, log_softmax},
    {"Where", 9, where},
    {"ThresholdedRelu", 10, thresholded_relu},
};

}  // namespace

std::span<const Converter> misc_converters() { return kConverters; }

}  // namespace keel::onnx_import
