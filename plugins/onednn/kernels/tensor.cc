#include "tensor.h"

#include "memory.h"
#include "scratch.h"

#include <array>
#include "handles.h"

namespace keel::onednn {

const char* dtype_name(keel_dtype_t dtype) {
  switch (dtype) {
    case KEEL_DTYPE_BOOL: return "bool";
    case KEEL_DTYPE_I8: return "i8";
    case KEEL_DTYPE_U8: return "u8";
    case KEEL_DTYPE_I32: return "i32";
    case KEEL_DTYPE_I64: return "i64";
    case KEEL_DTYPE_F16: return "f16";
    case KEEL_DTYPE_BF16: return "bf16";
    case KEEL_DTYPE_F32: return "f32";
    case KEEL_DTYPE_F64: return "f64";
    default: return "invalid";
  }
}

std::byte* buffer_address(const keel_tensor_desc_t& t) {
  if (t.buffer == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "a tensor has neither data nor a buffer");
  return from_handle(t.buffer)->data() + t.byte_offset;
}

ByteExtent byte_extent(const keel_tensor_desc_t& t) {
  int64_t low = 0;
  int64_t high = 0;
  for (uint32_t d = 0; d < t.rank; ++d) {
    if (t.shape[d] == 0) return {};
    const int64_t reach = (t.shape[d] - 1) * t.strides[d];
    (reach < 0 ? low : high) += reach;
  }
  const int64_t size = static_cast<int64_t>(dtype_size(t.dtype));
  return {low * size, (high + 1) * size};
}

std::byte* thread_scratch(int slot, size_t bytes) {
  struct Slot {
    Scratch memory;
    size_t capacity = 0;
  };
  thread_local std::array<Slot, 8> slots;
  Slot& s = slots.at(static_cast<size_t>(slot));
  if (s.capacity < bytes) {
    s.memory = Scratch();  // release first: the peak is one copy, not two
    s.memory = Scratch(bytes);
    s.capacity = bytes;
  }
  return s.memory.data();
}

keel_tensor_desc_t dense_like(const keel_tensor_desc_t& t) {
  keel_tensor_desc_t dense{};
  dense.dtype = t.dtype;
  dense.rank = t.rank;
  int64_t stride = 1;
  for (uint32_t d = t.rank; d-- > 0;) {
    dense.shape[d] = t.shape[d];
    dense.strides[d] = stride;
    stride *= t.shape[d];
  }
  return dense;
}

}  // namespace keel::onednn
