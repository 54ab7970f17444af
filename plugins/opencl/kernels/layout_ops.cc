// flip expand squeeze unsqueeze tile split trilu shape (ir_spec/ops/layout.yaml, shape.yaml): views of the
// input copied into the output bit for bit, except shape, which writes the input's dimensions.
#include <algorithm>
#include <array>
#include <cstring>
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

// The listed axes as flags; INVALID_ARGUMENT for an axis out of range or listed twice.
std::array<bool, kMaxRank> axis_flags(std::span<const int64_t> axes, uint32_t rank) {
  std::array<bool, kMaxRank> flags{};
  for (const int64_t entry : axes) {
    const uint32_t axis = normalize_axis(entry, rank, "axis");
    if (flags[axis]) fail(KEEL_STATUS_INVALID_ARGUMENT, "axes names axis ", axis, " twice");
    flags[axis] = true;
  }
  return flags;
}

// Appends an axis to a view.
void push_axis(View& view, int64_t dim, int64_t stride) {
  if (view.rank == kMaxRank) fail(KEEL_STATUS_UNIMPLEMENTED, "the copy needs more than ", kMaxRank, " axes");
  view.shape[view.rank] = dim;
  view.strides[view.rank++] = stride;
}

// Plans run one after the other on the call's queue (which is in order).
class SequencePlan final : public Plan {
 public:
  explicit SequencePlan(std::vector<std::unique_ptr<Plan>> plans) : plans_(std::move(plans)) {}
  void run(Queue& queue, const keel_kernel_call_t& call) const override {
    for (const auto& plan : plans_) plan->run(queue, call);
  }

 private:
  std::vector<std::unique_ptr<Plan>> plans_;
};

}  // namespace

// Along every listed axis the input is read backwards (a window with step -1).
std::unique_ptr<Plan> plan_flip(Device& device, const keel_kernel_call_t& call) {
  constexpr keel_flip_attrs_t kDefaults = KEEL_FLIP_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs, kDefaults, &keel_flip_attrs_t::axes, &keel_flip_attrs_t::axes_count);
  const View x = view_of(input_desc(call, 0));
  const View y = view_of(output_desc(call, 0));
  require_same_dtype(y, x);
  require_shape(y, x.rank, x.shape.data(), "output y");
  const std::array<bool, kMaxRank> flipped = axis_flags(ints(attrs.axes, attrs.axes_count, "axes"), x.rank);
  View source = x;
  for (uint32_t k = 0; k < x.rank; ++k) {
    if (flipped[k] && x.shape[k] > 1) source = window(source, k, x.shape[k] - 1, x.shape[k], -1);
  }
  return make_copy_plan(device, y, source);
}

// The output shape is the two-way broadcast of x's shape and `shape`; x is read broadcast to it.
std::unique_ptr<Plan> plan_expand(Device& device, const keel_kernel_call_t& call) {
  constexpr keel_expand_attrs_t kDefaults = KEEL_EXPAND_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs, kDefaults, &keel_expand_attrs_t::shape, &keel_expand_attrs_t::shape_count);
  const std::span<const int64_t> shape = ints(attrs.shape, attrs.shape_count, "shape");
  const View x = view_of(input_desc(call, 0));
  const View y = view_of(output_desc(call, 0));
  require_same_dtype(y, x);
  const size_t rank = std::max<size_t>(x.rank, shape.size());
  if (rank > kMaxRank) fail(KEEL_STATUS_INVALID_ARGUMENT, "attribute shape has ", shape.size(), " entries");
  std::array<int64_t, kMaxRank> expected{};
  for (size_t k = 0; k < rank; ++k) {
    const int64_t a = k + x.rank >= rank ? x.shape[k + x.rank - rank] : 1;
    const int64_t b = k + shape.size() >= rank ? shape[k + shape.size() - rank] : 1;
    if (a != b && a != 1 && b != 1) {
      fail(KEEL_STATUS_INVALID_ARGUMENT, "x ", x.shape_text(), " and attribute shape disagree at axis ", k);
    }
    expected[k] = a == 1 ? b : a;
  }
  require_shape(y, static_cast<uint32_t>(rank), expected.data(), "output y");
  return make_copy_plan(device, y, broadcast_to(x, y.rank, y.shape.data()));
}

