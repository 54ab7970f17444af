// Converters for convolution, pooling, Gemm, normalization and the losses.
#include "onnx/converters.h"

namespace keel::onnx_import {
namespace {

using graph::AttrValue;
using graph::ValueId;

// A per-axis attribute must be empty (defaults) or hold `count` entries.
void check_length(const ImportContext& ctx, const std::vector<int64_t>& values, size_t count, const char* name) {
  if (!values.empty() && values.size() != count) {
    ctx.invalid(std::string("attribute '") + name + "' has " + std::to_string(values.size()) + " entries, expected " +
                std::to_string(count));
  }
}

// Explicit begin/end pads for ONNX auto_pad (NOTSET keeps `pads`; VALID is no padding; SAME_* pads so the
// output is ceil(input / stride), the odd pad going to the end for SAME_UPPER and to the begin for
// SAME_LOWER). SAME needs the input's spatial shape.
std::vector<int64_t> resolve_pads(ImportContext& ctx, const std::vector<int64_t>& kernel,
                                  const std::vector<int64_t>& strides, const std::vector<int64_t>& dilations) {
  const std::string auto_pad = ctx.attr_string("auto_pad", "NOTSET");
  if (auto_pad == "NOTSET") return ctx.attr_ints("pads");
  const size_t k = kernel.size();
  check_length(ctx, strides, k, "strides");
  check_length(ctx, dilations, k, "dilations");
  if (auto_pad == "VALID") return std::vector<int64_t>(2 * k, 0);
  if (auto_pad != "SAME_UPPER" && auto_pad != "SAME_LOWER") ctx.invalid("unknown auto_pad '" + auto_pad + "'");
  const graph::ValueType type = ctx.input_type(0);
  if (!type.rank_known || type.rank() != k + 2)
    ctx.unsupported("auto_pad " + auto_pad + " needs the input shape, unknown at import");
  std::vector<int64_t> pads(2 * k, 0);
  for (size_t i = 0; i < k; ++i) {
    const graph::Dim& dim = type.dims[i + 2];
    if (!dim.is_static()) ctx.unsupported("auto_pad " + auto_pad + " needs static spatial dimensions");
    const int64_t s = strides.empty() ? 1 : strides[i];
    const int64_t d = dilations.empty() ? 1 : dilations[i];
    const int64_t out = (dim.value + s - 1) / s;
    const int64_t total = std::max<int64_t>(0, (out - 1) * s + (kernel[i] - 1) * d + 1 - dim.value);
    pads[i] = auto_pad == "SAME_UPPER" ? total / 2 : total - total / 2;
    pads[i + k] = total - pads[i];
  }
  return pads;
}

// The kernel's spatial shape: the attribute, else the weight's declared shape.
std::vector<int64_t> kernel_shape(ImportContext& ctx) {
  if (ctx.has_attr("kernel_shape")) return ctx.attr_ints("kernel_shape");
  const graph::ValueType w = ctx.input_type(1);
  if (!w.is_static()) ctx.unsupported("the kernel shape is unknown at import");
  if (w.rank() < 2) ctx.invalid("the weight must have rank 2 or more");
  const std::vector<int64_t> shape = w.shape();
  return std::vector<int64_t>(shape.begin() + 2, shape.end());
}

void conv(ImportContext& ctx) {
  ctx.only_attrs({"auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"});
  const std::vector<int64_t> strides = ctx.attr_ints("strides"), dilations = ctx.attr_ints("dilations");
  const std::vector<int64_t> pads = ctx.attr_string("auto_pad", "NOTSET") == "NOTSET"
                                        ? ctx.attr_ints("pads")
                                        : resolve_pads(ctx, kernel_shape(ctx), strides, dilations);
  ctx.emit_out("conv", {ctx.input(0), ctx.input(1), ctx.optional_input(2)},
               {{"strides", AttrValue::of_ints(strides)},
                {"pads", AttrValue::of_ints(pads)},
                {"dilations", AttrValue::of_ints(dilations)},
                {"groups", AttrValue::of_int(ctx.attr_int("group", 1))}});
}

void conv_transpose(ImportContext& ctx) {
  ctx.only_attrs(
      {"auto_pad", "dilations", "group", "kernel_shape", "output_padding", "output_shape", "pads", "strides"});
  const std::vector<int64_t> kernel = kernel_shape(ctx);
  const size_t k = kernel.size();
  std::vector<int64_t> strides = ctx.attr_ints("strides", std::vector<int64_t>(k, 1));
  std::vector<int64_t> dilations = ctx.attr_ints("dilations", std::vector<int64_t>(k, 1));
  std::vector<int64_t> output_padding = ctx.attr_ints("output_padding", std::vector<int64_t>(k, 0));
  std::vector<int64_t> pads = ctx.attr_ints("pads", std::vector<int64_t>(2 * k, 0));
  check_length(ctx, strides, k, "strides");
  check_length(ctx, dilations, k, "dilations");
  check_length(ctx, output_padding, k, "output_padding");
  check_length(ctx, pads, 2 * k, "pads");
  const std::string auto_pad = ctx.attr_string("auto_pad", "NOTSET");
  if (ctx.has_attr("output_shape") || auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
    // Pads that give the requested output size: total = s·(D - 1) + output_padding + (K - 1)·l + 1 - out.
    const graph::ValueType x = ctx.input_type(0);
    if (!x.is_static() || x.rank() != k + 2) ctx.unsupported("output_shape / auto_pad needs the static input shape");
    std::vector<int64_t> out = ctx.attr_ints("output_shape");
    if (out.size() == k + 2) out.erase(out.begin(), out.begin() + 2);
    check_length(ctx, out, k, "output_shape");
    for (size_t i = 0; i < k; ++i) {
      const int64_t d = x.dims[i + 2].value;
      const int64_t target = out.empty() ? d * strides[i] : out[i];
      const int64_t total = strides[i] * (d - 1) + output_padding[i] + (kernel[i] - 1) * dilations[i] + 1 - target;
      if (total < 0) {
        output_padding[i] -= total;  // the output grows at the end
        pads[i] = pads[i + k] = 0;
        continue;
      }
      const bool upper = auto_pad != "SAME_LOWER";
      pads[i] = upper ? total / 2 : total - total / 2;
      pads[i + k] = total - pads[i];
    }
  } else if (auto_pad == "VALID") {
    pads.assign(2 * k, 0);
  }
  ctx.emit_out("conv_transpose", {ctx.input(0), ctx.input(1), ctx.optional_input(2)},
               {{"strides", AttrValue::of_ints(strides)},
                {"pads", AttrValue::of_ints(pads)},
                {"dilations", AttrValue::of_ints(dilations)},
                {"groups", AttrValue::of_int(ctx.attr_int("group", 1))},
                {"output_padding", AttrValue::of_ints(output_padding)}});
}

graph::AttrMap pool_attrs(ImportContext& ctx) {
  const std::vector<int64_t> kernel = ctx.attr_ints("kernel_shape");
  const std::vector<int64_t> strides = ctx.attr_ints("strides"), dilations = ctx.attr_ints("dilations");
  return {{"kernel_shape", AttrValue::of_ints(kernel)},
          {"strides", AttrValue::of_ints(strides)},
          {"dilations", AttrValue::of_ints(dilations)},
          {"pads", AttrValue::of_ints(resolve_pads(ctx, kernel, strides, dilations))},
          {"ceil_mode", AttrValue::of_bool(ctx.attr_int("ceil_mode", 0) != 0)}};
}

// ONNX's Indices count over the whole tensor: the spec's per-plane index plus (n·C + c)·plane, added from a
// constant built from the static input shape.
void max_pool(ImportContext& ctx) {
  ctx.only_attrs({"auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads", "storage_order", "strides"});
  if (!ctx.has_output(1))
    return (void)ctx.emit("max_pool", {ctx.input(0)}, pool_attrs(ctx), {ctx.output(0), ctx.temp("indices")});
  if (ctx.attr_int("storage_order", 0) != 0) ctx.unsupported("Indices in column-major storage_order are not supported");
  const graph::ValueType x = ctx.input_type(0);
  if (!x.is_static() || x.rank() < 3) ctx.unsupported("the Indices output needs the static input shape");
  const std::vector<int64_t> shape = x.shape();
  int64_t plane = 1;
  for (size_t i = 2; i < shape.size(); ++i) plane *= shape[i];
  std::vector<int64_t> offset_shape(shape.size(), 1);
  offset_shape[0] = shape[0];
  offset_shape[1] = shape[1];
  graph::HostTensor offsets(KEEL_DTYPE_I64, offset_shape);
  for (int64_t i = 0; i < offsets.numel(); ++i) offsets.set_int(i, i * plane);
  const ValueId local = ctx.temp("plane_indices");
  ctx.emit("max_pool", {ctx.input(0)}, pool_attrs(ctx), {ctx.output(0), local});
  ctx.emit("add", {local, ctx.constant(std::move(offsets), "plane_offsets")}, {}, {ctx.output(1)});
}

void average_pool(ImportContext& ctx) {
  ctx.only_attrs({"auto_pad", "ceil_mode", "count_include_pad", "dilations", "kernel_shape", "pads", "strides"});
  graph::AttrMap attrs = pool_attrs(ctx);
  attrs["count_include_pad"] = AttrValue::of_bool(ctx.attr_int("count_include_pad", 0) != 0);
  ctx.emit_out("avg_pool", {ctx.input(0)}, std::move(attrs));
}

void global_pool(ImportContext& ctx, const char* op) {
  ctx.only_attrs({});
  const size_t rank = ctx.input_rank(0, "a global pool");
  std::vector<int64_t> axes;
  for (size_t i = 2; i < rank; ++i) axes.push_back(static_cast<int64_t>(i));
  ctx.emit_out(op, {ctx.input(0)}, {{"axes", AttrValue::of_ints(axes)}, {"keepdims", AttrValue::of_bool(true)}});
}

void global_average_pool(ImportContext& ctx) { global_pool(ctx, "reduce_mean"); }
void global_max_pool(ImportContext& ctx) { global_pool(ctx, "reduce_max"); }

void gemm(ImportContext& ctx) {
  ctx.only_attrs({"alpha", "beta", "transA", "transB", "broadcast"});
  ctx.emit_out("gemm", {ctx.input(0), ctx.input(1), ctx.optional_input(2)},
               {{"alpha", AttrValue::of_float(ctx.attr_float("alpha", 1.0))},
                {"beta", AttrValue::of_float(ctx.attr_float("beta", 1.0))},
                {"trans_a", AttrValue::of_bool(ctx.attr_int("transA", 0) != 0)},
                {"trans_b", AttrValue::of_bool(ctx.attr_int("transB", 0) != 0)}});
}

// Training mode (15+): batch statistics from batch_norm_training, and the running statistics ONNX outputs,
// running = input · momentum + batch · (1 - momentum) (the biased variance, as ONNX's reference uses).
void batch_norm_training(ImportContext& ctx) {
  const keel_dtype_t dtype = ctx.input_dtype(0);
  if (dtype == KEEL_DTYPE_INVALID) ctx.unsupported("training mode needs the input dtype at import");
  const ValueId mean = ctx.temp("batch_mean"), var = ctx.temp("batch_var");
  ctx.emit("batch_norm_training", {ctx.input(0), ctx.input(1), ctx.input(2)},
           {{"epsilon", AttrValue::of_float(ctx.attr_float("epsilon", 1e-5))}}, {ctx.output(0), mean, var});
  const double momentum = ctx.attr_float("momentum", 0.9);
  const ValueId keep = ctx.constant(graph::HostTensor::scalar(dtype, momentum), "momentum");
  const ValueId take = ctx.constant(graph::HostTensor::scalar(dtype, 1 - momentum), "one_minus_momentum");
  for (size_t i = 1; i <= 2; ++i) {
    if (!ctx.has_output(i)) continue;
    const ValueId old_part = ctx.emit1("mul", {ctx.input(i + 2), keep});
    const ValueId new_part = ctx.emit1("mul", {i == 1 ? mean : var, take});
    ctx.emit("add", {old_part, new_part}, {}, {ctx.output(i)});
  }
}

void batch_norm(ImportContext& ctx) {
  ctx.only_attrs({"epsilon", "momentum", "training_mode", "spatial"});
  if (ctx.attr_int("training_mode", 0) != 0) {
    if (ctx.version() < 14) ctx.unsupported("training mode before version 14 is not supported");
    return batch_norm_training(ctx);
  }
  if (ctx.has_output(1)) ctx.unsupported("running statistics outputs outside training mode are not supported");
  if (ctx.attr_int("spatial", 1) != 1) ctx.unsupported("spatial = 0 is not supported");
  ctx.emit_out("batch_norm", {ctx.input(0), ctx.input(1), ctx.input(2), ctx.input(3), ctx.input(4)},
               {{"epsilon", AttrValue::of_float(ctx.attr_float("epsilon", 1e-5))}});
}

void instance_norm(ImportContext& ctx) {
  ctx.only_attrs({"epsilon"});
  const graph::ValueType scale = ctx.input_type(1);
  if (!scale.is_static() || scale.rank() != 1)
    ctx.unsupported("the channel count (scale's shape) is unknown at import");
  ctx.emit("group_norm", {ctx.input(0), ctx.input(1), ctx.input(2)},
           {{"num_groups", AttrValue::of_int(scale.dims[0].value)},
            {"epsilon", AttrValue::of_float(ctx.attr_float("epsilon", 1e-5))}},
           {ctx.output(0), ctx.temp("mean"), ctx.temp("inv_std")});
}

void layer_norm(ImportContext& ctx) {
  ctx.only_attrs({"axis", "epsilon", "stash_type"});
  if (ctx.attr_int("stash_type", 1) != 1) ctx.unsupported("stash_type other than float is not supported");
  ctx.emit("layer_norm", {ctx.input(0), ctx.input(1), ctx.optional_input(2)},
           {{"axis", AttrValue::of_int(ctx.attr_int("axis", -1))},
            {"epsilon", AttrValue::of_float(ctx.attr_float("epsilon", 1e-5))}},
           {ctx.output(0), ctx.output(1), ctx.output(2)});
}

graph::AttrMap loss_attrs(ImportContext& ctx) {
  const std::string r = ctx.attr_string("reduction", "mean");
  if (r != "none" && r != "mean" && r != "sum") ctx.invalid("unknown reduction '" + r + "'");
  graph::AttrMap attrs = {{"reduction", AttrValue::of_enum(r)}};
  if (ctx.has_attr("ignore_index")) attrs["ignore_index"] = AttrValue::of_int(ctx.attr_int("ignore_index", 0));
  return attrs;
}

void nll_loss(ImportContext& ctx) {
  ctx.only_attrs({"reduction", "ignore_index"});
  ctx.emit_out("nll_loss", {ctx.input(0), ctx.input(1), ctx.optional_input(2)}, loss_attrs(ctx));
}

// SoftmaxCrossEntropyLoss; its optional second output is log_softmax over the class axis (1).
void cross_entropy(ImportContext& ctx) {
  ctx.only_attrs({"reduction", "ignore_index"});
  ctx.emit_out("cross_entropy", {ctx.input(0), ctx.input(1), ctx.optional_input(2)}, loss_attrs(ctx));
  if (ctx.has_output(1)) ctx.emit("log_softmax", {ctx.input(0)}, {{"axis", AttrValue::of_int(1)}}, {ctx.output(1)});
}

constexpr Converter kConverters[] = {
    {"Conv", 1, conv},
    {"ConvTranspose", 1, conv_transpose},
    {"MaxPool", 8, max_pool},
    {"AveragePool", 7, average_pool},
    {"GlobalAveragePool", 1, global_average_pool},
    {"GlobalMaxPool", 1, global_max_pool},
    {"Gemm", 7, gemm},
    {"BatchNormalization", 7, batch_norm},
    {"InstanceNormalization", 6, instance_norm},
    {"LayerNormalization", 17, layer_norm},
    {"NegativeLogLikelihoodLoss", 12, nll_loss},
    {"SoftmaxCrossEntropyLoss", 12, cross_entropy},
};

}  // namespace

std::span<const Converter> nn_converters() { return kConverters; }

}  // namespace keel::onnx_import
