// reshape permute concat slice (ir_spec/ops/shape.yaml): views copied into the output, bit for bit.
#include <algorithm>
#include <array>
#include <vector>

#include "keel/keel_ops.h"
#include "kernels/attrs.h"
#include "kernels/call.h"
#include "kernels/copy_plan.h"
#include "kernels/dtype.h"
#include "kernels/ops.h"

namespace keel::opencl {
namespace {

void require_same_dtype(const View& y, const View& x) {
  if (y.dtype != x.dtype) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "output y is ", dtype_name(y.dtype), " but the input is ", dtype_name(x.dtype));
  }
}

// The first index and the count a slice keeps along an axis of size `dim` (numpy's clamping).
struct AxisWindow {
  int64_t start = 0;
  int64_t count = 0;
};

AxisWindow window_of(int64_t dim, int64_t start, int64_t end, int64_t step) {
  if (dim == 0) return {};
  if (start < 0) start += dim;
  if (end < 0) end += dim;
  if (step > 0) {
    start = std::clamp<int64_t>(start, 0, dim);
    end = std::clamp<int64_t>(end, 0, dim);
    return {start, end > start ? (end - start - 1) / step + 1 : 0};
  }
  start = std::clamp<int64_t>(start, -1, dim - 1);
  end = std::clamp<int64_t>(end, -1, dim - 1);
  // Counting down: ceil((start - end) / -step), written so that -step is never formed (step may be INT64_MIN).
  return {start, start > end ? (end - start + 1) / step + 1 : 0};
}

}  // namespace

// The elements in row-major order, into the output in row-major order.
std::unique_ptr<Plan> plan_reshape(Device& device, const keel_kernel_call_t& call) {
  const View x = view_of(input_desc(call, 0));
  const View y = view_of(output_desc(call, 0));
  require_same_dtype(y, x);
  return make_copy_plan(device, y, x);
}

// copy (ir_spec/ops/layout.yaml): y = x bit for bit, whatever the strides of either side.
std::unique_ptr<Plan> plan_copy(Device& device, const keel_kernel_call_t& call) {
  const View x = view_of(input_desc(call, 0));
  const View y = view_of(output_desc(call, 0));
  require_same_dtype(y, x);
  require_shape(y, x.rank, x.shape.data(), "output y");
  return make_copy_plan(device, y, x);
}

// y[i_0, ..., i_{r-1}] = x[j] with j[perm[k]] = i_k: the view of x with its axes in perm's order.
std::unique_ptr<Plan> plan_permute(Device& device, const keel_kernel_call_t& call) {
  constexpr keel_permute_attrs_t kDefaults = KEEL_PERMUTE_ATTRS_INIT;
  const auto attrs =
      read_attrs(call.attrs, kDefaults, &keel_permute_attrs_t::perm, &keel_permute_attrs_t::perm_count);
  const std::span<const int64_t> perm = ints(attrs.perm, attrs.perm_count, "perm");
  const View x = view_of(input_desc(call, 0));
  const View y = view_of(output_desc(call, 0));
  require_same_dtype(y, x);
  if (perm.size() != x.rank) fail(KEEL_STATUS_INVALID_ARGUMENT, "perm has ", perm.size(), " entries for rank ", x.rank);
  std::vector<uint32_t> axes;
  std::array<bool, kMaxRank> seen{};
  for (const int64_t entry : perm) {
    const uint32_t axis = normalize_axis(entry, x.rank, "perm entry");
    if (seen[axis]) fail(KEEL_STATUS_INVALID_ARGUMENT, "perm names axis ", axis, " twice");
    seen[axis] = true;
    axes.push_back(axis);
  }
  const View source = permuted(x, axes);
  require_shape(y, source.rank, source.shape.data(), "output y");
  return make_copy_plan(device, y, source);
}

// Each input lands in its own window of the output along `axis`, in order.
std::unique_ptr<Plan> plan_concat(Device& device, const keel_kernel_call_t& call) {
  constexpr keel_concat_attrs_t kDefaults = KEEL_CONCAT_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs, kDefaults, &keel_concat_attrs_t::axis);
  const View y = view_of(output_desc(call, 0));
  const uint32_t axis = normalize_axis(attrs.axis, y.rank, "axis");
  std::vector<CopyPlan::Piece> pieces;
  int64_t at = 0;
  for (size_t i = 0; i < call.input_count; ++i) {
    const View x = view_of(input_desc(call, i));
    require_same_dtype(y, x);
    std::array<int64_t, kMaxRank> expected = y.shape;
    expected[axis] = x.shape[axis];
    require_shape(x, y.rank, expected.data(), "an input of concat");
    const View target = window(y, axis, at, x.shape[axis], 1);
    pieces.push_back({i, side_of(target), side_of(x), x.count()});
    at += x.shape[axis];
  }
  if (at != y.shape[axis]) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "the inputs add up to ", at, " along axis ", axis, " but y has ", y.shape[axis]);
  }
  if (y.count() == 0) return std::make_unique<EmptyPlan>();
  return std::make_unique<CopyPlan>(data_kernels(device, dtype_size(y.dtype)), std::move(pieces));
}

std::unique_ptr<Plan> plan_slice(Device& device, const keel_kernel_call_t& call) {
  using A = keel_slice_attrs_t;
  constexpr A kDefaults = KEEL_SLICE_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs, kDefaults, &A::starts, &A::starts_count, &A::ends, &A::ends_count,
                                &A::axes, &A::axes_count, &A::steps, &A::steps_count);
  const std::span<const int64_t> starts = ints(attrs.starts, attrs.starts_count, "starts");
  const std::span<const int64_t> ends = ints(attrs.ends, attrs.ends_count, "ends");
  const std::span<const int64_t> axes = ints(attrs.axes, attrs.axes_count, "axes");
  const std::span<const int64_t> steps = ints(attrs.steps, attrs.steps_count, "steps");
  const View x = view_of(input_desc(call, 0));
  const View y = view_of(output_desc(call, 0));
  require_same_dtype(y, x);
  if (ends.size() != starts.size() || (!axes.empty() && axes.size() != starts.size()) ||
      (!steps.empty() && steps.size() != starts.size()) || (axes.empty() && starts.size() > x.rank)) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "attributes starts, ends, axes and steps do not fit the input");
  }
  View source = x;
  std::array<bool, kMaxRank> sliced{};
  for (size_t i = 0; i < starts.size(); ++i) {
    const uint32_t axis = axes.empty() ? static_cast<uint32_t>(i) : normalize_axis(axes[i], x.rank, "axis");
    if (sliced[axis]) fail(KEEL_STATUS_INVALID_ARGUMENT, "axes names axis ", axis, " twice");
    sliced[axis] = true;
    const int64_t step = steps.empty() ? 1 : steps[i];
    if (step == 0) fail(KEEL_STATUS_INVALID_ARGUMENT, "steps has a 0 for axis ", axis);
    const AxisWindow w = window_of(x.shape[axis], starts[i], ends[i], step);
    source = window(source, axis, w.start, w.count, step);
  }
  require_shape(y, source.rank, source.shape.data(), "output y");
  return make_copy_plan(device, y, source);
}

}  // namespace keel::opencl