// The elements keep their row-major order, so the output is a copy once its shape is checked.
std::unique_ptr<Plan> plan_squeeze(Device& device, const keel_kernel_call_t& call) {
  constexpr keel_squeeze_attrs_t kDefaults = KEEL_SQUEEZE_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs, kDefaults, &keel_squeeze_attrs_t::axes, &keel_squeeze_attrs_t::axes_count);
  const std::span<const int64_t> axes = ints(attrs.axes, attrs.axes_count, "axes");
  const View x = view_of(input_desc(call, 0));
  const View y = view_of(output_desc(call, 0));
  require_same_dtype(y, x);
  const std::array<bool, kMaxRank> listed = axis_flags(axes, x.rank);
  View source;
  source.dtype = x.dtype;
  source.offset = x.offset;
  for (uint32_t k = 0; k < x.rank; ++k) {
    const bool removed = axes.empty() ? x.shape[k] == 1 : listed[k];
    if (removed && x.shape[k] != 1) fail(KEEL_STATUS_INVALID_ARGUMENT, "axis ", k, " has size ", x.shape[k], ", not 1");
    if (!removed) push_axis(source, x.shape[k], x.strides[k]);
  }
  require_shape(y, source.rank, source.shape.data(), "output y");
  return make_copy_plan(device, y, source);
}

std::unique_ptr<Plan> plan_unsqueeze(Device& device, const keel_kernel_call_t& call) {
  constexpr keel_unsqueeze_attrs_t kDefaults = KEEL_UNSQUEEZE_ATTRS_INIT;
  const auto attrs =
      read_attrs(call.attrs, kDefaults, &keel_unsqueeze_attrs_t::axes, &keel_unsqueeze_attrs_t::axes_count);
  const std::span<const int64_t> axes = ints(attrs.axes, attrs.axes_count, "axes");
  const View x = view_of(input_desc(call, 0));
  const View y = view_of(output_desc(call, 0));
  require_same_dtype(y, x);
  const size_t rank = x.rank + axes.size();
  if (rank > kMaxRank) fail(KEEL_STATUS_INVALID_ARGUMENT, "the output rank ", rank, " is above ", kMaxRank);
  const std::array<bool, kMaxRank> inserted = axis_flags(axes, static_cast<uint32_t>(rank));
  std::array<int64_t, kMaxRank> expected{};
  for (uint32_t k = 0, from = 0; k < rank; ++k) expected[k] = inserted[k] ? 1 : x.shape[from++];
  require_shape(y, static_cast<uint32_t>(rank), expected.data(), "output y");
  return make_copy_plan(device, y, x);
}

// y[j] = x[j mod d] per axis: an axis repeated r times over d > 1 elements splits into (r, d) on both sides,
// the repeat axis with stride 0 in x.
std::unique_ptr<Plan> plan_tile(Device& device, const keel_kernel_call_t& call) {
  constexpr keel_tile_attrs_t kDefaults = KEEL_TILE_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs, kDefaults, &keel_tile_attrs_t::repeats, &keel_tile_attrs_t::repeats_count);
  const std::span<const int64_t> repeats = ints(attrs.repeats, attrs.repeats_count, "repeats");
  const View x = view_of(input_desc(call, 0));
  const View y = view_of(output_desc(call, 0));
  require_same_dtype(y, x);
  if (repeats.size() != x.rank)
    fail(KEEL_STATUS_INVALID_ARGUMENT, "repeats has ", repeats.size(), " entries for rank ", x.rank);
  std::array<int64_t, kMaxRank> expected{};
  for (uint32_t k = 0; k < x.rank; ++k) {
    if (repeats[k] < 0) fail(KEEL_STATUS_INVALID_ARGUMENT, "repeats has ", repeats[k], " for axis ", k);
    expected[k] = x.shape[k] * repeats[k];
  }
  require_shape(y, x.rank, expected.data(), "output y");
  if (y.count() == 0) return std::make_unique<EmptyPlan>();
  View to, from;
  to.dtype = from.dtype = x.dtype;
  from.offset = x.offset;
  for (uint32_t k = 0; k < x.rank; ++k) {
    const int64_t d = x.shape[k];
    if (repeats[k] > 1 && d > 1) {
      push_axis(to, repeats[k], d * y.strides[k]);
      push_axis(from, repeats[k], 0);
    }
    push_axis(to, repeats[k] > 1 && d > 1 ? d : y.shape[k], y.strides[k]);
    push_axis(from, repeats[k] > 1 && d > 1 ? d : y.shape[k], d == 1 ? 0 : x.strides[k]);
  }
  return make_copy_plan(device, to, from);
}

