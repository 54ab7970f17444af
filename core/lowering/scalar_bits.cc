#include "lowering/scalar_bits.h"

#include <cmath>
#include <cstring>
#include <limits>

namespace keel::lowering {
namespace {

template <class Int>
Int saturate(double value) {
  if (std::isnan(value)) return 0;
  const double truncated = std::trunc(value);
  if (truncated <= static_cast<double>(std::numeric_limits<Int>::min())) return std::numeric_limits<Int>::min();
  if (truncated >= static_cast<double>(std::numeric_limits<Int>::max())) return std::numeric_limits<Int>::max();
  return static_cast<Int>(truncated);
}

// IEEE binary16 from a float, round to nearest even.
uint16_t half_bits(float value) {
  uint32_t f;
  std::memcpy(&f, &value, sizeof(f));
  const uint32_t sign = (f >> 16) & 0x8000u;
  const uint32_t exponent = (f >> 23) & 0xffu;
  uint32_t mantissa = f & 0x7fffffu;
  if (exponent == 0xffu) return static_cast<uint16_t>(sign | 0x7c00u | (mantissa ? 0x200u : 0));
  int e = static_cast<int>(exponent) - 127 + 15;
  if (e >= 31) return static_cast<uint16_t>(sign | 0x7c00u);
  if (e <= 0) {
    if (e < -10) return static_cast<uint16_t>(sign);
    mantissa |= 0x800000u;
    const int shift = 14 - e;
    uint32_t half = mantissa >> shift;
    const uint32_t rest = mantissa & ((1u << shift) - 1);
    const uint32_t halfway = 1u << (shift - 1);
    if (rest > halfway || (rest == halfway && (half & 1u))) ++half;
    return static_cast<uint16_t>(sign | half);
  }
  uint32_t half = (static_cast<uint32_t>(e) << 10) | (mantissa >> 13);
  const uint32_t rest = mantissa & 0x1fffu;
  if (rest > 0x1000u || (rest == 0x1000u && (half & 1u))) ++half;  // may carry into the exponent: correct
  return static_cast<uint16_t>(sign | half);
}

uint16_t bfloat_bits(float value) {
  uint32_t f;
  std::memcpy(&f, &value, sizeof(f));
  if (std::isnan(value)) return static_cast<uint16_t>((f >> 16) | 0x40u);
  const uint32_t rounding = 0x7fffu + ((f >> 16) & 1u);
  return static_cast<uint16_t>((f + rounding) >> 16);
}

template <class T>
void put(T value, unsigned char out[8]) {
  std::memcpy(out, &value, sizeof(T));
}

}  // namespace

bool scalar_bits(double value, keel_dtype_t dtype, unsigned char out[8]) {
  switch (dtype) {
    case KEEL_DTYPE_BOOL: put<uint8_t>(value != 0 ? 1 : 0, out); return true;  // NaN != 0: true
    case KEEL_DTYPE_I8: put(saturate<int8_t>(value), out); return true;
    case KEEL_DTYPE_U8: put(saturate<uint8_t>(value), out); return true;
    case KEEL_DTYPE_I32: put(saturate<int32_t>(value), out); return true;
    case KEEL_DTYPE_I64: put(saturate<int64_t>(value), out); return true;
    // f64 → f32 rounds to nearest even; f16 and bf16 then round once more from that f32, which is exact for
    // the small integers and simple constants formulas use.
    case KEEL_DTYPE_F16: put(half_bits(static_cast<float>(value)), out); return true;
    case KEEL_DTYPE_BF16: put(bfloat_bits(static_cast<float>(value)), out); return true;
    case KEEL_DTYPE_F32: put(static_cast<float>(value), out); return true;
    case KEEL_DTYPE_F64: put(value, out); return true;
    default: return false;
  }
}

}  // namespace keel::lowering
