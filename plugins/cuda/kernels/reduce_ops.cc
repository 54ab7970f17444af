// The reductions (reduce_sum, reduce_mean, reduce_max, reduce_min, reduce_prod, argmax, argmin), softmax
// and log_softmax: split the input's dimensions into those that address an
// output and those combined into it, merge what can be merged, and hand them to gpu/reduce.cu.
#include <algorithm>
#include <array>

#include "keel/keel_ops.h"
#include "kernels/layout.h"
#include "kernels/ops.h"
#include "runtime/device.h"

namespace keel::cuda {
namespace {

// Which axes a reduction combines; decoded from the attributes when the call is made (they are borrowed
// for the call only).
struct Reduction {
  std::array<bool, KEEL_MAX_RANK> reduced{};
  bool keepdims = false;
};

// The three reductions share their attributes' layout but not their types.
template <class Attrs>
Reduction reduction_of(const KernelCall& call, const Attrs& defaults) {
  const Attrs attrs = read_attrs(call.attrs(), defaults, &Attrs::axes, &Attrs::axes_count, &Attrs::keepdims);
  const std::span<const int64_t> axes = ints(attrs.axes, attrs.axes_count, "axes");
  const Tensor& x = call.input(0);
  Reduction reduction;
  reduction.keepdims = attrs.keepdims != 0;
  for (const int64_t axis : axes) reduction.reduced[normalize_axis(axis, x.rank, "axis")] = true;
  if (axes.empty()) std::fill(reduction.reduced.begin(), reduction.reduced.begin() + x.rank, true);
  const auto removed = static_cast<uint32_t>(std::count(reduction.reduced.begin(), reduction.reduced.end(), true));
  const uint32_t rank = reduction.keepdims ? x.rank : x.rank - removed;
  const Tensor& y = call.output(0);
  bool matches = y.rank == rank;
  for (uint32_t d = 0, k = 0; matches && d < x.rank; ++d) {
    if (!reduction.reduced[d]) {
      matches = y.shape[k++] == x.shape[d];
    } else if (reduction.keepdims) {
      matches = y.shape[k++] == 1;
    }
  }
  if (!matches) fail(KEEL_STATUS_INVALID_ARGUMENT, "output y does not have the shape of the reduction");
  return reduction;
}

gpu::ReduceArgs reduce_args(const Tensor& x, const Tensor& y, const Reduction& reduction) {
  gpu::ReduceArgs args;
  args.in = x.base;
  args.out = y.base;
  args.out_count = 1;
  args.reduce_count = 1;
  const auto in_size = static_cast<int64_t>(x.element_size);
  const auto out_size = static_cast<int64_t>(y.element_size);
  uint32_t y_dim = 0;
  for (uint32_t d = 0; d < x.rank; ++d) {
    if (reduction.reduced[d]) {
      args.reduced_dims[args.reduced_rank] = x.shape[d];
      args.in_reduced_strides[args.reduced_rank++] = x.strides[d] * in_size;
      args.reduce_count *= x.shape[d];
      if (reduction.keepdims) ++y_dim;
      continue;
    }
    args.kept_dims[args.kept_rank] = x.shape[d];
    args.in_kept_strides[args.kept_rank] = x.strides[d] * in_size;
    args.out_kept_strides[args.kept_rank++] = y.strides[y_dim++] * out_size;
    args.out_count *= x.shape[d];
  }
  int64_t* kept[2] = {args.in_kept_strides, args.out_kept_strides};
  args.kept_rank = simplify(args.kept_rank, args.kept_dims, kept, 2);
  int64_t* combined[1] = {args.in_reduced_strides};
  args.reduced_rank = simplify(args.reduced_rank, args.reduced_dims, combined, 1);
  return args;
}

template <class Attrs>
void compute_reduce(gpu::ReduceOp op, const Attrs& defaults, const KernelCall& call, Queue& queue) {
  const Tensor x = call.input(0);
  const Tensor y = call.output(0);
  const Reduction reduction = reduction_of(call, defaults);
  if (y.empty()) return;
  const int processors = queue.device().multiprocessors();
  const bool hazard = output_hazard(y, call.inputs(), /*pointwise=*/false);
  enqueue_output(queue, y, hazard, "reduction kernel", [=](Launch& launch, const Tensor& out) {
    const gpu::ReduceArgs args = reduce_args(x, out, reduction);
    const uint64_t scratch_bytes = gpu::reduce_scratch_bytes(op, x.dtype, args, processors);
    const CUdeviceptr scratch = scratch_bytes > 0 ? launch.scratch(scratch_bytes) : 0;
    launch.check(gpu::launch_reduce(op, x.dtype, args, processors, scratch, launch.stream()), "reduction kernel");
  });
}

}  // namespace

void compute_reduce_sum(const KernelCall& call, Queue& queue) {
  constexpr keel_reduce_sum_attrs_t kDefaults = KEEL_REDUCE_SUM_ATTRS_INIT;
  compute_reduce(gpu::ReduceOp::kSum, kDefaults, call, queue);
}

void compute_reduce_mean(const KernelCall& call, Queue& queue) {
  constexpr keel_reduce_mean_attrs_t kDefaults = KEEL_REDUCE_MEAN_ATTRS_INIT;
  compute_reduce(gpu::ReduceOp::kMean, kDefaults, call, queue);
}

void compute_reduce_max(const KernelCall& call, Queue& queue) {
  constexpr keel_reduce_max_attrs_t kDefaults = KEEL_REDUCE_MAX_ATTRS_INIT;
  compute_reduce(gpu::ReduceOp::kMax, kDefaults, call, queue);
}

void compute_reduce_min(const KernelCall& call, Queue& queue) {
  constexpr keel_reduce_min_attrs_t kDefaults = KEEL_REDUCE_MIN_ATTRS_INIT;
  compute_reduce(gpu::ReduceOp::kMin, kDefaults, call, queue);
}

void compute_reduce_prod(const KernelCall& call, Queue& queue) {
  constexpr keel_reduce_prod_attrs_t kDefaults = KEEL_REDUCE_PROD_ATTRS_INIT;
  compute_reduce(gpu::ReduceOp::kProd, kDefaults, call, queue);
}

namespace {

// argmax/argmin: the one axis is the reduction; the output (i64) keeps it as size 1 with keepdims.
template <class Attrs>
void compute_arg(bool max, const Attrs& defaults, const KernelCall& call, Queue& queue) {
  const Attrs attrs = read_attrs(call.attrs(), defaults, &Attrs::axis, &Attrs::keepdims);
  const Tensor x = call.input(0);
  const Tensor y = call.output(0);
  if (x.rank == 0) fail(KEEL_STATUS_INVALID_ARGUMENT, "the input is 0-D");
  Reduction reduction;
  reduction.reduced[normalize_axis(attrs.axis, x.rank, "axis")] = true;
  reduction.keepdims = attrs.keepdims != 0;
  if (y.rank != (reduction.keepdims ? x.rank : x.rank - 1) || y.dtype != KEEL_DTYPE_I64) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "output y is not the i64 reduction of x along the axis");
  }
  if (y.empty()) return;
  const bool hazard = output_hazard(y, call.inputs(), /*pointwise=*/false);
  enqueue_output(queue, y, hazard, "arg reduction kernel", [=](Launch& launch, const Tensor& out) {
    launch.check(gpu::launch_arg_reduce(max, x.dtype, reduce_args(x, out, reduction), launch.stream()),
                 "arg reduction kernel");
  });
}

}  // namespace

