// gather and one_hot (gpu/index.cu). Indices are read on the device; out-of-range ones give zeros (gather)
// or off_value (one_hot), as the spec says, so nothing is read out of bounds.
#include "keel/keel_ops.h"
#include "kernels/layout.h"
#include "kernels/ops.h"

namespace keel::cuda {
namespace {

// Dims and byte strides of `t`'s dims [first, last), merged where contiguous.
int32_t describe(const Tensor& t, uint32_t first, uint32_t last, int64_t* dims, int64_t* strides) {
  int count = 0;
  for (uint32_t d = first; d < last; ++d) {
    dims[count] = t.shape[d];
    strides[count++] = t.strides[d] * static_cast<int64_t>(t.element_size);
  }
  int64_t* list[1] = {strides};
  return count == 0 ? 0 : simplify(count, dims, list, 1);
}

}  // namespace

void compute_gather(const KernelCall& call, Queue& queue) {
  constexpr keel_gather_attrs_t kDefaults = KEEL_GATHER_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs(), kDefaults, &keel_gather_attrs_t::axis);
  const Tensor x = call.input(0), indices = call.input(1);
  const Tensor y = call.output(0);
  if (x.rank == 0) fail(KEEL_STATUS_INVALID_ARGUMENT, "gather from a 0-D tensor");
  const uint32_t axis = normalize_axis(attrs.axis, x.rank, "axis");
  if (y.rank != x.rank - 1 + indices.rank) fail(KEEL_STATUS_INVALID_ARGUMENT, "gather: output y does not fit");
  if (y.empty()) return;
  gpu::GatherSource source;
  source.x = x.base;
  source.indices = indices.base;
  source.axis_size = x.shape[axis];
  source.x_axis_stride = x.strides[axis] * static_cast<int64_t>(x.element_size);
  source.index_count = indices.count();
  source.inner_count = 1;
  for (uint32_t d = axis + 1; d < x.rank; ++d) source.inner_count *= x.shape[d];
  source.outer_rank = describe(x, 0, axis, source.outer_dims, source.x_outer);
  source.index_rank = describe(indices, 0, indices.rank, source.index_dims, source.index_strides);
  source.inner_rank = describe(x, axis + 1, x.rank, source.inner_dims, source.x_inner);
  enqueue_output(queue, y, output_hazard(y, call.inputs(), /*pointwise=*/false), "gather",
                 [source, indices](Launch& launch, const Tensor& out) {
                   launch.check(gpu::launch_gather(indices.dtype, out.element_size, source, map_args(out, {}),
                                                   launch.stream()),
                                "gather kernel");
                 });
}

void compute_one_hot(const KernelCall& call, Queue& queue) {
  constexpr keel_one_hot_attrs_t kDefaults = KEEL_ONE_HOT_ATTRS_INIT;
  using A = keel_one_hot_attrs_t;
  const A attrs = read_attrs(call.attrs(), kDefaults, &A::depth, &A::axis, &A::on_value, &A::off_value);
  const Tensor indices = call.input(0);
  const Tensor y = call.output(0);
  if (y.rank != indices.rank + 1) fail(KEEL_STATUS_INVALID_ARGUMENT, "one_hot: output y does not fit");
  const uint32_t axis = normalize_axis(attrs.axis, y.rank, "axis");
  if (y.empty()) return;
  gpu::OneHotSource source;
  source.depth = attrs.depth;
  source.inner = 1;
  for (uint32_t d = axis + 1; d < y.rank; ++d) source.inner *= y.shape[d];
  source.indices = indices.base;
  source.index_rank = describe(indices, 0, indices.rank, source.index_dims, source.index_strides);
  source.on = bits_of_value(y.dtype, attrs.on_value);
  source.off = bits_of_value(y.dtype, attrs.off_value);
  enqueue_output(queue, y, output_hazard(y, call.inputs(), /*pointwise=*/false), "one_hot",
                 [source, indices](Launch& launch, const Tensor& out) {
                   launch.check(gpu::launch_one_hot(indices.dtype, out.element_size, source, map_args(out, {}),
                                                    launch.stream()),
                                "one_hot kernel");
                 });
}

}  // namespace keel::cuda
