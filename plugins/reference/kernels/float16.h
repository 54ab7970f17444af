// The two 16-bit float formats as element types: IEEE 754 binary16 (f16) and bfloat16 (bf16). They are
// storage only. Kernels widen them to double (exactly), compute there, and round once back with narrow<T>():
// round to nearest, ties to even, results beyond the range become ±inf, subnormals of the target are kept and
// NaN stays NaN (sign and the top payload bits kept, made quiet).
//
// Computing in double and rounding once is also correctly rounded for +, -, ·, / and sqrt of f16, bf16 and
// f32 operands: double has more than 2p + 2 significand bits for each of them (p = 11, 8, 24), so the double
// rounding is innocuous.
#pragma once

#include <cstdint>
#include <type_traits>

namespace keel::reference {

struct Float16 {
  uint16_t bits;
};

struct BFloat16 {
  uint16_t bits;
};

// The value of a 16-bit float, exactly.
double to_double(Float16 x);
double to_double(BFloat16 x);

// sign · significand · 2^exponent rounded to the format (round to nearest, ties to even).
Float16 round_to_float16(bool negative, uint64_t significand, int exponent);
BFloat16 round_to_bfloat16(bool negative, uint64_t significand, int exponent);
// A double rounded once to the format.
Float16 float16_from(double x);
BFloat16 bfloat16_from(double x);

// Float element types: float, double and the two above.
template <class T>
constexpr bool kIsFloat =
    std::is_floating_point_v<T> || std::is_same_v<T, Float16> || std::is_same_v<T, BFloat16>;

// A float element exactly as a double (f64 unchanged).
template <class T>
double widen(T x) {
  static_assert(kIsFloat<T>, "widen() takes a float element type");
  if constexpr (std::is_same_v<T, Float16> || std::is_same_v<T, BFloat16>) {
    return to_double(x);
  } else {
    return static_cast<double>(x);
  }
}

// A double rounded once to the float element type T (f64 unchanged; f32 by the hardware's conversion, which
// rounds to nearest even and overflows to ±inf).
template <class T>
T narrow(double x) {
  static_assert(kIsFloat<T>, "narrow() gives a float element type");
  if constexpr (std::is_same_v<T, Float16>) {
    return float16_from(x);
  } else if constexpr (std::is_same_v<T, BFloat16>) {
    return bfloat16_from(x);
  } else {
    return static_cast<T>(x);
  }
}

// The long double forms, for kernels that need more than double precision on f64 inputs (softmax). A long
// double result is rounded to f64 once; for the narrower types it is rounded to double first, which can
// move a result lying within 2^-53 (relative) of a rounding boundary by one ulp of T: harmless for the
// non-exact operators that use it.
template <class T>
long double widen_long(T x) {
  if constexpr (std::is_same_v<T, double>) {
    return x;
  } else {
    return widen(x);
  }
}

// The type sums and products of T accumulate in: double for f16, bf16 and f32; long double for f64 (more
// precision, and a wider exponent range, so no partial sum overflows where the exact result does not).
template <class T>
using Accumulator = std::conditional_t<std::is_same_v<T, double>, long double, double>;

template <class T>
Accumulator<T> lift(T x) {
  return static_cast<Accumulator<T>>(widen_long(x));
}

template <class T>
T narrow(long double x) {
  if constexpr (std::is_same_v<T, double>) {
    return static_cast<double>(x);
  } else {
    return narrow<T>(static_cast<double>(x));
  }
}

}  // namespace keel::reference
