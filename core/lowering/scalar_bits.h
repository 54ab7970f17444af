// The bytes of one element: a number converted to a dtype with the spec's cast rules (round to nearest
// even, saturation and NaN → 0 for integers, ±inf on float overflow, x != 0 for bool).
#pragma once

#include <cstdint>

#include "keel/keel_types.h"

namespace keel::lowering {

// Writes keel_dtype_size(dtype) bytes to `out` (8 bytes of room). False for an unknown dtype.
bool scalar_bits(double value, keel_dtype_t dtype, unsigned char out[8]);

}  // namespace keel::lowering
