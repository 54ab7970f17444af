// A small deterministic generator (SplitMix64): the same seed gives the same values on every platform and
// standard library, so inputs, and therefore certificates, are reproducible.
#pragma once

#include <cstdint>
#include <string_view>

namespace keel::conform {

class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}

  uint64_t next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1), 53 bits.
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  // Uniform in [low, high).
  double uniform(double low, double high) { return low + (high - low) * unit(); }
  // Uniform integer in [low, high].
  int64_t integer(int64_t low, int64_t high) {
    const uint64_t span = static_cast<uint64_t>(high - low) + 1;
    return low + static_cast<int64_t>(span == 0 ? next() : next() % span);
  }

 private:
  uint64_t state_;
};

// FNV-1a of `text`, for deriving seeds from case identities.
inline uint64_t seed_of(std::string_view text, uint64_t salt = 0) {
  uint64_t hash = 0xcbf29ce484222325ull ^ salt;
  for (char c : text) {
    hash ^= static_cast<uint8_t>(c);
    hash *= 0x100000001b3ull;
  }
  return hash;
}

}  // namespace keel::conform
