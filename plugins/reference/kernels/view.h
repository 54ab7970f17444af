// Strided views: the addressing rule of keel_tensor_desc_t, and the two operations every kernel is built on.
// gather() reads a view's elements in row-major order into a dense vector; scatter() writes a dense vector
// into a view. Broadcasting, transposition, negative strides and byte offsets are all just views, so kernels
// only ever loop over dense arrays. Reading every input before writing any output also makes in-place calls
// (an output aliasing an input) come out right.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "dtype.h"
#include "keel/keel_types.h"

namespace keel::reference {

struct Shape {
  uint32_t rank = 0;
  std::array<int64_t, KEEL_MAX_RANK> dims{};  // entries at rank and beyond stay 0

  static Shape of(std::span<const int64_t> dims);
  int64_t element_count() const;
  bool operator==(const Shape& other) const;
  std::string text() const;  // "[2, 3]"
};

// Element (i_0, ..., i_{rank-1}) of a view lives at byte
//   byte_offset + element_size * sum_k(i_k * strides[k])
// of `memory`; every element lies inside [memory, memory + memory_size) (checked before each access).
struct View {
  std::byte* memory = nullptr;
  uint64_t memory_size = 0;
  int64_t byte_offset = 0;
  keel_dtype_t dtype = KEEL_DTYPE_INVALID;
  size_t element_size = 0;
  Shape shape;
  std::array<int64_t, KEEL_MAX_RANK> strides{};  // in elements; 0 repeats, negative walks backwards

  int64_t element_count() const { return shape.element_count(); }
};

// Sizes and strides come from the caller, so arithmetic on them is checked: OUT_OF_RANGE on int64 overflow.
int64_t checked_mul(int64_t a, int64_t b);
int64_t checked_add(int64_t a, int64_t b);

// The numpy broadcast of the shapes; INVALID_ARGUMENT when they do not broadcast.
Shape broadcast_shape(std::span<const Shape> shapes);
// INVALID_ARGUMENT unless `view` has exactly `expected` as its shape. The host infers output shapes; checking
// them here keeps a disagreement from going unnoticed (or from writing out of bounds).
void require_shape(const View& view, const Shape& expected, const char* what);

// An axis in [-rank, rank) as an index in [0, rank); INVALID_ARGUMENT outside.
uint32_t normalize_axis(int64_t axis, uint32_t rank, const char* name);

// `view` seen with shape `target`, numpy style: shapes align at the last axis, missing leading axes and axes of
// size 1 repeat (stride 0). INVALID_ARGUMENT when the shapes do not broadcast.
View broadcast_to(const View& view, const Shape& target);
// Axis i of the result is axis `axes[i]` of `view` (axes already normalized, a permutation of 0..rank-1).
View permuted(const View& view, std::span<const uint32_t> axes);
// The axes 0..rank-1 with `axis` moved to the end: seen through permuted(), every run along the axis is
// contiguous in the dense copy.
std::vector<uint32_t> axis_last(uint32_t rank, uint32_t axis);
// The elements start, start + step, ... (count of them) along `axis`; the caller keeps them inside the axis.
View strided_window(const View& view, uint32_t axis, int64_t start, int64_t count, int64_t step);

// OUT_OF_RANGE when some element of `view` lies outside its memory.
void check_in_bounds(const View& view);

// Calls fn(address) for every element of `view` in row-major order.
template <class Fn>
void for_each_element(const View& view, Fn&& fn) {
  check_in_bounds(view);
  if (view.element_count() == 0) return;
  const uint32_t rank = view.shape.rank;
  // Byte step per axis; axes of size 1 never step (their stride may be anything).
  std::array<int64_t, KEEL_MAX_RANK> step{};
  for (uint32_t k = 0; k < rank; ++k) {
    step[k] = view.shape.dims[k] > 1 ? view.strides[k] * static_cast<int64_t>(view.element_size) : 0;
  }
  std::array<int64_t, KEEL_MAX_RANK> index{};
  int64_t offset = view.byte_offset;
  while (true) {
    fn(view.memory + offset);
    // Odometer: advance the last axis; when it wraps, rewind it and carry into the one before.
    int k = static_cast<int>(rank) - 1;
    for (; k >= 0; --k) {
      if (++index[k] < view.shape.dims[k]) {
        offset += step[k];
        break;
      }
      offset -= (view.shape.dims[k] - 1) * step[k];
      index[k] = 0;
    }
    if (k < 0) return;
  }
}

// Data movement that keeps every bit (NaN payloads, -0).
std::vector<std::byte> gather_bytes(const View& view);
void scatter_bytes(std::span<const std::byte> dense, const View& view);

// INVALID_ARGUMENT unless the view holds `expected` elements. Typed access below requires it.
void check_element_type(const View& view, keel_dtype_t expected);

template <class T>
std::vector<T> gather(const View& view) {
  check_element_type(view, dtype_of<T>());
  std::vector<T> values;
  values.reserve(static_cast<size_t>(view.element_count()));
  for_each_element(view, [&](const std::byte* at) { values.push_back(load<T>(at)); });
  return values;
}

template <class T>
void scatter(const std::vector<T>& values, const View& view) {
  check_element_type(view, dtype_of<T>());
  if (values.size() != static_cast<size_t>(view.element_count())) {
    fail(KEEL_STATUS_INTERNAL, values.size(), " values for a view of ", view.element_count(), " elements");
  }
  size_t next = 0;
  for_each_element(view, [&](std::byte* at) { store<T>(at, values[next++]); });
}

}  // namespace keel::reference