// Output i is window [start_i, start_i + size_i) of x along the axis.
std::unique_ptr<Plan> plan_split(Device& device, const keel_kernel_call_t& call) {
  using A = keel_split_attrs_t;
  constexpr A kDefaults = KEEL_SPLIT_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs, kDefaults, &A::axis, &A::sizes, &A::sizes_count, &A::num_outputs);
  const std::span<const int64_t> given = ints(attrs.sizes, attrs.sizes_count, "sizes");
  const View x = view_of(input_desc(call, 0));
  const uint32_t axis = normalize_axis(attrs.axis, x.rank, "axis");
  const int64_t d = x.shape[axis];
  std::vector<int64_t> sizes(given.begin(), given.end());
  if (attrs.num_outputs > 0 && given.empty()) {
    const int64_t piece = (d + attrs.num_outputs - 1) / attrs.num_outputs;
    sizes.assign(static_cast<size_t>(attrs.num_outputs), piece);
    sizes.back() = d - piece * (attrs.num_outputs - 1);
  } else if (attrs.num_outputs != 0 || given.empty()) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "exactly one of attributes sizes and num_outputs must be set");
  }
  if (sizes.size() != call.output_count) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "split makes ", sizes.size(), " pieces but the call has ", call.output_count,
         " outputs");
  }
  std::vector<CopyPlan::Piece> pieces;
  int64_t at = 0;
  bool any = false;
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (sizes[i] < 0 || sizes[i] > d - at) fail(KEEL_STATUS_INVALID_ARGUMENT, "the piece sizes do not fit axis ", axis);
    const View y = view_of(output_desc(call, i));
    require_same_dtype(y, x);
    const View source = window(x, axis, at, sizes[i], 1);
    require_shape(y, source.rank, source.shape.data(), "an output of split");
    pieces.push_back({0, side_of(y), side_of(source), y.count(), i});
    any = any || y.count() > 0;
    at += sizes[i];
  }
  if (at != d) fail(KEEL_STATUS_INVALID_ARGUMENT, "the piece sizes add up to ", at, ", not ", d);
  if (!any) return std::make_unique<EmptyPlan>();
  return std::make_unique<CopyPlan>(data_kernels(device, dtype_size(x.dtype)), std::move(pieces));
}

// The output is zeroed, then every row's kept run of columns is copied over it, for all batch indices at once.
std::unique_ptr<Plan> plan_trilu(Device& device, const keel_kernel_call_t& call) {
  constexpr keel_trilu_attrs_t kDefaults = KEEL_TRILU_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs, kDefaults, &keel_trilu_attrs_t::upper, &keel_trilu_attrs_t::k);
  const View x = view_of(input_desc(call, 0));
  const View y = view_of(output_desc(call, 0));
  require_same_dtype(y, x);
  require_shape(y, x.rank, x.shape.data(), "output y");
  if (x.rank < 2) fail(KEEL_STATUS_INVALID_ARGUMENT, "x has rank ", x.rank, "; trilu needs at least 2");
  if (y.count() == 0) return std::make_unique<EmptyPlan>();
  const uint32_t row_axis = x.rank - 2;
  const uint32_t col_axis = x.rank - 1;
  const int64_t rows = x.shape[row_axis];
  const int64_t cols = x.shape[col_axis];
  // Clamped in the wide range first, so that k near INT64_MAX cannot overflow.
  const auto clamp_col = [rows, cols](int64_t i, int64_t k, int64_t extra) {
    if (k >= cols) return cols;
    if (k <= -rows - 1) return int64_t{0};
    return std::clamp<int64_t>(i + k + extra, 0, cols);
  };
  std::vector<CopyPlan::Piece> pieces;
  for (int64_t i = 0; i < rows; ++i) {
    const int64_t begin = attrs.upper ? clamp_col(i, attrs.k, 0) : 0;
    const int64_t end = attrs.upper ? cols : clamp_col(i, attrs.k, 1);
    if (end <= begin) continue;
    const View to = window(window(y, row_axis, i, 1, 1), col_axis, begin, end - begin, 1);
    const View from = window(window(x, row_axis, i, 1, 1), col_axis, begin, end - begin, 1);
    pieces.push_back({0, side_of(to), side_of(from), to.count(), 0});
  }
  std::vector<std::unique_ptr<Plan>> plans;
  plans.push_back(make_fill_plan(device, y, 0));
  if (!pieces.empty()) {
    plans.push_back(std::make_unique<CopyPlan>(data_kernels(device, dtype_size(x.dtype)), std::move(pieces)));
  }
  return std::make_unique<SequencePlan>(std::move(plans));
}

std::unique_ptr<Plan> plan_shape(Device& device, const keel_kernel_call_t& call) {
  const View x = view_of(input_desc(call, 0));
  const View y = view_of(output_desc(call, 0));
  if (y.dtype != KEEL_DTYPE_I64) fail(KEEL_STATUS_INVALID_ARGUMENT, "output y is ", dtype_name(y.dtype), ", not i64");
  const int64_t rank = x.rank;
  require_shape(y, 1, &rank, "output y");
  std::vector<unsigned char> bytes(x.rank * sizeof(int64_t));
  if (!bytes.empty()) std::memcpy(bytes.data(), x.shape.data(), bytes.size());
  return make_staged_plan(device, y, std::move(bytes));
}

}  // namespace keel::opencl
