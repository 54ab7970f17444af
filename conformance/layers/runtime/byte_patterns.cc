#include "layers/runtime/byte_patterns.h"

#include <cstring>

#include "layers/ops/random.h"

namespace keel::conform {
namespace {

// One of each interesting bit pattern, little-endian, as 8-byte words (two f32, four f16/bf16, one f64).
constexpr uint64_t kWords[] = {
    0x7ff0000000000001ull,  // f64 signaling NaN, smallest payload
    0xfff8000000abcdefull,  // f64 negative quiet NaN with payload
    0x8000000000000000ull,  // f64 -0.0
    0x0000000000000001ull,  // f64 smallest subnormal
    0x7ff0000000000000ull,  // f64 +inf
    0x7f8000017fc12345ull,  // f32 signaling NaN | f32 quiet NaN with payload
    0x80000000ffc00001ull,  // f32 -0.0 | f32 negative quiet NaN
    0x00000001807fffffull,  // f32 smallest subnormal | f32 largest negative subnormal
    0x7c01fe0180007e00ull,  // f16 signaling NaN, -quiet NaN with payload, -0.0, quiet NaN
    0x7f81ffc180000001ull,  // bf16 signaling NaN, -quiet NaN, -0.0, f16 subnormal 1
};

}  // namespace

std::vector<uint8_t> tricky_bytes(size_t size, uint64_t seed) {
  std::vector<uint8_t> bytes(size);
  const size_t patterned = std::min(size, sizeof(kWords)) ;
  std::memcpy(bytes.data(), kWords, patterned);
  Random random(seed);
  for (size_t i = patterned; i < size; ++i) bytes[i] = static_cast<uint8_t>(random.next());
  // Sprinkle the patterns through the random part too, at odd byte offsets.
  for (size_t at = patterned + 3; at + 8 <= size; at += 97) {
    std::memcpy(bytes.data() + at, &kWords[(at / 97) % std::size(kWords)], 8);
  }
  return bytes;
}

}  // namespace keel::conform
