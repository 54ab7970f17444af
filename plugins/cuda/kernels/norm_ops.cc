// layer_norm, rms_norm (gpu/norm.cu) and cumsum.
#include "keel/keel_ops.h"
#include "kernels/layout.h"
#include "kernels/ops.h"

namespace keel::cuda {
namespace {

// Rows are x's dims before `axis`, a row's elements the dims from `axis` on. `stats` (mean, inv_std; may be
// absent) keep x's rank with the normalized dims as 1; scale and bias (may be absent) are shaped x[axis:].
gpu::NormArgs norm_args(const Tensor& x, const Tensor& y, uint32_t axis, const Tensor* mean, const Tensor* inv_std,
                        const Tensor& scale, const Tensor& bias) {
  gpu::NormArgs args;
  args.x = x.base;
  args.y = y.base;
  args.rows = 1;
  args.n = 1;
  const auto bytes = [](const Tensor& t, uint32_t d) { return t.strides[d] * static_cast<int64_t>(t.element_size); };
  for (uint32_t d = 0; d < axis; ++d) {
    args.outer_dims[args.outer_rank] = x.shape[d];
    args.outer_strides[0][args.outer_rank] = bytes(x, d);
    args.outer_strides[1][args.outer_rank] = bytes(y, d);
    if (mean != nullptr) args.outer_strides[2][args.outer_rank] = bytes(*mean, d);
    if (inv_std != nullptr) args.outer_strides[3][args.outer_rank] = bytes(*inv_std, d);
    ++args.outer_rank;
    args.rows *= x.shape[d];
  }
  for (uint32_t d = axis; d < x.rank; ++d) {
    const uint32_t k = d - axis;
    args.inner_dims[args.inner_rank] = x.shape[d];
    args.inner_strides[0][args.inner_rank] = bytes(x, d);
    args.inner_strides[1][args.inner_rank] = bytes(y, d);
    if (!scale.absent) args.inner_strides[2][args.inner_rank] = bytes(scale, k);
    if (!bias.absent) args.inner_strides[3][args.inner_rank] = bytes(bias, k);
    ++args.inner_rank;
    args.n *= x.shape[d];
  }
  if (mean != nullptr) args.mean = mean->base;
  if (inv_std != nullptr) args.inv_std = inv_std->base;
  if (!scale.absent) args.scale = scale.base;
  if (!bias.absent) args.bias = bias.base;
  int64_t* outer[4] = {args.outer_strides[0], args.outer_strides[1], args.outer_strides[2], args.outer_strides[3]};
  args.outer_rank = simplify(args.outer_rank, args.outer_dims, outer, 4);
  int64_t* inner[4] = {args.inner_strides[0], args.inner_strides[1], args.inner_strides[2], args.inner_strides[3]};
  args.inner_rank = simplify(args.inner_rank, args.inner_dims, inner, 4);
  return args;
}

bool overlaps_inputs(const KernelCall& call) {
  for (size_t i = 0; i < call.output_count(); ++i) {
    if (output_hazard(call.output(i), call.inputs(), /*pointwise=*/false)) return true;
  }
  return false;
}

}  // namespace

void compute_layer_norm(const KernelCall& call, Queue& queue) {
  constexpr keel_layer_norm_attrs_t kDefaults = KEEL_LAYER_NORM_ATTRS_INIT;
  using A = keel_layer_norm_attrs_t;
  const A attrs = read_attrs(call.attrs(), kDefaults, &A::axis, &A::epsilon);
  const Tensor x = call.input(0), scale = call.input(1), bias = call.input(2);
  const Tensor y = call.output(0), mean = call.output(1), inv_std = call.output(2);
  const uint32_t axis = normalize_axis(attrs.axis, x.rank, "axis");
  if (mean.count() == 0) return;
  // An output overlapping an input could be written before every row has read it: not supported.
  if (overlaps_inputs(call)) fail(KEEL_STATUS_UNIMPLEMENTED, "layer_norm with outputs overlapping its inputs");
  const double epsilon = attrs.epsilon;
  queue.enqueue(
      [=](Launch& launch) {
        gpu::NormArgs args = norm_args(x, y, axis, &mean, &inv_std, scale, bias);
        args.epsilon = epsilon;
        launch.check(gpu::launch_norm(x.dtype, args, launch.stream()), "layer_norm kernel");
      },
      "layer_norm");
}

void compute_rms_norm(const KernelCall& call, Queue& queue) {
  constexpr keel_rms_norm_attrs_t kDefaults = KEEL_RMS_NORM_ATTRS_INIT;
  using A = keel_rms_norm_attrs_t;
  const A attrs = read_attrs(call.attrs(), kDefaults, &A::axis, &A::epsilon);
  const Tensor x = call.input(0), scale = call.input(1);
  const Tensor y = call.output(0);
  const uint32_t axis = normalize_axis(attrs.axis, x.rank, "axis");
  if (y.empty()) return;
  const Tensor no_bias = Tensor{.absent = true};
  const double epsilon = attrs.epsilon;
  enqueue_output(queue, y, output_hazard(y, call.inputs(), /*pointwise=*/false), "rms_norm",
                 [=](Launch& launch, const Tensor& out) {
                   gpu::NormArgs args = norm_args(x, out, axis, nullptr, nullptr, scale, no_bias);
                   args.epsilon = epsilon;
                   args.rms = true;
                   launch.check(gpu::launch_norm(x.dtype, args, launch.stream()), "rms_norm kernel");
                 });
}

void compute_cumsum(const KernelCall& call, Queue& queue) {
  constexpr keel_cumsum_attrs_t kDefaults = KEEL_CUMSUM_ATTRS_INIT;
  using A = keel_cumsum_attrs_t;
  const A attrs = read_attrs(call.attrs(), kDefaults, &A::axis, &A::exclusive, &A::reverse);
  const Tensor x = call.input(0);
  const Tensor y = call.output(0);
  if (x.rank == 0) fail(KEEL_STATUS_INVALID_ARGUMENT, "cumsum of a 0-D tensor");
  const uint32_t axis = normalize_axis(attrs.axis, x.rank, "axis");
  if (y.empty()) return;
  const bool exclusive = attrs.exclusive != 0, reverse = attrs.reverse != 0;
  // Each slice is read and written by one thread in order, so only an identical layout is safe in place.
  enqueue_output(queue, y, output_hazard(y, call.inputs(), /*pointwise=*/true), "cumsum",
                 [=](Launch& launch, const Tensor& out) {
                   gpu::SoftmaxArgs args;
                   args.in = x.base;
                   args.out = out.base;
                   args.length = x.shape[axis];
                   args.in_axis_stride = x.strides[axis] * static_cast<int64_t>(x.element_size);
                   args.out_axis_stride = out.strides[axis] * static_cast<int64_t>(out.element_size);
                   args.slice_count = 1;
                   for (uint32_t d = 0; d < x.rank; ++d) {
                     if (d == axis) continue;
                     args.outer_dims[args.outer_rank] = x.shape[d];
                     args.in_outer_strides[args.outer_rank] = x.strides[d] * static_cast<int64_t>(x.element_size);
                     args.out_outer_strides[args.outer_rank++] = out.strides[d] * static_cast<int64_t>(out.element_size);
                     args.slice_count *= x.shape[d];
                   }
                   int64_t* outer[2] = {args.in_outer_strides, args.out_outer_strides};
                   args.outer_rank = simplify(args.outer_rank, args.outer_dims, outer, 2);
                   launch.check(gpu::launch_cumsum(x.dtype, exclusive, reverse, args, launch.stream()), "cumsum kernel");
                 });
}

}  // namespace keel::cuda
