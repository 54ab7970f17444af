// reshape permute concat slice (ir_spec/ops/shape.yaml) and split (layout.yaml). They move elements without
// looking at them: every
// copy is a byte copy, so NaN payloads and -0 come through bit for bit. Each one is a gather from a view of
// the input followed by a scatter into the output.
#include <algorithm>
#include <vector>

#include "attrs.h"
#include "keel/keel_ops.h"
#include "kernels.h"
#include "view.h"

namespace keel::reference {

// The elements in row-major order, into the output in row-major order.
void compute_reshape(const KernelCall& call) {
  constexpr keel_reshape_attrs_t kDefaults = KEEL_RESHAPE_ATTRS_INIT;
  const auto attrs =
      read_attrs(call.attrs(), kDefaults, &keel_reshape_attrs_t::shape, &keel_reshape_attrs_t::shape_count);
  const std::span<const int64_t> shape = ints(attrs.shape, attrs.shape_count, "shape");
  const View x = call.input(0);
  const View y = call.output(0);
  check_element_type(y, x.dtype);
  // Every entry but the inferred -1 is the output's dimension; the element counts agree.
  bool shape_matches = shape.size() == y.shape.rank && x.element_count() == y.element_count();
  for (size_t k = 0; shape_matches && k < shape.size(); ++k) {
    shape_matches = shape[k] == -1 || shape[k] == y.shape.dims[k];
  }
  if (!shape_matches) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "output y has shape ", y.shape.text(), ", which does not fit attribute shape ",
         Shape::of(shape).text(), " for input ", x.shape.text());
  }
  scatter_bytes(gather_bytes(x), y);
}

// y[i_0, ..., i_{r-1}] = x[j] with j[perm[k]] = i_k: exactly the view of x with its axes in perm's order.
void compute_permute(const KernelCall& call) {
  constexpr keel_permute_attrs_t kDefaults = KEEL_PERMUTE_ATTRS_INIT;
  const auto attrs =
      read_attrs(call.attrs(), kDefaults, &keel_permute_attrs_t::perm, &keel_permute_attrs_t::perm_count);
  const std::span<const int64_t> perm = ints(attrs.perm, attrs.perm_count, "perm");
  const View x = call.input(0);
  const View y = call.output(0);
  check_element_type(y, x.dtype);
  if (perm.size() != x.shape.rank) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "attribute perm has ", perm.size(), " entries for an input of rank ",
         x.shape.rank);
  }
  std::vector<uint32_t> axes;
  std::array<bool, KEEL_MAX_RANK> seen{};
  for (const int64_t entry : perm) {
    const uint32_t axis = normalize_axis(entry, x.shape.rank, "perm entry");
    if (seen[axis]) fail(KEEL_STATUS_INVALID_ARGUMENT, "attribute perm names axis ", axis, " twice");
    seen[axis] = true;
    axes.push_back(axis);
  }
  const View source = permuted(x, axes);
  require_shape(y, source.shape, "output y");
  scatter_bytes(gather_bytes(source), y);
}

// Each input lands in its own window of the output along `axis`, in order.
void compute_concat(const KernelCall& call) {
  constexpr keel_concat_attrs_t kDefaults = KEEL_CONCAT_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs(), kDefaults, &keel_concat_attrs_t::axis);
  const View y = call.output(0);
  const uint32_t axis = normalize_axis(attrs.axis, y.shape.rank, "axis");

  // Read every input before writing anything, in case the output overlaps one of them.
  std::vector<View> inputs;
  std::vector<std::vector<std::byte>> contents;
  int64_t total = 0;
  for (size_t i = 0; i < call.input_count(); ++i) {
    const View x = call.input(i);
    check_element_type(x, y.dtype);
    Shape expected = y.shape;
    expected.dims[axis] = x.shape.dims[axis];
    require_shape(x, expected, "an input of concat");
    total += x.shape.dims[axis];
    inputs.push_back(x);
    contents.push_back(gather_bytes(x));
  }
  if (total != y.shape.dims[axis]) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "the inputs add up to ", total, " along axis ", axis, " but output y has ",
         y.shape.dims[axis]);
  }
  int64_t offset = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const int64_t length = inputs[i].shape.dims[axis];
    scatter_bytes(contents[i], strided_window(y, axis, offset, length, 1));
    offset += length;
  }
}

