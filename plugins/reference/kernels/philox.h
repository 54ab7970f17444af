// Philox4x32-10 (Salmon, Moraes, Dror, Shaw: "Parallel Random Numbers: As Easy as 1, 2, 3", SC'11; the
// Random123 library), and Keel's use of it (ir_spec/ops/random.yaml).
#pragma once

#include <array>
#include <cstdint>

namespace keel::reference {

using PhiloxCounter = std::array<uint32_t, 4>;
using PhiloxKey = std::array<uint32_t, 2>;

// Ten rounds on (counter, key); the key is bumped before every round but the first.
PhiloxCounter philox4x32_10(PhiloxCounter counter, PhiloxKey key);

// Block `block` of a call with attributes seed and offset (each read as its 64-bit two's-complement
// pattern): key (seed mod 2^32, seed >> 32), counter n = (offset + block) mod 2^64 as (n mod 2^32, n >> 32,
// 0, 0).
PhiloxCounter keel_philox_block(int64_t seed, int64_t offset, uint64_t block);

}  // namespace keel::reference
