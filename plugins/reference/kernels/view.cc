#include "view.h"

#include <cstring>

namespace keel::reference {

int64_t checked_mul(int64_t a, int64_t b) {
  int64_t result = 0;
  if (__builtin_mul_overflow(a, b, &result)) fail(KEEL_STATUS_OUT_OF_RANGE, a, " * ", b, " overflows int64");
  return result;
}

int64_t checked_add(int64_t a, int64_t b) {
  int64_t result = 0;
  if (__builtin_add_overflow(a, b, &result)) fail(KEEL_STATUS_OUT_OF_RANGE, a, " + ", b, " overflows int64");
  return result;
}

// ---- Shape ------------------------------------------------------------------------------------------------

Shape Shape::of(std::span<const int64_t> dims) {
  if (dims.size() > KEEL_MAX_RANK) fail(KEEL_STATUS_INVALID_ARGUMENT, "rank ", dims.size(), " exceeds ", KEEL_MAX_RANK);
  Shape shape;
  shape.rank = static_cast<uint32_t>(dims.size());
  for (size_t k = 0; k < dims.size(); ++k) shape.dims[k] = dims[k];
  return shape;
}

int64_t Shape::element_count() const {
  int64_t count = 1;
  for (uint32_t k = 0; k < rank; ++k) {
    if (dims[k] < 0) fail(KEEL_STATUS_INVALID_ARGUMENT, "shape ", text(), " has a negative dimension");
    if (__builtin_mul_overflow(count, dims[k], &count)) {
      fail(KEEL_STATUS_INVALID_ARGUMENT, "shape ", text(), " has more elements than int64 can count");
    }
  }
  return count;
}

bool Shape::operator==(const Shape& other) const {
  if (rank != other.rank) return false;
  for (uint32_t k = 0; k < rank; ++k) {
    if (dims[k] != other.dims[k]) return false;
  }
  return true;
}

std::string Shape::text() const {
  std::string result = "[";
  for (uint32_t k = 0; k < rank; ++k) {
    if (k > 0) result += ", ";
    result += std::to_string(dims[k]);
  }
  return result + "]";
}

Shape broadcast_shape(std::span<const Shape> shapes) {
  Shape result;
  for (const Shape& shape : shapes) result.rank = shape.rank > result.rank ? shape.rank : result.rank;
  for (uint32_t k = 0; k < result.rank; ++k) result.dims[k] = 1;
  for (const Shape& shape : shapes) {
    const uint32_t leading = result.rank - shape.rank;
    for (uint32_t j = 0; j < shape.rank; ++j) {
      int64_t& dim = result.dims[leading + j];
      if (shape.dims[j] == dim || shape.dims[j] == 1) continue;
      if (dim != 1) fail(KEEL_STATUS_INVALID_ARGUMENT, "shape ", shape.text(), " does not broadcast with the others");
      dim = shape.dims[j];
    }
  }
  return result;
}

void require_shape(const View& view, const Shape& expected, const char* what) {
  if (!(view.shape == expected)) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, what, " has shape ", view.shape.text(), "; the operator gives ",
         expected.text());
  }
}

// ---- Derived views ----------------------------------------------------------------------------------------

uint32_t normalize_axis(int64_t axis, uint32_t rank, const char* name) {
  const int64_t signed_rank = rank;
  if (axis < -signed_rank || axis >= signed_rank) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, name, " ", axis, " is outside [", -signed_rank, ", ", signed_rank, ")");
  }
  return static_cast<uint32_t>(axis < 0 ? axis + signed_rank : axis);
}

View broadcast_to(const View& view, const Shape& target) {
  const Shape& source = view.shape;
  if (source.rank > target.rank) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "shape ", source.text(), " does not broadcast to ", target.text());
  }
  View result = view;
  result.shape = target;
  result.strides = {};
  const uint32_t leading = target.rank - source.rank;  // axes the source lacks: repeated
  for (uint32_t k = leading; k < target.rank; ++k) {
    const uint32_t j = k - leading;
    if (source.dims[j] == target.dims[k]) {
      result.strides[k] = view.strides[j];
    } else if (source.dims[j] != 1) {
      fail(KEEL_STATUS_INVALID_ARGUMENT, "shape ", source.text(), " does not broadcast to ", target.text());
    }
  }
  return result;
}

