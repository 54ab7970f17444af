// The per-element rules of the operator spec (ir_spec/ops/*.yaml), one small function each, written for
// readability rather than speed. T is int32_t, int64_t, float or double.
//
// Transcendentals of f32 are evaluated in f64 and rounded once to f32, which keeps them within a fraction of
// an ulp of the exact result (well inside the spec's ulp bounds). f64 uses the C library directly.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace keel::reference {

template <class T>
constexpr bool kIsFloat = std::is_floating_point_v<T>;

// ---- Integers wrap modulo 2^bits: computed in the unsigned type, where wrapping is defined -------------------

template <class T>
T wrapping_add(T a, T b) {
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(static_cast<U>(a) + static_cast<U>(b));
}

template <class T>
T wrapping_sub(T a, T b) {
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(static_cast<U>(a) - static_cast<U>(b));
}

template <class T>
T wrapping_mul(T a, T b) {
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(static_cast<U>(a) * static_cast<U>(b));
}

// ---- Unary ------------------------------------------------------------------------------------------------

// Floats flip the sign bit (-(+0) = -0); integers wrap (neg(INT_MIN) = INT_MIN).
template <class T>
T negate(T x) {
  if constexpr (kIsFloat<T>) {
    return -x;
  } else {
    return wrapping_sub(T{0}, x);
  }
}

// Floats clear the sign bit (abs(-0) = +0); integers wrap (abs(INT_MIN) = INT_MIN).
template <class T>
T absolute(T x) {
  if constexpr (kIsFloat<T>) {
    return std::fabs(x);
  } else {
    return x < 0 ? negate(x) : x;
  }
}

// 1, -1, or +0 for ±0; NaN stays NaN.
template <class T>
T sign_of(T x) {
  if constexpr (kIsFloat<T>) {
    if (std::isnan(x)) return x;
  }
  if (x > 0) return T{1};
  if (x < 0) return T{-1};
  return T{0};
}

// x for x > 0, else +0 (so relu(-0) = +0); NaN stays NaN.
template <class T>
T relu_of(T x) {
  if constexpr (kIsFloat<T>) {
    if (std::isnan(x)) return x;
  }
  return x > 0 ? x : T{0};
}

template <class T>
T exp_of(T x) {
  return static_cast<T>(std::exp(static_cast<double>(x)));
}

template <class T>
T log_of(T x) {
  return static_cast<T>(std::log(static_cast<double>(x)));
}

template <class T>
T sqrt_of(T x) {
  return static_cast<T>(std::sqrt(static_cast<double>(x)));
}

template <class T>
T tanh_of(T x) {
  return static_cast<T>(std::tanh(static_cast<double>(x)));
}

// 1 / (1 + e^-x). For x < 0 the equivalent e^x / (1 + e^x) is used, so that e^-x cannot overflow and tiny
// results (down to the subnormals) keep their precision. NaN falls through to NaN.
template <class T>
T sigmoid_of(T x) {
  const double v = x;
  if (v >= 0) return static_cast<T>(1.0 / (1.0 + std::exp(-v)));
  const double e = std::exp(v);
  return static_cast<T>(e / (1.0 + e));
}

// ---- Binary -----------------------------------------------------------------------------------------------

// Floats: IEEE 754, correctly rounded in T. Integers wrap.
template <class T>
T add_of(T a, T b) {
  if constexpr (kIsFloat<T>) {
    return a + b;
  } else {
    return wrapping_add(a, b);
  }
}

template <class T>
T sub_of(T a, T b) {
  if constexpr (kIsFloat<T>) {
    return a - b;
  } else {
    return wrapping_sub(a, b);
  }
}

template <class T>
T mul_of(T a, T b) {
  if constexpr (kIsFloat<T>) {
    return a * b;
  } else {
    return wrapping_mul(a, b);
  }
}

enum class Rounding { kNone, kTrunc, kFloor };

// Floats: the correctly rounded quotient, then trunc or floor applied to it. Integers: exact integer
// division rounded as asked (kNone is not used for integers), with b = 0 giving 0 and INT_MIN / -1 giving
// INT_MIN.
template <class T>
T divide(T a, T b, Rounding rounding) {
  if constexpr (kIsFloat<T>) {
    const T quotient = a / b;
    if (rounding == Rounding::kTrunc) return std::trunc(quotient);
    if (rounding == Rounding::kFloor) return std::floor(quotient);
    return quotient;
  } else {
    if (b == 0) return T{0};
    if (a == std::numeric_limits<T>::min() && b == -1) return a;
    const T quotient = a / b;  // C++ truncates toward zero
    const bool inexact = a % b != 0;
    if (rounding == Rounding::kFloor && inexact && ((a < 0) != (b < 0))) return quotient - 1;
    return quotient;
  }
}

// C99 pow, special values included; f32 through f64 and rounded once.
template <class T>
T power(T a, T b) {
  return static_cast<T>(std::pow(static_cast<double>(a), static_cast<double>(b)));
}

// IEEE 754-2019 maximum: NaN if either is NaN; maximum(+0, -0) = +0.
template <class T>
T maximum_of(T a, T b) {
  if constexpr (kIsFloat<T>) {
    if (std::isnan(a)) return a;
    if (std::isnan(b)) return b;
    if (a == b) return std::signbit(a) ? b : a;  // ±0 against ±0: prefer +0
  }
  return a > b ? a : b;
}

// IEEE 754-2019 minimum: NaN if either is NaN; minimum(+0, -0) = -0.
template <class T>
T minimum_of(T a, T b) {
  if constexpr (kIsFloat<T>) {
    if (std::isnan(a)) return a;
    if (std::isnan(b)) return b;
    if (a == b) return std::signbit(a) ? a : b;  // ±0 against ±0: prefer -0
  }
  return a < b ? a : b;
}

}  // namespace keel::reference