void compute_argmax(const KernelCall& call, Queue& queue) {
  constexpr keel_argmax_attrs_t kDefaults = KEEL_ARGMAX_ATTRS_INIT;
  compute_arg(true, kDefaults, call, queue);
}

void compute_argmin(const KernelCall& call, Queue& queue) {
  constexpr keel_argmin_attrs_t kDefaults = KEEL_ARGMIN_ATTRS_INIT;
  compute_arg(false, kDefaults, call, queue);
}

namespace {

// Softmax along `axis`: the other dimensions enumerate the slices. A group of threads owns a slice and reads
// and writes only its own positions in the last pass, so an in-place call (same layout) is safe.
void enqueue_softmax(bool log, int64_t attribute_axis, const KernelCall& call, Queue& queue) {
  const Tensor x = call.input(0);
  const Tensor y = call.output(0);
  if (x.rank == 0) fail(KEEL_STATUS_INVALID_ARGUMENT, "softmax of a 0-D tensor");
  const uint32_t axis = normalize_axis(attribute_axis, x.rank, "axis");
  if (y.empty()) return;
  const bool hazard = output_hazard(y, call.inputs(), /*pointwise=*/true);
  enqueue_output(queue, y, hazard, "softmax kernel", [x, axis, log](Launch& launch, const Tensor& out) {
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
    launch.check(gpu::launch_softmax(x.dtype, log, args, launch.stream()), "softmax kernel");
  });
}

}  // namespace

void compute_softmax(const KernelCall& call, Queue& queue) {
  constexpr keel_softmax_attrs_t kDefaults = KEEL_SOFTMAX_ATTRS_INIT;
  enqueue_softmax(false, read_attrs(call.attrs(), kDefaults, &keel_softmax_attrs_t::axis).axis, call, queue);
}

void compute_log_softmax(const KernelCall& call, Queue& queue) {
  constexpr keel_log_softmax_attrs_t kDefaults = KEEL_LOG_SOFTMAX_ATTRS_INIT;
  enqueue_softmax(true, read_attrs(call.attrs(), kDefaults, &keel_log_softmax_attrs_t::axis).axis, call, queue);
}

}  // namespace keel::cuda
