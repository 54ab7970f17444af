// Small facts about tensor descriptors that every kernel needs: element sizes, counts, density, where the
// data is, and axis arithmetic.
#pragma once

#include <cstddef>
#include <cstdint>

#include "error.h"
#include "keel/keel_plugin.h"

namespace keel::onednn {

constexpr size_t dtype_size(keel_dtype_t dtype) {
  switch (dtype) {
    case KEEL_DTYPE_BOOL:
    case KEEL_DTYPE_I8:
    case KEEL_DTYPE_U8: return 1;
    case KEEL_DTYPE_F16:
    case KEEL_DTYPE_BF16: return 2;
    case KEEL_DTYPE_I32:
    case KEEL_DTYPE_F32: return 4;
    case KEEL_DTYPE_I64:
    case KEEL_DTYPE_F64: return 8;
    default: return 0;
  }
}

const char* dtype_name(keel_dtype_t dtype);

inline int64_t element_count(const keel_tensor_desc_t& t) {
  int64_t count = 1;
  for (uint32_t d = 0; d < t.rank; ++d) count *= t.shape[d];
  return count;
}

// Dense row-major (the strides of size-1 dimensions do not matter).
inline bool is_dense(const keel_tensor_desc_t& t) {
  int64_t expected = 1;
  for (uint32_t d = t.rank; d-- > 0;) {
    if (t.shape[d] != 1 && t.strides[d] != expected) return false;
    expected *= t.shape[d];
  }
  return true;
}

// Address of element (0, ..., 0). The host passes it for host-accessible buffers, which all of this device's
// buffers are; scratch tensors made by the plugin set it too.
std::byte* buffer_address(const keel_tensor_desc_t& t);
inline std::byte* data_of(const keel_tensor_desc_t& t) {
  return t.data != nullptr ? static_cast<std::byte*>(t.data) : buffer_address(t);
}

template <class T>
T* typed_data(const keel_tensor_desc_t& t) {
  return reinterpret_cast<T*>(data_of(t));
}

// [first, last) bytes the view touches relative to its element 0; empty for zero-size tensors.
struct ByteExtent {
  int64_t first = 0;
  int64_t last = 0;
};
ByteExtent byte_extent(const keel_tensor_desc_t& t);

// Axis in [-rank, rank) to [0, rank). The host has checked the range already.
inline uint32_t normalize_axis(int64_t axis, uint32_t rank) {
  return static_cast<uint32_t>(axis < 0 ? axis + static_cast<int64_t>(rank) : axis);
}

// A dense row-major descriptor with `t`'s dtype and shape and no data.
keel_tensor_desc_t dense_like(const keel_tensor_desc_t& t);

}  // namespace keel::onednn
