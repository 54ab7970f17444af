// expand squeeze unsqueeze (ir_spec/ops/shape.yaml) and tile flip shape trilu copy (layout.yaml). Like the
// other data-movement operators they copy bytes, so every bit (NaN payloads, -0) survives; everything is
// read before anything is written.
#include <array>
#include <cstring>
#include <vector>

#include "attrs.h"
#include "keel/keel_ops.h"
#include "kernels.h"
#include "view.h"

namespace keel::reference {
namespace {

// x's elements in row-major order into y, which must have `shape`.
void move_as(const View& x, const View& y, const Shape& shape) {
  check_element_type(y, x.dtype);
  require_shape(y, shape, "output y");
  scatter_bytes(gather_bytes(x), y);
}

// The row-major index of `linear` in `shape`.
std::array<int64_t, KEEL_MAX_RANK> unravel(int64_t linear, const Shape& shape) {
  std::array<int64_t, KEEL_MAX_RANK> index{};
  for (uint32_t k = shape.rank; k-- > 0;) {
    index[k] = linear % shape.dims[k];
    linear /= shape.dims[k];
  }
  return index;
}

}  // namespace

// The output is the broadcast of x's shape and the attribute (both ways); every element copies the x element
// it broadcasts from.
void compute_expand(const KernelCall& call) {
  constexpr keel_expand_attrs_t kDefaults = KEEL_EXPAND_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs(), kDefaults, &keel_expand_attrs_t::shape, &keel_expand_attrs_t::shape_count);
  const View x = call.input(0);
  const std::array<Shape, 2> shapes = {x.shape, Shape::of(ints(attrs.shape, attrs.shape_count, "shape"))};
  const Shape target = broadcast_shape(shapes);
  move_as(broadcast_to(x, target), call.output(0), target);
}

// Without the listed axes (every size-1 axis when the list is empty), which must have size 1.
void compute_squeeze(const KernelCall& call) {
  constexpr keel_squeeze_attrs_t kDefaults = KEEL_SQUEEZE_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs(), kDefaults, &keel_squeeze_attrs_t::axes, &keel_squeeze_attrs_t::axes_count);
  const std::span<const int64_t> axes = ints(attrs.axes, attrs.axes_count, "axes");
  const View x = call.input(0);
  std::array<bool, KEEL_MAX_RANK> removed{};
  for (uint32_t k = 0; k < x.shape.rank; ++k) removed[k] = axes.empty() && x.shape.dims[k] == 1;
  for (const int64_t entry : axes) {
    const uint32_t axis = normalize_axis(entry, x.shape.rank, "axis");
    if (removed[axis] || x.shape.dims[axis] != 1) {
      fail(KEEL_STATUS_INVALID_ARGUMENT, "axis ", axis, " is listed twice or does not have size 1");
    }
    removed[axis] = true;
  }
  std::vector<int64_t> dims;
  for (uint32_t k = 0; k < x.shape.rank; ++k) {
    if (!removed[k]) dims.push_back(x.shape.dims[k]);
  }
  move_as(x, call.output(0), Shape::of(dims));
}

// A size-1 axis at each listed output position; x's axes fill the others in order.
void compute_unsqueeze(const KernelCall& call) {
  constexpr keel_unsqueeze_attrs_t kDefaults = KEEL_UNSQUEEZE_ATTRS_INIT;
  const auto attrs =
      read_attrs(call.attrs(), kDefaults, &keel_unsqueeze_attrs_t::axes, &keel_unsqueeze_attrs_t::axes_count);
  const std::span<const int64_t> axes = ints(attrs.axes, attrs.axes_count, "axes");
  const View x = call.input(0);
  const size_t rank = x.shape.rank + axes.size();
  if (rank > KEEL_MAX_RANK) fail(KEEL_STATUS_INVALID_ARGUMENT, "unsqueeze would give rank ", rank);
  std::array<bool, KEEL_MAX_RANK> inserted{};
  for (const int64_t entry : axes) {
    const uint32_t axis = normalize_axis(entry, static_cast<uint32_t>(rank), "axis");
    if (inserted[axis]) fail(KEEL_STATUS_INVALID_ARGUMENT, "output axis ", axis, " is listed twice");
    inserted[axis] = true;
  }
  std::vector<int64_t> dims;
  uint32_t next = 0;
  for (size_t k = 0; k < rank; ++k) dims.push_back(inserted[k] ? 1 : x.shape.dims[next++]);
  move_as(x, call.output(0), Shape::of(dims));
}

