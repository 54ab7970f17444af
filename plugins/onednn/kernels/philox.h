// Philox4x32-10 as random.yaml defines it, and the way Keel's random operators number their blocks: the
// key is the seed's two 32-bit halves, block b of a call uses the counter offset + b (mod 2^64) in c0, c1
// with c2 = c3 = 0. Every plugin produces the same bits for the same (seed, offset).
#pragma once

#include <array>
#include <cstdint>

namespace keel::onednn {

using PhiloxBlock = std::array<uint32_t, 4>;

class Philox {
 public:
  // seed and offset are the attributes' 64-bit two's-complement patterns.
  Philox(int64_t seed, int64_t offset)
      : k0_(static_cast<uint32_t>(static_cast<uint64_t>(seed))),
        k1_(static_cast<uint32_t>(static_cast<uint64_t>(seed) >> 32)),
        offset_(static_cast<uint64_t>(offset)) {}

  // The four words of block b of the call.
  PhiloxBlock block(uint64_t b) const {
    const uint64_t n = offset_ + b;  // wraps modulo 2^64
    return generate({static_cast<uint32_t>(n), static_cast<uint32_t>(n >> 32), 0u, 0u}, k0_, k1_);
  }

  // The bare function: ten rounds on a 128-bit counter with a 64-bit key.
  static PhiloxBlock generate(PhiloxBlock c, uint32_t k0, uint32_t k1) {
    for (int round = 0; round < 10; ++round) {
      if (round > 0) {
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
      }
      const uint64_t p0 = uint64_t{0xD2511F53u} * c[0];
      const uint64_t p1 = uint64_t{0xCD9E8D57u} * c[2];
      c = {static_cast<uint32_t>(p1 >> 32) ^ c[1] ^ k0, static_cast<uint32_t>(p1),
           static_cast<uint32_t>(p0 >> 32) ^ c[3] ^ k1, static_cast<uint32_t>(p0)};
    }
    return c;
  }

 private:
  uint32_t k0_, k1_;
  uint64_t offset_;
};

// The 24-bit uniform of a word, (w >> 8) · 2^-24: in [0, 1) and exact in f64.
inline double u24(uint32_t word) { return static_cast<double>(word >> 8) * 0x1p-24; }

}  // namespace keel::onednn
