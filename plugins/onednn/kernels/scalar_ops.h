// The per-element rules of the operator spec (ir_spec/ops/*.yaml) as functors for the plugin's loops.
// Floats follow IEEE 754 as the spec states; integers wrap modulo 2^bits (computed in the unsigned type,
// where wrapping is defined). f32 transcendentals are evaluated in f64 and rounded once, which keeps them
// within about half an ulp; oneDNN's own versions are used only where they were measured to meet the
// spec's bounds for every f32 input (see unary.cc).
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "dtype.h"

namespace keel::onednn::ops {

template <class T>
T wrap_add(T a, T b) {
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(static_cast<U>(a) + static_cast<U>(b));
}
template <class T>
T wrap_sub(T a, T b) {
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(static_cast<U>(a) - static_cast<U>(b));
}
template <class T>
T wrap_mul(T a, T b) {
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(static_cast<U>(a) * static_cast<U>(b));
}

// ---- unary ----------------------------------------------------------------------------------------------

struct Neg {  // floats flip the sign bit; neg(INT_MIN) = INT_MIN
  template <class T>
  T operator()(T x) const {
    if constexpr (kIsFloat<T>) return -x;
    else return wrap_sub(T{0}, x);
  }
};

struct Abs {  // floats clear the sign bit; abs(INT_MIN) = INT_MIN
  template <class T>
  T operator()(T x) const {
    if constexpr (kIsFloat<T>) return std::fabs(x);
    else return x < 0 ? wrap_sub(T{0}, x) : x;
  }
};

struct Sign {  // 1, -1, +0 for ±0, NaN for NaN
  template <class T>
  T operator()(T x) const {
    if constexpr (kIsFloat<T>) {
      if (x != x) return x;
    }
    return x > 0 ? T{1} : (x < 0 ? T{-1} : T{0});
  }
};

struct Relu {  // x for x > 0, else +0 (relu(-0) = +0); NaN stays NaN
  template <class T>
  T operator()(T x) const {
    if constexpr (kIsFloat<T>) {
      if (x != x) return x;
    }
    return x > 0 ? x : T{0};
  }
};

// f32 through f64, rounded once; f64 with the C library.
struct Exp {
  template <class T>
  T operator()(T x) const { return static_cast<T>(std::exp(static_cast<double>(x))); }
};
struct Log {
  template <class T>
  T operator()(T x) const { return static_cast<T>(std::log(static_cast<double>(x))); }
};
struct Sqrt {  // IEEE square root is correctly rounded in every precision
  template <class T>
  T operator()(T x) const { return std::sqrt(x); }
};
struct Tanh {
  template <class T>
  T operator()(T x) const { return static_cast<T>(std::tanh(static_cast<double>(x))); }
};
// 1 / (1 + e^-x); for x < 0 the equivalent e^x / (1 + e^x), so e^-x cannot overflow and tiny results keep
// their precision down to the subnormals. NaN falls through as NaN.
struct Sigmoid {
  template <class T>
  T operator()(T x) const {
    const double v = x;
    if (v >= 0) return static_cast<T>(1.0 / (1.0 + std::exp(-v)));
    const double e = std::exp(v);
    return static_cast<T>(e / (1.0 + e));
  }
};

struct Reciprocal {  // correctly rounded 1/x: ±0 -> ±inf, ±inf -> ±0
  template <class T>
  T operator()(T x) const { return T{1} / x; }
};
struct Rsqrt {  // f32 through f64 (rounded once); rsqrt(-0) = -inf as IEEE rSqrt
  template <class T>
  T operator()(T x) const { return static_cast<T>(1.0 / std::sqrt(static_cast<double>(x))); }
};
struct Sin {  // the C library's argument reduction is exact over the whole range
  template <class T>
  T operator()(T x) const { return static_cast<T>(std::sin(static_cast<double>(x))); }
};
struct Cos {
  template <class T>
  T operator()(T x) const { return static_cast<T>(std::cos(static_cast<double>(x))); }
};
struct Erf {
  template <class T>
  T operator()(T x) const { return static_cast<T>(std::erf(static_cast<double>(x))); }
};
struct Floor {  // exact; ±0, ±inf and NaN unchanged
  template <class T>
  T operator()(T x) const { return std::floor(x); }
};
struct Ceil {
  template <class T>
  T operator()(T x) const { return std::ceil(x); }
};
struct Round {  // half to even (the default rounding mode); a zero result keeps x's sign
  template <class T>
  T operator()(T x) const { return std::nearbyint(x); }
};
struct IsNan {
  template <class T>
  bool operator()(T x) const { return x != x; }
};
struct IsInf {
  bool positive = true;
  bool negative = true;
  template <class T>
  bool operator()(T x) const {
    return (positive && x == std::numeric_limits<T>::infinity()) || (negative && x == -std::numeric_limits<T>::infinity());
  }
};
struct LogicalNot {
  bool operator()(bool x) const { return !x; }
};

// ---- binary ---------------------------------------------------------------------------------------------

struct Add {
  template <class T>
  T operator()(T a, T b) const {
    if constexpr (kIsFloat<T>) return a + b;
    else return wrap_add(a, b);
  }
};
struct Sub {
  template <class T>
  T operator()(T a, T b) const {
    if constexpr (kIsFloat<T>) return a - b;
    else return wrap_sub(a, b);
  }
};
struct Mul {
  template <class T>
  T operator()(T a, T b) const {
    if constexpr (kIsFloat<T>) return a * b;
    else return wrap_mul(a, b);
  }
};

enum class Rounding : uint32_t { kNone = 0, kTrunc = 1, kFloor = 2 };  // the spec's enum order

// Floats: the correctly rounded quotient, then trunc or floor. Integers: exact division rounded as asked;
// b = 0 gives 0 and INT_MIN / -1 gives INT_MIN.
struct Div {
  Rounding rounding = Rounding::kNone;
  template <class T>
  T operator()(T a, T b) const {
    if constexpr (kIsFloat<T>) {
      const T q = a / b;
      if (rounding == Rounding::kTrunc) return std::trunc(q);
      if (rounding == Rounding::kFloor) return std::floor(q);
      return q;
    } else {
      if (b == 0) return T{0};
      if (a == std::numeric_limits<T>::min() && b == -1) return a;
      const T q = a / b;
      if (rounding == Rounding::kFloor && a % b != 0 && ((a < 0) != (b < 0))) return q - 1;
      return q;
    }
  }
};

struct Pow {  // C99 pow; f32 through f64 and rounded once
  template <class T>
  T operator()(T a, T b) const { return static_cast<T>(std::pow(static_cast<double>(a), static_cast<double>(b))); }
};

// Floats: C99 fmod (exact). Integers: a - trunc_div(a, b) · b in wrapping arithmetic, so fmod(a, 0) = a and
// fmod(INT_MIN, -1) = 0.
struct Fmod {
  template <class T>
  T operator()(T a, T b) const {
    if constexpr (kIsFloat<T>) {
      return std::fmod(a, b);
    } else {
      return wrap_sub(a, wrap_mul(Div{Rounding::kTrunc}(a, b), b));
    }
  }
};
// Floats: r = fmod(a, b); a non-zero r with a sign different from b's becomes r + b (rounded); a zero r takes
// b's sign. Integers: a - floor_div(a, b) · b in wrapping arithmetic.
struct Remainder {
  template <class T>
  T operator()(T a, T b) const {
    if constexpr (kIsFloat<T>) {
      const T r = std::fmod(a, b);
      if (r == 0) return std::copysign(T{0}, b);
      if (std::signbit(r) != std::signbit(b)) return r + b;
      return r;
    } else {
      return wrap_sub(a, wrap_mul(Div{Rounding::kFloor}(a, b), b));
    }
  }
};

struct LogicalAnd {
  bool operator()(bool a, bool b) const { return a && b; }
};
struct LogicalOr {
  bool operator()(bool a, bool b) const { return a || b; }
};
struct LogicalXor {
  bool operator()(bool a, bool b) const { return a != b; }
};

// IEEE 754-2019 maximum / minimum: NaN if either is NaN; +0 > -0.
struct Maximum {
  template <class T>
  T operator()(T a, T b) const {
    if constexpr (kIsFloat<T>) {
      if (a != a) return a;
      if (b != b) return b;
      if (a == b) return std::signbit(a) ? b : a;
    }
    return a > b ? a : b;
  }
};
struct Minimum {
  template <class T>
  T operator()(T a, T b) const {
    if constexpr (kIsFloat<T>) {
      if (a != a) return a;
      if (b != b) return b;
      if (a == b) return std::signbit(a) ? a : b;
    }
    return a < b ? a : b;
  }
};

// ---- comparisons (bool results; NaN compares false except in not_equal) -----------------------------------

struct Equal {
  template <class T>
  bool operator()(T a, T b) const { return a == b; }
};
struct NotEqual {
  template <class T>
  bool operator()(T a, T b) const { return !(a == b); }
};
struct Less {
  template <class T>
  bool operator()(T a, T b) const { return a < b; }
};
struct LessEqual {
  template <class T>
  bool operator()(T a, T b) const { return a <= b; }
};
struct Greater {
  template <class T>
  bool operator()(T a, T b) const { return a > b; }
};
struct GreaterEqual {
  template <class T>
  bool operator()(T a, T b) const { return a >= b; }
};

struct Where {  // values are copied, so every bit survives
  template <class T>
  T operator()(bool c, T a, T b) const { return c ? a : b; }
};

}  // namespace keel::onednn::ops