// y[j] = x[j mod d] per axis.
void compute_tile(const KernelCall& call) {
  constexpr keel_tile_attrs_t kDefaults = KEEL_TILE_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs(), kDefaults, &keel_tile_attrs_t::repeats, &keel_tile_attrs_t::repeats_count);
  const std::span<const int64_t> repeats = ints(attrs.repeats, attrs.repeats_count, "repeats");
  const View x = call.input(0);
  const View y = call.output(0);
  check_element_type(y, x.dtype);
  if (repeats.size() != x.shape.rank) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "attribute repeats has ", repeats.size(), " entries for rank ", x.shape.rank);
  }
  Shape expected = x.shape;
  for (uint32_t k = 0; k < x.shape.rank; ++k) {
    if (repeats[k] < 0) fail(KEEL_STATUS_INVALID_ARGUMENT, "attribute repeats has the negative entry ", repeats[k]);
    expected.dims[k] = checked_mul(x.shape.dims[k], repeats[k]);
  }
  require_shape(y, expected, "output y");
  const std::vector<std::byte> in = gather_bytes(x);
  const size_t size = x.element_size;
  std::vector<std::byte> out(static_cast<size_t>(y.element_count()) * size);
  for (int64_t i = 0; i < y.element_count(); ++i) {
    const auto index = unravel(i, expected);
    int64_t source = 0;
    for (uint32_t k = 0; k < x.shape.rank; ++k) source = source * x.shape.dims[k] + index[k] % x.shape.dims[k];
    std::memcpy(out.data() + static_cast<size_t>(i) * size, in.data() + static_cast<size_t>(source) * size, size);
  }
  scatter_bytes(out, y);
}

// The view of x that walks every listed axis backwards.
void compute_flip(const KernelCall& call) {
  constexpr keel_flip_attrs_t kDefaults = KEEL_FLIP_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs(), kDefaults, &keel_flip_attrs_t::axes, &keel_flip_attrs_t::axes_count);
  const View x = call.input(0);
  View flipped = x;
  std::array<bool, KEEL_MAX_RANK> seen{};
  for (const int64_t entry : ints(attrs.axes, attrs.axes_count, "axes")) {
    const uint32_t axis = normalize_axis(entry, x.shape.rank, "axis");
    if (seen[axis]) fail(KEEL_STATUS_INVALID_ARGUMENT, "attribute axes names axis ", axis, " twice");
    seen[axis] = true;
    const int64_t d = x.shape.dims[axis];
    flipped = strided_window(flipped, axis, d - 1, d, -1);
  }
  move_as(flipped, call.output(0), x.shape);
}

// y[i] = x.shape[i]; x's elements are never read.
void compute_shape(const KernelCall& call) {
  const View x = call.input(0);
  const View y = call.output(0);
  const int64_t dims[] = {static_cast<int64_t>(x.shape.rank)};
  require_shape(y, Shape::of(dims), "output y");
  scatter(std::vector<int64_t>(x.shape.dims.begin(), x.shape.dims.begin() + x.shape.rank), y);
}

// Over the last two axes (row i, column j): upper keeps j - i >= k, lower keeps j - i <= k; the rest become
// all-zero bytes (+0, 0 or false).
void compute_trilu(const KernelCall& call) {
  constexpr keel_trilu_attrs_t kDefaults = KEEL_TRILU_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs(), kDefaults, &keel_trilu_attrs_t::upper, &keel_trilu_attrs_t::k);
  const View x = call.input(0);
  const View y = call.output(0);
  check_element_type(y, x.dtype);
  require_shape(y, x.shape, "output y");
  if (x.shape.rank < 2) fail(KEEL_STATUS_INVALID_ARGUMENT, "trilu needs rank 2 or more");
  const int64_t rows = x.shape.dims[x.shape.rank - 2];
  const int64_t columns = x.shape.dims[x.shape.rank - 1];
  std::vector<std::byte> bytes = gather_bytes(x);
  const size_t size = x.element_size;
  for (int64_t e = 0; e < x.element_count(); ++e) {
    const int64_t i = e / columns % rows;
    const int64_t j = e % columns;
    const bool keep = attrs.upper != 0 ? j - i >= attrs.k : j - i <= attrs.k;
    if (!keep) std::memset(bytes.data() + static_cast<size_t>(e) * size, 0, size);
  }
  scatter_bytes(bytes, y);
}

void compute_copy(const KernelCall& call) {
  const View x = call.input(0);
  move_as(x, call.output(0), x.shape);
}

}  // namespace keel::reference
