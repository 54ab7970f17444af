// Deterministic pseudo-random data for benchmark inputs (values in [-1, 1)).
#pragma once

#include <cstdint>

namespace keel::bench {

inline void fill_random(float* data, int64_t count, uint32_t seed) {
  uint32_t state = seed * 2654435761u + 1;
  for (int64_t i = 0; i < count; ++i) {
    state = state * 1664525u + 1013904223u;
    data[i] = static_cast<float>(state >> 8) * (1.0f / 8388608.0f) - 1.0f;
  }
}

}  // namespace keel::bench