// Output i is the window of x along `axis` that starts where output i - 1 ended. The sizes come from the
// attributes: sizes, or num_outputs pieces of ceil(d / n) with the rest in the last one.
void compute_split(const KernelCall& call) {
  using A = keel_split_attrs_t;
  constexpr A kDefaults = KEEL_SPLIT_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs(), kDefaults, &A::axis, &A::sizes, &A::sizes_count, &A::num_outputs);
  const std::span<const int64_t> given = ints(attrs.sizes, attrs.sizes_count, "sizes");
  const View x = call.input(0);
  const uint32_t axis = normalize_axis(attrs.axis, x.shape.rank, "axis");
  const int64_t length = x.shape.dims[axis];

  std::vector<int64_t> sizes(given.begin(), given.end());
  if (sizes.empty()) {
    if (attrs.num_outputs < 1) fail(KEEL_STATUS_INVALID_ARGUMENT, "split needs sizes or num_outputs >= 1");
    const int64_t piece = (length + attrs.num_outputs - 1) / attrs.num_outputs;
    sizes.assign(static_cast<size_t>(attrs.num_outputs), piece);
    sizes.back() = length - piece * (attrs.num_outputs - 1);
  }
  int64_t total = 0;
  for (const int64_t size : sizes) {
    if (size < 0) fail(KEEL_STATUS_INVALID_ARGUMENT, "a piece of split has the negative size ", size);
    total += size;
  }
  if (total != length || sizes.size() != call.output_count()) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, sizes.size(), " pieces summing to ", total, " for an axis of size ", length,
         " and ", call.output_count(), " outputs");
  }
  // Read every piece before writing anything, in case an output overlaps the input.
  std::vector<std::vector<std::byte>> pieces;
  int64_t offset = 0;
  for (size_t i = 0; i < sizes.size(); ++i) {
    const View piece = strided_window(x, axis, offset, sizes[i], 1);
    const View y = call.output(i);
    check_element_type(y, x.dtype);
    require_shape(y, piece.shape, "an output of split");
    pieces.push_back(gather_bytes(piece));
    offset += sizes[i];
  }
  for (size_t i = 0; i < pieces.size(); ++i) scatter_bytes(pieces[i], call.output(i));
}

namespace {

// The first index and the count a slice keeps along an axis of size `dim`, following the spec's clamping.
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
  // numpy: a start before index 0 leaves nothing to count down from (-1).
  start = std::clamp<int64_t>(start, -1, dim - 1);
  end = std::clamp<int64_t>(end, -1, dim - 1);
  // Counting down: ceil((start - end) / -step), written so that -step is never formed (step may be INT64_MIN).
  return {start, start > end ? (end - start + 1) / step + 1 : 0};
}

}  // namespace

void compute_slice(const KernelCall& call) {
  using A = keel_slice_attrs_t;
  constexpr A kDefaults = KEEL_SLICE_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs(), kDefaults, &A::starts, &A::starts_count, &A::ends, &A::ends_count,
                                &A::axes, &A::axes_count, &A::steps, &A::steps_count);
  const std::span<const int64_t> starts = ints(attrs.starts, attrs.starts_count, "starts");
  const std::span<const int64_t> ends = ints(attrs.ends, attrs.ends_count, "ends");
  const std::span<const int64_t> axes = ints(attrs.axes, attrs.axes_count, "axes");
  const std::span<const int64_t> steps = ints(attrs.steps, attrs.steps_count, "steps");
  const View x = call.input(0);
  const View y = call.output(0);
  check_element_type(y, x.dtype);
  if (ends.size() != starts.size() || (!axes.empty() && axes.size() != starts.size()) ||
      (!steps.empty() && steps.size() != starts.size())) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "attributes starts, ends, axes and steps disagree in length");
  }
  if (axes.empty() && starts.size() > x.shape.rank) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "attribute starts has ", starts.size(), " entries for an input of rank ",
         x.shape.rank);
  }

  View window = x;
  std::array<bool, KEEL_MAX_RANK> sliced{};
  for (size_t i = 0; i < starts.size(); ++i) {
    const uint32_t axis = axes.empty() ? static_cast<uint32_t>(i) : normalize_axis(axes[i], x.shape.rank, "axis");
    if (sliced[axis]) fail(KEEL_STATUS_INVALID_ARGUMENT, "attribute axes names axis ", axis, " twice");
    sliced[axis] = true;
    const int64_t step = steps.empty() ? 1 : steps[i];
    if (step == 0) fail(KEEL_STATUS_INVALID_ARGUMENT, "attribute steps has a 0 for axis ", axis);
    const AxisWindow w = window_of(x.shape.dims[axis], starts[i], ends[i], step);
    window = strided_window(window, axis, w.start, w.count, step);
  }
  require_shape(y, window.shape, "output y");
  scatter_bytes(gather_bytes(window), y);
}

}  // namespace keel::reference