View permuted(const View& view, std::span<const uint32_t> axes) {
  if (axes.size() != view.shape.rank) {
    fail(KEEL_STATUS_INTERNAL, "a permutation of ", axes.size(), " axes for a view of rank ", view.shape.rank);
  }
  View result = view;
  for (size_t i = 0; i < axes.size(); ++i) {
    result.shape.dims[i] = view.shape.dims[axes[i]];
    result.strides[i] = view.strides[axes[i]];
  }
  return result;
}

std::vector<uint32_t> axis_last(uint32_t rank, uint32_t axis) {
  std::vector<uint32_t> order;
  for (uint32_t k = 0; k < rank; ++k) {
    if (k != axis) order.push_back(k);
  }
  order.push_back(axis);
  return order;
}

View strided_window(const View& view, uint32_t axis, int64_t start, int64_t count, int64_t step) {
  View result = view;
  result.shape.dims[axis] = count;
  if (count == 0) return result;  // no element is addressed: leave the offset alone
  const int64_t start_bytes =
      checked_mul(checked_mul(start, view.strides[axis]), static_cast<int64_t>(view.element_size));
  result.byte_offset = checked_add(view.byte_offset, start_bytes);
  // A window of one element never steps; its step may be huge (INT64_MAX), so it is not multiplied in.
  result.strides[axis] = count > 1 ? checked_mul(view.strides[axis], step) : 0;
  return result;
}

// ---- Bounds -----------------------------------------------------------------------------------------------

void check_in_bounds(const View& view) {
  if (view.element_count() == 0) return;
  // The lowest and highest byte any element starts at.
  int64_t lowest = view.byte_offset;
  int64_t highest = view.byte_offset;
  for (uint32_t k = 0; k < view.shape.rank; ++k) {
    if (view.shape.dims[k] <= 1) continue;
    const int64_t extent =
        checked_mul(checked_mul(view.shape.dims[k] - 1, view.strides[k]), static_cast<int64_t>(view.element_size));
    if (extent < 0) {
      lowest = checked_add(lowest, extent);
    } else {
      highest = checked_add(highest, extent);
    }
  }
  const uint64_t end = static_cast<uint64_t>(highest) + view.element_size;
  if (lowest < 0 || end > view.memory_size) {
    fail(KEEL_STATUS_OUT_OF_RANGE, "a ", dtype_name(view.dtype), view.shape.text(), " view reaches bytes [", lowest,
         ", ", highest + static_cast<int64_t>(view.element_size), ") of a buffer of ", view.memory_size, " bytes");
  }
}

// ---- Dense copies -----------------------------------------------------------------------------------------

std::vector<std::byte> gather_bytes(const View& view) {
  std::vector<std::byte> dense;
  dense.reserve(static_cast<size_t>(view.element_count()) * view.element_size);
  for_each_element(view, [&](const std::byte* at) { dense.insert(dense.end(), at, at + view.element_size); });
  return dense;
}

void scatter_bytes(std::span<const std::byte> dense, const View& view) {
  if (dense.size() != static_cast<size_t>(view.element_count()) * view.element_size) {
    fail(KEEL_STATUS_INTERNAL, dense.size(), " bytes for a view of ", view.element_count(), " elements");
  }
  const std::byte* next = dense.data();
  for_each_element(view, [&](std::byte* at) {
    std::memcpy(at, next, view.element_size);
    next += view.element_size;
  });
}

void check_element_type(const View& view, keel_dtype_t expected) {
  if (view.dtype != expected) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "a ", dtype_name(view.dtype), " tensor where ", dtype_name(expected),
         " was expected");
  }
}

}  // namespace keel::reference
