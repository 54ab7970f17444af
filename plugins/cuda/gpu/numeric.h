// Element types of the CUDA plugin and the conversions between them, exactly as ir_spec/ops/cast.yaml defines
// them. Plain C++ usable in kernels and on the host (see portable.h); nothing here depends on CUDA headers.
//
// f16 and bf16 are stored as their bit patterns and converted with integer arithmetic, so the same code runs
// on every GPU architecture and in the CPU tests. Every conversion rounds exactly once: a value is first
// taken exactly into an int64 or a double (every bool, integer, f16, bf16, f32 and f64 fits one of them
// exactly) and then rounded to the target.
#pragma once

#include <cstdint>
#include <cstring>

#include "gpu/portable.h"

namespace keel::cuda {

struct Bool {  // one byte; 0 is false, anything else reads as true, true is written as 1
  uint8_t value;
};
struct Half {  // IEEE binary16
  uint16_t bits;
};
struct BFloat16 {  // bfloat16: the high half of a binary32
  uint16_t bits;
};

// ---- Bits ---------------------------------------------------------------------------------------------------

KEEL_CUDA_HD inline uint32_t bits_of(float x) {
  uint32_t bits;
  memcpy(&bits, &x, sizeof bits);
  return bits;
}
KEEL_CUDA_HD inline uint64_t bits_of(double x) {
  uint64_t bits;
  memcpy(&bits, &x, sizeof bits);
  return bits;
}
KEEL_CUDA_HD inline float float_from_bits(uint32_t bits) {
  float x;
  memcpy(&x, &bits, sizeof x);
  return x;
}
KEEL_CUDA_HD inline double double_from_bits(uint64_t bits) {
  double x;
  memcpy(&x, &bits, sizeof x);
  return x;
}

// Position of the highest set bit of a non-zero value.
KEEL_CUDA_HD inline int highest_bit(uint64_t value) {
  int position = 0;
  for (int step = 32; step > 0; step /= 2) {
    if ((value >> step) != 0) {
      value >>= step;
      position += step;
    }
  }
  return position;
}

// ---- Rounding into a small binary format ----------------------------------------------------------------------

// A binary floating-point format: `precision` significand bits (with the implicit one) and exponents in
// [1 - max_exponent, max_exponent]; bits are sign | biased exponent | fraction.
struct SmallFloatFormat {
  int precision;
  int max_exponent;
  int total_bits;
};
inline constexpr SmallFloatFormat kHalfFormat = {11, 15, 16};
inline constexpr SmallFloatFormat kBFloat16Format = {8, 127, 16};

// The bits of sign · magnitude · 2^exponent2 rounded to nearest, ties to even (`sticky`: there are non-zero
// bits below `magnitude`, so the value lies strictly above it). Overflow gives infinity; tiny values become
// subnormals or zero.
KEEL_CUDA_HD inline uint32_t round_to_format(SmallFloatFormat format, bool negative, uint64_t magnitude,
                                             int exponent2, bool sticky) {
  const uint32_t sign = negative ? 1u << (format.total_bits - 1) : 0u;
  const int fraction_bits = format.precision - 1;
  const uint32_t infinity = sign | (((1u << (format.total_bits - 1 - fraction_bits)) - 1u) << fraction_bits);
  if (magnitude == 0) return sign;
  const int min_exponent = 1 - format.max_exponent;
  const int exponent = highest_bit(magnitude) + exponent2;  // the value lies in [2^exponent, 2^(exponent+1))
  if (exponent > format.max_exponent) return infinity;
  // Exponent of the last significand bit kept: normal numbers keep `precision` bits, subnormals fewer.
  int last = (exponent >= min_exponent ? exponent : min_exponent) - fraction_bits;
  const int shift = last - exponent2;
  uint64_t kept = 0;
  bool round_up = false;
  if (shift <= 0) {
    kept = magnitude << -shift;  // exact: fewer than `precision` bits
  } else if (shift > 64) {
    round_up = false;  // below half of the smallest step
  } else {
    kept = shift == 64 ? 0 : magnitude >> shift;
    const uint64_t rest = shift == 64 ? magnitude : magnitude & ((uint64_t{1} << shift) - 1);
    const uint64_t half = uint64_t{1} << (shift - 1);
    round_up = rest > half || (rest == half && (sticky || (kept & 1) != 0));
  }
  if (round_up) ++kept;
  if (kept == uint64_t{1} << format.precision) {  // rounding carried into a new binade
    kept >>= 1;
    ++last;
  }
  if (kept >= uint64_t{1} << fraction_bits) {  // normal
    const int biased = last + fraction_bits + format.max_exponent;
    if (last + fraction_bits > format.max_exponent) return infinity;
    return sign | (static_cast<uint32_t>(biased) << fraction_bits) |
           static_cast<uint32_t>(kept - (uint64_t{1} << fraction_bits));
  }
  return sign | static_cast<uint32_t>(kept);  // subnormal
}

KEEL_CUDA_HD inline uint32_t quiet_nan_bits(SmallFloatFormat format, bool negative) {
  const int fraction_bits = format.precision - 1;
  const uint32_t sign = negative ? 1u << (format.total_bits - 1) : 0u;
  return sign | (((1u << (format.total_bits - fraction_bits)) - 1u) << (fraction_bits - 1));
}

// A double rounded to the format; NaN stays NaN (quiet, sign kept), infinities stay infinite.
KEEL_CUDA_HD inline uint32_t double_to_format(SmallFloatFormat format, double x) {
  const uint64_t bits = bits_of(x);
  const bool negative = (bits >> 63) != 0;
  const int biased = static_cast<int>((bits >> 52) & 0x7ff);
  const uint64_t fraction = bits & ((uint64_t{1} << 52) - 1);
  if (biased == 0x7ff) {
    if (fraction != 0) return quiet_nan_bits(format, negative);
    return round_to_format(format, negative, 1, 1 << 20, false);  // infinity
  }
  if (biased == 0) return round_to_format(format, negative, fraction, -1074, false);
  return round_to_format(format, negative, fraction | (uint64_t{1} << 52), biased - 1075, false);
}

KEEL_CUDA_HD inline uint32_t int64_to_format(SmallFloatFormat format, int64_t value) {
  const bool negative = value < 0;
  const uint64_t magnitude = negative ? uint64_t{0} - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
  return round_to_format(format, negative, magnitude, 0, false);
}

// ---- Widening: every f16 and bf16 value is exactly a float ------------------------------------------------------

KEEL_CUDA_HD inline float half_to_float(Half h) {
  const uint32_t sign = static_cast<uint32_t>(h.bits & 0x8000u) << 16;
  uint32_t exponent = (h.bits >> 10) & 0x1fu;
  uint32_t fraction = h.bits & 0x3ffu;
  if (exponent == 0x1f) return float_from_bits(sign | 0x7f800000u | (fraction << 13));
  if (exponent == 0) {
    if (fraction == 0) return float_from_bits(sign);
    exponent = 113;  // normalize the subnormal: 2^-14 · 0.fraction
    while ((fraction & 0x400u) == 0) {
      fraction <<= 1;
      --exponent;
    }
    return float_from_bits(sign | (exponent << 23) | ((fraction & 0x3ffu) << 13));
  }
  return float_from_bits(sign | ((exponent + 112) << 23) | (fraction << 13));
}

KEEL_CUDA_HD inline float bfloat16_to_float(BFloat16 b) { return float_from_bits(static_cast<uint32_t>(b.bits) << 16); }

KEEL_CUDA_HD inline Half half_from_double(double x) {
  return Half{static_cast<uint16_t>(double_to_format(kHalfFormat, x))};
}
KEEL_CUDA_HD inline BFloat16 bfloat16_from_double(double x) {
  return BFloat16{static_cast<uint16_t>(double_to_format(kBFloat16Format, x))};
}
// A float widens exactly to a double, so these round once.
KEEL_CUDA_HD inline Half half_from_float(float x) { return half_from_double(static_cast<double>(x)); }
KEEL_CUDA_HD inline BFloat16 bfloat16_from_float(float x) { return bfloat16_from_double(static_cast<double>(x)); }

// ---- The cast rules -------------------------------------------------------------------------------------------

// A source value taken exactly: integers and bools as int64, floating point as double.
struct Exact {
  bool is_float;
  int64_t integer;
  double real;
};

KEEL_CUDA_HD inline Exact exact(Bool x) { return {false, x.value != 0 ? 1 : 0, 0.0}; }
KEEL_CUDA_HD inline Exact exact(int32_t x) { return {false, x, 0.0}; }
KEEL_CUDA_HD inline Exact exact(int64_t x) { return {false, x, 0.0}; }
KEEL_CUDA_HD inline Exact exact(Half x) { return {true, 0, static_cast<double>(half_to_float(x))}; }
KEEL_CUDA_HD inline Exact exact(BFloat16 x) { return {true, 0, static_cast<double>(bfloat16_to_float(x))}; }
KEEL_CUDA_HD inline Exact exact(float x) { return {true, 0, static_cast<double>(x)}; }
KEEL_CUDA_HD inline Exact exact(double x) { return {true, 0, x}; }

// Float to integer: truncate toward zero, NaN to 0, saturate outside the range. `limit` is 2^(bits-1).
KEEL_CUDA_HD inline int64_t saturating_trunc(double x, double limit, int64_t lowest, int64_t highest) {
  if (x != x) return 0;
  if (x >= limit) return highest;
  if (x <= -limit) return lowest;
  return static_cast<int64_t>(x);  // in range: truncates
}

template <class To>
struct Convert;

template <>
struct Convert<Bool> {
  KEEL_CUDA_HD static Bool from(Exact v) {
    const bool truth = v.is_float ? v.real != 0.0 : v.integer != 0;  // NaN is true, -0 false
    return Bool{static_cast<uint8_t>(truth ? 1 : 0)};
  }
};
template <>
struct Convert<int32_t> {
  KEEL_CUDA_HD static int32_t from(Exact v) {
    if (v.is_float) {
      return static_cast<int32_t>(saturating_trunc(v.real, 2147483648.0, INT32_MIN, INT32_MAX));
    }
    return static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(v.integer)));  // keeps the low bits
  }
};
template <>
struct Convert<int64_t> {
  KEEL_CUDA_HD static int64_t from(Exact v) {
    if (v.is_float) return saturating_trunc(v.real, 9223372036854775808.0, INT64_MIN, INT64_MAX);
    return v.integer;
  }
};
template <>
struct Convert<Half> {
  KEEL_CUDA_HD static Half from(Exact v) {
    if (v.is_float) return half_from_double(v.real);
    return Half{static_cast<uint16_t>(int64_to_format(kHalfFormat, v.integer))};
  }
};
template <>
struct Convert<BFloat16> {
  KEEL_CUDA_HD static BFloat16 from(Exact v) {
    if (v.is_float) return bfloat16_from_double(v.real);
    return BFloat16{static_cast<uint16_t>(int64_to_format(kBFloat16Format, v.integer))};
  }
};
template <>
struct Convert<float> {
  // Both conversions round to nearest even; doubles beyond the float range become infinities.
  KEEL_CUDA_HD static float from(Exact v) {
    return v.is_float ? static_cast<float>(v.real) : static_cast<float>(v.integer);
  }
};
template <>
struct Convert<double> {
  KEEL_CUDA_HD static double from(Exact v) { return v.is_float ? v.real : static_cast<double>(v.integer); }
};

// cast(x) to To, following the spec's rules (a same-dtype cast is done as a byte copy elsewhere).
template <class To, class From>
KEEL_CUDA_HD inline To convert(From x) {
  return Convert<To>::from(exact(x));
}

}  // namespace keel::cuda
