// Coordinate arithmetic for the kernels that index tensors (gathers, scatters, padding, tiling, resizing):
// walking a shape in row-major order with its coordinates at hand, element offsets of coordinates, index
// values read from i32/i64 tensors, and moving elements as raw words of their size.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>

#include "convert.h"
#include "dtype.h"
#include "parallel.h"
#include "tensor.h"

namespace keel::onednn {

// Calls body(index, position) for the row-major positions [begin, end) of a shape, with `index` the
// coordinates of `position`.
template <class Body>
void walk_coords(const int64_t* shape, uint32_t rank, int64_t begin, int64_t end, Body&& body) {
  if (begin >= end) return;
  int64_t index[KEEL_MAX_RANK] = {};
  int64_t rest = begin;
  for (uint32_t d = rank; d-- > 0;) {
    index[d] = rest % shape[d];
    rest /= shape[d];
  }
  for (int64_t position = begin; position < end; ++position) {
    body(static_cast<const int64_t*>(index), position);
    for (uint32_t d = rank; d-- > 0;) {
      if (++index[d] < shape[d]) break;
      index[d] = 0;
    }
  }
}

// walk_coords over every element of `t`'s shape, split over the pool when large enough.
template <class Body>
void parallel_coords(const keel_tensor_desc_t& t, Body&& body, int64_t min_per_thread = kMinElementsPerThread / 4) {
  parallel_ranges(
      element_count(t), [&](int64_t begin, int64_t end) { walk_coords(t.shape, t.rank, begin, end, body); },
      min_per_thread);
}

// Element offset of the coordinates `index` (one per axis of t).
inline int64_t offset_of(const keel_tensor_desc_t& t, const int64_t* index) {
  int64_t offset = 0;
  for (uint32_t d = 0; d < t.rank; ++d) offset += index[d] * t.strides[d];
  return offset;
}

// True when the last `count` axes of t are row-major contiguous: they hold one dense run of elements.
inline bool dense_tail(const keel_tensor_desc_t& t, uint32_t count) {
  int64_t expected = 1;
  for (uint32_t k = 0; k < count; ++k) {
    const uint32_t d = t.rank - 1 - k;
    if (t.shape[d] != 1 && t.strides[d] != expected) return false;
    expected *= t.shape[d];
  }
  return true;
}

// The value of an i32 or i64 index tensor `offset` elements from its element 0.
inline int64_t load_index(keel_dtype_t dtype, const std::byte* base, int64_t offset) {
  if (dtype == KEEL_DTYPE_I32) return reinterpret_cast<const int32_t*>(base)[offset];
  return reinterpret_cast<const int64_t*>(base)[offset];
}

// An index accepted in [-d, d) as a position in [0, d); -1 for any other value.
inline int64_t wrap_index(int64_t value, int64_t d) {
  if (value < 0) value += d;
  return value >= 0 && value < d ? value : -1;
}

// Calls f(Tag<W>) with the unsigned word type of an element of `size` bytes: data movement copies bits.
template <class F>
decltype(auto) visit_bits(size_t size, F&& f) {
  switch (size) {
    case 1: return f(Tag<uint8_t>{});
    case 2: return f(Tag<uint16_t>{});
    case 4: return f(Tag<uint32_t>{});
    case 8: return f(Tag<uint64_t>{});
    default: fail(KEEL_STATUS_INTERNAL, "no word type for elements of ", size, " bytes");
  }
}

// visit_every plus the 8-bit integers: every dtype of the spec's `data` set.
template <class F>
decltype(auto) visit_data(keel_dtype_t dtype, F&& f) {
  switch (dtype) {
    case KEEL_DTYPE_I8: return f(Tag<int8_t>{});
    case KEEL_DTYPE_U8: return f(Tag<uint8_t>{});
    default: return visit_every(dtype, std::forward<F>(f));
  }
}

inline constexpr std::array<keel_dtype_t, 2> kIndexTypes = {KEEL_DTYPE_I32, KEEL_DTYPE_I64};

}  // namespace keel::onednn
