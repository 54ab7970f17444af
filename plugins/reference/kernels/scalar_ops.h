// The per-element rules of the operator spec (ir_spec/ops/*.yaml), one small function each, written for
// readability rather than speed. T is an integer element type (int8_t, uint8_t, int32_t, int64_t) or a float
// element type (Float16, BFloat16, float, double).
//
// Floats are computed on their exact double value (widen) and rounded once to T (narrow). For +, -, ·, / and
// sqrt that single rounding is the correctly rounded result (float16.h). Transcendentals of f16, bf16 and f32
// are evaluated in double; those of f64 in long double; either way the result is within a fraction of an ulp
// of the exact one, well inside the spec's bounds.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "float16.h"

namespace keel::reference {

// ---- Integers wrap modulo 2^bits: computed in the unsigned type, where wrapping is defined -------------------

template <class T>
T wrapping_add(T a, T b) {
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(static_cast<U>(static_cast<U>(a) + static_cast<U>(b)));
}

template <class T>
T wrapping_sub(T a, T b) {
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(static_cast<U>(static_cast<U>(a) - static_cast<U>(b)));
}

template <class T>
T wrapping_mul(T a, T b) {
  using U = std::make_unsigned_t<T>;
  // Promote to at least unsigned int, so that uint16-sized types cannot overflow a signed int.
  using Wide = std::common_type_t<U, unsigned int>;
  return static_cast<T>(static_cast<U>(static_cast<Wide>(a) * static_cast<Wide>(b)));
}

// fn evaluated on x's value: in long double for f64, in double for the narrower floats; rounded once to T.
template <class T, class Fn>
T evaluate(T x, Fn fn) {
  if constexpr (std::is_same_v<T, double>) {
    return static_cast<double>(fn(static_cast<long double>(x)));
  } else {
    return narrow<T>(fn(widen(x)));
  }
}

// ---- Unary ------------------------------------------------------------------------------------------------

// Floats flip the sign bit (-(+0) = -0); integers wrap (neg(INT_MIN) = INT_MIN).
template <class T>
T negate(T x) {
  if constexpr (kIsFloat<T>) {
    return narrow<T>(-widen(x));
  } else {
    return wrapping_sub(T{0}, x);
  }
}

// Floats clear the sign bit (abs(-0) = +0); integers wrap (abs(INT_MIN) = INT_MIN).
template <class T>
T absolute(T x) {
  if constexpr (kIsFloat<T>) {
    return narrow<T>(std::fabs(widen(x)));
  } else {
    return x < 0 ? negate(x) : x;
  }
}

// 1, -1, or +0 for ±0; NaN stays NaN.
template <class T>
T sign_of(T x) {
  if constexpr (kIsFloat<T>) {
    const double v = widen(x);
    if (std::isnan(v)) return x;
    return narrow<T>(v > 0 ? 1.0 : v < 0 ? -1.0 : 0.0);
  } else {
    if (x > 0) return T{1};
    if (x < 0) return static_cast<T>(-1);
    return T{0};
  }
}

// x for x > 0, else +0 (so relu(-0) = +0); NaN stays NaN.
template <class T>
T relu_of(T x) {
  if constexpr (kIsFloat<T>) {
    const double v = widen(x);
    if (std::isnan(v)) return x;
    return v > 0 ? x : narrow<T>(0.0);
  } else {
    return x > 0 ? x : T{0};
  }
}

template <class T>
T exp_of(T x) {
  return evaluate(x, [](auto v) { return std::exp(v); });
}

template <class T>
T log_of(T x) {
  return evaluate(x, [](auto v) { return std::log(v); });
}

// Correctly rounded (IEEE sqrt in double, then one rounding): sqrt(-0) = -0.
template <class T>
T sqrt_of(T x) {
  return narrow<T>(std::sqrt(widen(x)));
}

template <class T>
T tanh_of(T x) {
  return evaluate(x, [](auto v) { return std::tanh(v); });
}

// 1 / (1 + e^-x). For x < 0 the equivalent e^x / (1 + e^x) is used, so that e^-x cannot overflow and tiny
// results (down to the subnormals) keep their precision. NaN falls through to NaN.
template <class T>
T sigmoid_of(T x) {
  return evaluate(x, [](auto v) {
    using W = decltype(v);
    if (v >= 0) return W{1} / (W{1} + std::exp(-v));
    const W e = std::exp(v);
    return e / (W{1} + e);
  });
}

// Correctly rounded 1 / x: 1/±0 = ±inf, 1/±inf = ±0.
template <class T>
T reciprocal_of(T x) {
  return narrow<T>(1.0 / widen(x));
}

// 1 / sqrt(x): rsqrt(±0) = ±inf (sqrt keeps the zero's sign), rsqrt(+inf) = +0, rsqrt(x < 0) = NaN.
template <class T>
T rsqrt_of(T x) {
  return evaluate(x, [](auto v) {
    using W = decltype(v);
    return W{1} / std::sqrt(v);
  });
}

template <class T>
T sin_of(T x) {
  return evaluate(x, [](auto v) { return std::sin(v); });
}

template <class T>
T cos_of(T x) {
  return evaluate(x, [](auto v) { return std::cos(v); });
}

template <class T>
T erf_of(T x) {
  return evaluate(x, [](auto v) { return std::erf(v); });
}

// Rounding to an integer is exact in double, and the integer is representable in T: ±0, ±inf and NaN come
// through unchanged, and a zero result keeps x's sign (floor(-0.5) = -1, ceil(-0.5) = -0).
template <class T>
T floor_of(T x) {
  return narrow<T>(std::floor(widen(x)));
}

template <class T>
T ceil_of(T x) {
  return narrow<T>(std::ceil(widen(x)));
}

// Nearest integer, ties to even: the current rounding mode, which is round-to-nearest-even (never changed
// by this plugin). round(-0.5) = -0, round(2.5) = 2.
template <class T>
T round_half_even(T x) {
  return narrow<T>(std::nearbyint(widen(x)));
}

// ---- Binary -----------------------------------------------------------------------------------------------

// Floats: IEEE 754, correctly rounded in T. Integers wrap.
template <class T>
T add_of(T a, T b) {
  if constexpr (kIsFloat<T>) {
    return narrow<T>(widen(a) + widen(b));
  } else {
    return wrapping_add(a, b);
  }
}

template <class T>
T sub_of(T a, T b) {
  if constexpr (kIsFloat<T>) {
    return narrow<T>(widen(a) - widen(b));
  } else {
    return wrapping_sub(a, b);
  }
}

template <class T>
T mul_of(T a, T b) {
  if constexpr (kIsFloat<T>) {
    return narrow<T>(widen(a) * widen(b));
  } else {
    return wrapping_mul(a, b);
  }
}

enum class Rounding { kNone, kTrunc, kFloor };

// Floats: the correctly rounded quotient in T, then trunc or floor applied to it (in that order: floor of the
// rounded quotient, not of the exact one). Integers: exact integer division rounded as asked (kNone is not
// used for integers), with b = 0 giving 0 and INT_MIN / -1 giving INT_MIN.
template <class T>
T divide(T a, T b, Rounding rounding) {
  if constexpr (kIsFloat<T>) {
    const double quotient = widen(narrow<T>(widen(a) / widen(b)));
    if (rounding == Rounding::kTrunc) return narrow<T>(std::trunc(quotient));
    if (rounding == Rounding::kFloor) return narrow<T>(std::floor(quotient));
    return narrow<T>(quotient);
  } else {
    if (b == 0) return T{0};
    if constexpr (std::is_signed_v<T>) {
      if (a == std::numeric_limits<T>::min() && b == -1) return a;
    }
    const T quotient = static_cast<T>(a / b);  // C++ truncates toward zero
    const bool inexact = a % b != 0;
    if (rounding == Rounding::kFloor && inexact && ((a < 0) != (b < 0))) return static_cast<T>(quotient - 1);
    return quotient;
  }
}

// C99 pow, special values included.
template <class T>
T power(T a, T b) {
  if constexpr (std::is_same_v<T, double>) {
    return static_cast<double>(std::pow(static_cast<long double>(a), static_cast<long double>(b)));
  } else {
    return narrow<T>(std::pow(widen(a), widen(b)));
  }
}

// IEEE 754-2019 maximum: NaN if either is NaN; maximum(+0, -0) = +0.
template <class T>
T maximum_of(T a, T b) {
  if constexpr (kIsFloat<T>) {
    const double x = widen(a);
    const double y = widen(b);
    if (std::isnan(x)) return a;
    if (std::isnan(y)) return b;
    if (x == y) return std::signbit(x) ? b : a;  // ±0 against ±0: prefer +0
    return x > y ? a : b;
  } else {
    return a > b ? a : b;
  }
}

// IEEE 754-2019 minimum: NaN if either is NaN; minimum(+0, -0) = -0.
template <class T>
T minimum_of(T a, T b) {
  if constexpr (kIsFloat<T>) {
    const double x = widen(a);
    const double y = widen(b);
    if (std::isnan(x)) return a;
    if (std::isnan(y)) return b;
    if (x == y) return std::signbit(x) ? a : b;  // ±0 against ±0: prefer -0
    return x < y ? a : b;
  } else {
    return a < b ? a : b;
  }
}

// Floats: C99 fmod, which is exact (the result is representable in T). Integers: a - div(a, b, trunc) · b in
// wrapping arithmetic, so fmod(a, 0) = a and fmod(INT_MIN, -1) = 0.
template <class T>
T fmod_of(T a, T b) {
  if constexpr (kIsFloat<T>) {
    return narrow<T>(std::fmod(widen(a), widen(b)));
  } else {
    return wrapping_sub(a, wrapping_mul(divide(a, b, Rounding::kTrunc), b));
  }
}

// Floats: r = fmod(a, b); a non-zero r whose sign differs from b's becomes r + b (one rounding); a zero r
// takes b's sign. Integers: a - div(a, b, floor) · b in wrapping arithmetic.
template <class T>
T remainder_of(T a, T b) {
  if constexpr (kIsFloat<T>) {
    const double r = std::fmod(widen(a), widen(b));
    const double divisor = widen(b);
    if (r == 0) return narrow<T>(std::copysign(0.0, divisor));
    if (std::signbit(r) != std::signbit(divisor)) return narrow<T>(r + divisor);
    return narrow<T>(r);
  } else {
    return wrapping_sub(a, wrapping_mul(divide(a, b, Rounding::kFloor), b));
  }
}

// ---- Comparisons ------------------------------------------------------------------------------------------

// IEEE 754 comparisons on the values: NaN compares false (unequal to everything, itself included) and
// +0 == -0. Bools and integers compare by value.
template <class T>
auto comparable(T x) {
  if constexpr (kIsFloat<T>) {
    return widen(x);
  } else {
    return x;
  }
}

}  // namespace keel::reference
