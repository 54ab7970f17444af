// The 16-bit float formats as storage types, with conversions that round exactly once (cast.yaml: round to
// nearest, ties to even; beyond the range becomes ±inf; subnormals of the target are kept).
//
// Widening to float is exact. Narrowing goes through float rounded to odd: every source value (integers up to
// 64 bits, f32, f64) is exact in long double, rounding that to float "to odd" keeps enough information
// (float has more than 2 bits beyond f16's and bf16's significands), and the final round-to-nearest-even
// from that float is then the correctly rounded result, with no double-rounding error.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

namespace keel::onednn {

struct Bf16 {
  uint16_t bits;
};
struct F16 {
  uint16_t bits;
};

inline uint32_t float_bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}
inline float bits_float(uint32_t u) {
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}

inline float to_float(Bf16 h) { return bits_float(static_cast<uint32_t>(h.bits) << 16); }

inline float to_float(F16 h) {
  const uint32_t sign = static_cast<uint32_t>(h.bits & 0x8000u) << 16;
  const uint32_t exponent = (h.bits >> 10) & 0x1fu;
  const uint32_t mantissa = h.bits & 0x3ffu;
  if (exponent == 0x1f) return bits_float(sign | 0x7f800000u | (mantissa << 13));  // inf, NaN
  if (exponent != 0) return bits_float(sign | ((exponent + 112) << 23) | (mantissa << 13));
  // ±0 and subnormals: mantissa * 2^-24, exact in float.
  const float magnitude = std::ldexp(static_cast<float>(mantissa), -24);
  return sign ? -magnitude : magnitude;
}

// x rounded to float with the "round to odd" rule: truncate, then set the last bit when inexact.
inline float round_to_odd_float(long double x) {
  float f = static_cast<float>(x);
  if (std::isnan(x) || static_cast<long double>(f) == x) return f;
  if (std::fabs(static_cast<long double>(f)) > std::fabs(x)) f = std::nextafter(f, 0.0f);  // truncate
  return bits_float(float_bits(f) | 1u);
}

// Round-to-nearest-even from float.
inline Bf16 bf16_from_float(float f) {
  const uint32_t u = float_bits(f);
  if (std::isnan(f)) return {static_cast<uint16_t>((u >> 16) | 0x0040u)};  // quiet NaN, sign kept
  return {static_cast<uint16_t>((u + 0x7fffu + ((u >> 16) & 1u)) >> 16)};
}

inline F16 f16_from_float(float f) {
  const uint32_t u = float_bits(f);
  const uint16_t sign = static_cast<uint16_t>((u >> 16) & 0x8000u);
  const float magnitude = std::fabs(f);
  if (std::isnan(f)) return {static_cast<uint16_t>(sign | 0x7e00u)};
  if (magnitude >= 65520.0f) return {static_cast<uint16_t>(sign | 0x7c00u)};  // rounds to inf
  if (magnitude < 6.103515625e-05f) {  // below the smallest normal (2^-14): a multiple of 2^-24
    const float scaled = magnitude * 16777216.0f;  // exact: 2^24
    return {static_cast<uint16_t>(sign | static_cast<uint16_t>(std::nearbyint(scaled)))};  // ties to even
  }
  // Normal: drop 13 mantissa bits with ties to even; a carry into the exponent is the right result.
  const uint32_t bits = float_bits(magnitude);
  const uint32_t rounded = bits + 0xfffu + ((bits >> 13) & 1u);
  const uint32_t exponent = (rounded >> 23) - 112;
  return {static_cast<uint16_t>(sign | (exponent << 10) | ((rounded >> 13) & 0x3ffu))};
}

inline Bf16 bf16_from(long double x) { return bf16_from_float(round_to_odd_float(x)); }
inline F16 f16_from(long double x) { return f16_from_float(round_to_odd_float(x)); }

}  // namespace keel::onednn
