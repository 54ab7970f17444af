#include "philox.h"

namespace keel::reference {
namespace {

constexpr uint32_t kMultiplier0 = 0xD2511F53;
constexpr uint32_t kMultiplier1 = 0xCD9E8D57;
constexpr uint32_t kWeyl0 = 0x9E3779B9;  // the golden ratio
constexpr uint32_t kWeyl1 = 0xBB67AE85;  // sqrt(3) - 1

uint32_t high_word(uint64_t x) { return static_cast<uint32_t>(x >> 32); }
uint32_t low_word(uint64_t x) { return static_cast<uint32_t>(x); }

// One round: p0 = M0 · c0, p1 = M1 · c2; (c0, c1, c2, c3) = (hi(p1) ^ c1 ^ k0, lo(p1), hi(p0) ^ c3 ^ k1, lo(p0)).
PhiloxCounter round(const PhiloxCounter& c, const PhiloxKey& k) {
  const uint64_t p0 = uint64_t{kMultiplier0} * c[0];
  const uint64_t p1 = uint64_t{kMultiplier1} * c[2];
  return {high_word(p1) ^ c[1] ^ k[0], low_word(p1), high_word(p0) ^ c[3] ^ k[1], low_word(p0)};
}

}  // namespace

PhiloxCounter philox4x32_10(PhiloxCounter counter, PhiloxKey key) {
  for (int r = 0; r < 10; ++r) {
    if (r > 0) {
      key[0] += kWeyl0;  // uint32_t arithmetic wraps modulo 2^32
      key[1] += kWeyl1;
    }
    counter = round(counter, key);
  }
  return counter;
}

PhiloxCounter keel_philox_block(int64_t seed, int64_t offset, uint64_t block) {
  const auto key_bits = static_cast<uint64_t>(seed);
  const uint64_t n = static_cast<uint64_t>(offset) + block;  // wraps modulo 2^64
  return philox4x32_10({low_word(n), high_word(n), 0, 0}, {low_word(key_bits), high_word(key_bits)});
}

}  // namespace keel::reference
