// Converters for ONNX operators the spec has no operator for but that compose from a few spec operators:
// Size, Hardmax, the hyperbolic functions, Shrink, DepthToSpace, SpaceToDepth, MeanVarianceNormalization
// and LRN.
#include <cmath>

#include "onnx/converters.h"

namespace keel::onnx_import {
namespace {

using graph::AttrValue;
using graph::HostTensor;
using graph::ValueId;

keel_dtype_t known_dtype(ImportContext& ctx, size_t input) {
  const keel_dtype_t dtype = ctx.input_dtype(input);
  if (dtype == KEEL_DTYPE_INVALID)
    ctx.unsupported("the dtype of input " + std::to_string(input) + " is unknown at import");
  return dtype;
}

ValueId scalar(ImportContext& ctx, keel_dtype_t dtype, double value, const char* name) {
  return ctx.constant(HostTensor::scalar(dtype, value), name);
}

// Size = the product of Shape (a 0-D i64).
void size(ImportContext& ctx) {
  ctx.only_attrs({});
  const ValueId shape = ctx.emit1("shape", {ctx.input(0)});
  ctx.emit_out("reduce_prod", {shape}, {{"keepdims", AttrValue::of_bool(false)}});
}

// The length of x's axis `axis` as a 0-D i64 value.
ValueId axis_length(ImportContext& ctx, ValueId x, int64_t axis) {
  const ValueId shape = ctx.emit1("shape", {x});
  const ValueId index = ctx.constant(HostTensor::scalar(KEEL_DTYPE_I64, static_cast<double>(axis)), "axis");
  return ctx.emit1("gather", {shape, index});
}

// Hardmax = one_hot(argmax(x, axis)) along axis (the first maximum wins, as in ONNX).
void hardmax(ImportContext& ctx) {
  ctx.only_attrs({"axis"});
  if (ctx.version() < 13) ctx.unsupported("Hardmax before 13 (2-D coerced input) is not supported");
  const keel_dtype_t dtype = known_dtype(ctx, 0);
  const ValueId x = ctx.input(0);
  const int64_t axis = ctx.attr_int("axis", -1);
  const ValueId index =
      ctx.emit1("argmax", {x}, {{"axis", AttrValue::of_int(axis)}, {"keepdims", AttrValue::of_bool(false)}});
  ctx.emit_out("one_hot", {index},
               {{"depth", AttrValue::of_ref(axis_length(ctx, x, axis), 0)},
                {"axis", AttrValue::of_int(axis)},
                {"dtype", AttrValue::of_dtype(dtype)}});
}

// sinh = (e^x - e^-x) / 2, cosh = (e^x + e^-x) / 2.
void hyperbolic(ImportContext& ctx, const char* combine) {
  ctx.only_attrs({});
  const keel_dtype_t dtype = known_dtype(ctx, 0);
  const ValueId x = ctx.input(0);
  const ValueId up = ctx.emit1("exp", {x});
  const ValueId down = ctx.emit1("exp", {ctx.emit1("neg", {x})});
  ctx.emit_out("div", {ctx.emit1(combine, {up, down}), scalar(ctx, dtype, 2, "two")});
}

void sinh(ImportContext& ctx) { hyperbolic(ctx, "sub"); }
void cosh(ImportContext& ctx) { hyperbolic(ctx, "add"); }

// asinh = log(x + sqrt(x² + 1)), acosh = log(x + sqrt(x² - 1)).
void inverse_hyperbolic(ImportContext& ctx, const char* combine) {
  ctx.only_attrs({});
  const keel_dtype_t dtype = known_dtype(ctx, 0);
  const ValueId x = ctx.input(0);
  const ValueId root =
      ctx.emit1("sqrt", {ctx.emit1(combine, {ctx.emit1("mul", {x, x}), scalar(ctx, dtype, 1, "one")})});
  ctx.emit_out("log", {ctx.emit1("add", {x, root})});
}

void asinh(ImportContext& ctx) { inverse_hyperbolic(ctx, "add"); }
void acosh(ImportContext& ctx) { inverse_hyperbolic(ctx, "sub"); }

// atanh = log((1 + x) / (1 - x)) / 2.
void atanh(ImportContext& ctx) {
  ctx.only_attrs({});
  const keel_dtype_t dtype = known_dtype(ctx, 0);
  const ValueId x = ctx.input(0);
  const ValueId one = scalar(ctx, dtype, 1, "one");
  const ValueId ratio = ctx.emit1("div", {ctx.emit1("add", {one, x}), ctx.emit1("sub", {one, x})});
  ctx.emit_out("div", {ctx.emit1("log", {ratio}), scalar(ctx, dtype, 2, "two")});
}

// Shrink: x + bias below -lambd, x - bias above lambd, 0 between.
void shrink(ImportContext& ctx) {
  ctx.only_attrs({"bias", "lambd"});
  const keel_dtype_t dtype = known_dtype(ctx, 0);
  const ValueId x = ctx.input(0);
  const double lambd = ctx.attr_float("lambd", 0.5), bias = ctx.attr_float("bias", 0);
  const ValueId below = ctx.emit1("less", {x, scalar(ctx, dtype, -lambd, "low")});
  const ValueId above = ctx.emit1("greater", {x, scalar(ctx, dtype, lambd, "high")});
  const ValueId bias_v = scalar(ctx, dtype, bias, "bias");
  const ValueId inner = ctx.emit1("where", {above, ctx.emit1("sub", {x, bias_v}), scalar(ctx, dtype, 0, "zero")});
  ctx.emit_out("where", {below, ctx.emit1("add", {x, bias_v}), inner});
}

// x's static 4-D shape, for the block rearrangements.
std::vector<int64_t> static_nchw(ImportContext& ctx) {
  const graph::ValueType type = ctx.input_type(0);
  if (!type.is_static() || type.rank() != 4) ctx.unsupported("needs a static 4-D input shape");
  return type.shape();
}

// DepthToSpace / SpaceToDepth as reshape → permute → reshape.
void rearrange(ImportContext& ctx, std::vector<int64_t> split, std::vector<int64_t> perm, std::vector<int64_t> out) {
  const ValueId a = ctx.emit1("reshape", {ctx.input(0)}, {{"shape", AttrValue::of_ints(std::move(split))}});
  const ValueId b = ctx.emit1("permute", {a}, {{"perm", AttrValue::of_ints(std::move(perm))}});
  ctx.emit_out("reshape", {b}, {{"shape", AttrValue::of_ints(std::move(out))}});
}

void depth_to_space(ImportContext& ctx) {
  ctx.only_attrs({"blocksize", "mode"});
  const std::vector<int64_t> s = static_nchw(ctx);
  const int64_t b = ctx.attr_int("blocksize", 0);
  if (b <= 0 || s[1] % (b * b) != 0) ctx.invalid("blocksize must be positive and its square divide the channels");
  const int64_t c = s[1] / (b * b);
  if (ctx.attr_string("mode", "DCR") == "DCR") {
    rearrange(ctx, {s[0], b, b, c, s[2], s[3]}, {0, 3, 4, 1, 5, 2}, {s[0], c, s[2] * b, s[3] * b});
  } else {
    rearrange(ctx, {s[0], c, b, b, s[2], s[3]}, {0, 1, 4, 2, 5, 3}, {s[0], c, s[2] * b, s[3] * b});
  }
}

void space_to_depth(ImportContext& ctx) {
  ctx.only_attrs({"blocksize"});
  const std::vector<int64_t> s = static_nchw(ctx);
  const int64_t b = ctx.attr_int("blocksize", 0);
  if (b <= 0 || s[2] % b != 0 || s[3] % b != 0) ctx.invalid("blocksize must be positive and divide the spatial axes");
  rearrange(ctx, {s[0], s[1], s[2] / b, b, s[3] / b, b}, {0, 3, 5, 1, 2, 4}, {s[0], s[1] * b * b, s[2] / b, s[3] / b});
}

// MeanVarianceNormalization: (x - mean) / sqrt(var + 1e-9) over `axes` (ONNX's function body).
void mean_variance_norm(ImportContext& ctx) {
  ctx.only_attrs({"axes"});
  const keel_dtype_t dtype = known_dtype(ctx, 0);
  const ValueId x = ctx.input(0);
  const graph::AttrMap reduce = {{"axes", AttrValue::of_ints(ctx.attr_ints("axes", {0, 2, 3}))},
                                 {"keepdims", AttrValue::of_bool(true)}};
  const ValueId centered = ctx.emit1("sub", {x, ctx.emit1("reduce_mean", {x}, reduce)});
  const ValueId var = ctx.emit1("reduce_mean", {ctx.emit1("mul", {centered, centered})}, reduce);
  const ValueId std_dev = ctx.emit1("sqrt", {ctx.emit1("add", {var, scalar(ctx, dtype, 1e-9, "epsilon")})});
  ctx.emit_out("div", {centered, std_dev});
}

// LRN: x / (bias + alpha / size · Σ x²)^beta, the sum over `size` neighbouring channels: x² viewed as
// [N, 1, C, rest] through an average pool of [size, 1] that counts the zero padding (so mean · size = sum).
void lrn(ImportContext& ctx) {
  ctx.only_attrs({"alpha", "beta", "bias", "size"});
  const keel_dtype_t dtype = known_dtype(ctx, 0);
  const graph::ValueType type = ctx.input_type(0);
  if (!type.is_static() || type.rank() < 3) ctx.unsupported("needs a static input shape of rank 3 or more");
  const std::vector<int64_t> shape = type.shape();
  int64_t rest = 1;
  for (size_t i = 2; i < shape.size(); ++i) rest *= shape[i];
  const int64_t size = ctx.attr_int("size", 0);
  if (size <= 0) ctx.invalid("size must be positive");
  const int64_t before = (size - 1) / 2, after = size - 1 - before;
  const ValueId x = ctx.input(0);
  const ValueId squares =
      ctx.emit1("reshape", {ctx.emit1("mul", {x, x})}, {{"shape", AttrValue::of_ints({shape[0], 1, shape[1], rest})}});
  const ValueId mean = ctx.emit1("avg_pool", {squares},
                                 {{"kernel_shape", AttrValue::of_ints({size, 1})},
                                  {"pads", AttrValue::of_ints({before, 0, after, 0})},
                                  {"count_include_pad", AttrValue::of_bool(true)}});
  const ValueId sum = ctx.emit1("reshape", {mean}, {{"shape", AttrValue::of_ints(shape)}});
  // bias + alpha / size · (mean · size) = bias + alpha · mean
  const ValueId scaled = ctx.emit1("mul", {sum, scalar(ctx, dtype, ctx.attr_float("alpha", 1e-4), "alpha")});
  const ValueId base = ctx.emit1("add", {scaled, scalar(ctx, dtype, ctx.attr_float("bias", 1.0), "bias")});
  const ValueId denom = ctx.emit1("pow", {base, scalar(ctx, dtype, ctx.attr_float("beta", 0.75), "beta")});
  ctx.emit_out("div", {x, denom});
}

constexpr Converter kConverters[] = {
    {"MeanVarianceNormalization", 9, mean_variance_norm},
    {"LRN", 1, lrn},
    {"Size", 1, size},
    {"Hardmax", 1, hardmax},
    {"Sinh", 9, sinh},
    {"Cosh", 9, cosh},
    {"Asinh", 9, asinh},
    {"Acosh", 9, acosh},
    {"Atanh", 9, atanh},
    {"Shrink", 9, shrink},
    {"DepthToSpace", 1, depth_to_space},
    {"SpaceToDepth", 1, space_to_depth},
};

}  // namespace

std::span<const Converter> composite_converters() { return kConverters; }

}  // namespace keel::onnx_import
