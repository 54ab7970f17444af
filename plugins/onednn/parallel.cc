#include "parallel.h"

#include <cstring>

namespace keel::onednn {
namespace {

constexpr int64_t kMinBytesPerThread = int64_t{1} << 20;

}  // namespace

void parallel_memcpy(void* dst, const void* src, size_t bytes) {
  auto* to = static_cast<char*>(dst);
  const auto* from = static_cast<const char*>(src);
  parallel_ranges(
      static_cast<int64_t>(bytes),
      [&](int64_t begin, int64_t end) { std::memcpy(to + begin, from + begin, static_cast<size_t>(end - begin)); },
      kMinBytesPerThread, 4096);
}

void parallel_memset(void* dst, int value, size_t bytes) {
  auto* to = static_cast<char*>(dst);
  parallel_ranges(
      static_cast<int64_t>(bytes),
      [&](int64_t begin, int64_t end) { std::memset(to + begin, value, static_cast<size_t>(end - begin)); },
      kMinBytesPerThread, 4096);
}

void parallel_pattern_fill(void* dst, size_t bytes, const void* pattern, uint32_t pattern_size) {
  auto* to = static_cast<unsigned char*>(dst);
  const auto* bytes_of = static_cast<const unsigned char*>(pattern);
  bool uniform = true;  // every byte of the pattern equal: a plain memset
  for (uint32_t i = 1; i < pattern_size; ++i) uniform = uniform && bytes_of[i] == bytes_of[0];
  if (uniform) {
    parallel_memset(dst, bytes_of[0], bytes);
    return;
  }
  // Ranges start at multiples of 4096 bytes, a multiple of every pattern size, so each range starts with
  // byte 0 of the pattern.
  parallel_ranges(
      static_cast<int64_t>(bytes),
      [&](int64_t begin, int64_t end) {
        for (int64_t at = begin; at < end; at += pattern_size) std::memcpy(to + at, pattern, pattern_size);
      },
      kMinBytesPerThread, 4096);
}

}  // namespace keel::onednn
