// x86-64: SSE2 streaming stores (every x86-64 CPU has them).
#include <emmintrin.h>

#include <algorithm>
#include <cstring>

#include "streaming.h"

namespace keel::onednn {

void stream_copy(void* dst, const void* src, size_t bytes) {
  auto* to = static_cast<char*>(dst);
  const auto* from = static_cast<const char*>(src);
  // Plain stores up to the first 16-byte boundary of the destination, streaming stores after it.
  const size_t head = std::min(bytes, static_cast<size_t>((16 - reinterpret_cast<uintptr_t>(to) % 16) % 16));
  std::memcpy(to, from, head);
  size_t at = head;
  for (; at + 16 <= bytes; at += 16) {
    _mm_stream_si128(reinterpret_cast<__m128i*>(to + at), _mm_loadu_si128(reinterpret_cast<const __m128i*>(from + at)));
  }
  std::memcpy(to + at, from + at, bytes - at);
}

void stream_fence() { _mm_sfence(); }

}  // namespace keel::onednn
