// Byte patterns that a copy must keep bit for bit: NaNs with payloads (quiet and signaling, both signs),
// -0.0, subnormals and infinities of every float width, then pseudo-random bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace keel::conform {

std::vector<uint8_t> tricky_bytes(size_t size, uint64_t seed);

}  // namespace keel::conform
