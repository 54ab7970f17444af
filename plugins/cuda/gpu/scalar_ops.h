// The per-element rules of the spec's operators, one functor per operator, templated on the element type.
// The kernels apply them element by element (elementwise.cu, reduce.cu); the CPU tests check them against
// the spec's special cases. Plain C++ usable in kernels and on the host (see portable.h).
//
// Numerics (ir_spec/ops/*.yaml):
// - f16 and bf16 are computed in f32 and rounded once. For + - * / that rounding is still the correctly
//   rounded result: f32 has more than 2p+2 significand bits for both formats, so rounding twice is innocuous.
// - f32 and f64 use the C math library of the side they run on. On the GPU that is the CUDA math library
//   built without fast-math: / and sqrt are correctly rounded, expf/logf/tanhf stay within 2 ulp and powf
//   within 4 ulp, inside the spec's bounds of 3, 3, 5 and 16 ulp.
// - Integers wrap (computed in unsigned arithmetic); integer division follows the spec's rules for 0 and -1.
// - maximum/minimum are IEEE 754-2019: NaN wins, +0 > -0. neg and abs flip and clear the sign bit.
#pragma once

#include <cmath>
#include <cstdint>
#include <type_traits>

#include "gpu/numeric.h"

namespace keel::cuda {

// ---- Type traits --------------------------------------------------------------------------------------------

template <class T>
inline constexpr bool kIsReducedFloat = std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>;
template <class T>
inline constexpr bool kIsFloat = kIsReducedFloat<T> || std::is_same_v<T, float> || std::is_same_v<T, double>;

// The type a T is computed in: f16 and bf16 in float, everything else in itself.
template <class T>
struct Arith {
  using type = T;
  KEEL_CUDA_HD static T up(T x) { return x; }
  KEEL_CUDA_HD static T down(T x) { return x; }
};
template <>
struct Arith<Half> {
  using type = float;
  KEEL_CUDA_HD static float up(Half x) { return half_to_float(x); }
  KEEL_CUDA_HD static Half down(float x) { return half_from_float(x); }
};
template <>
struct Arith<BFloat16> {
  using type = float;
  KEEL_CUDA_HD static float up(BFloat16 x) { return bfloat16_to_float(x); }
  KEEL_CUDA_HD static BFloat16 down(float x) { return bfloat16_from_float(x); }
};

// ---- Helpers ----------------------------------------------------------------------------------------------------

KEEL_CUDA_HD inline bool is_nan(float x) { return x != x; }
KEEL_CUDA_HD inline bool is_nan(double x) { return x != x; }
KEEL_CUDA_HD inline bool sign_bit(float x) { return (bits_of(x) >> 31) != 0; }
KEEL_CUDA_HD inline bool sign_bit(double x) { return (bits_of(x) >> 63) != 0; }

KEEL_CUDA_HD inline float flip_sign(float x) { return float_from_bits(bits_of(x) ^ 0x80000000u); }
KEEL_CUDA_HD inline double flip_sign(double x) { return double_from_bits(bits_of(x) ^ (uint64_t{1} << 63)); }
KEEL_CUDA_HD inline float clear_sign(float x) { return float_from_bits(bits_of(x) & 0x7fffffffu); }
KEEL_CUDA_HD inline double clear_sign(double x) { return double_from_bits(bits_of(x) & ~(uint64_t{1} << 63)); }

KEEL_CUDA_HD inline float math_exp(float x) { return ::expf(x); }
KEEL_CUDA_HD inline double math_exp(double x) { return ::exp(x); }
KEEL_CUDA_HD inline float math_log(float x) { return ::logf(x); }
KEEL_CUDA_HD inline double math_log(double x) { return ::log(x); }
KEEL_CUDA_HD inline float math_sqrt(float x) { return ::sqrtf(x); }
KEEL_CUDA_HD inline double math_sqrt(double x) { return ::sqrt(x); }
KEEL_CUDA_HD inline float math_tanh(float x) { return ::tanhf(x); }
KEEL_CUDA_HD inline double math_tanh(double x) { return ::tanh(x); }
KEEL_CUDA_HD inline float math_pow(float x, float y) { return ::powf(x, y); }
KEEL_CUDA_HD inline double math_pow(double x, double y) { return ::pow(x, y); }
KEEL_CUDA_HD inline float math_trunc(float x) { return ::truncf(x); }
KEEL_CUDA_HD inline double math_trunc(double x) { return ::trunc(x); }
KEEL_CUDA_HD inline float math_floor(float x) { return ::floorf(x); }
KEEL_CUDA_HD inline double math_floor(double x) { return ::floor(x); }

// Integer arithmetic modulo 2^bits.
template <class T>
KEEL_CUDA_HD inline T wrap_add(T a, T b) {
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(static_cast<U>(static_cast<U>(a) + static_cast<U>(b)));
}
template <class T>
KEEL_CUDA_HD inline T wrap_sub(T a, T b) {
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(static_cast<U>(static_cast<U>(a) - static_cast<U>(b)));
}
template <class T>
KEEL_CUDA_HD inline T wrap_mul(T a, T b) {
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(static_cast<U>(static_cast<U>(a) * static_cast<U>(b)));
}

// Applies a float function to T through its arithmetic type.
template <class T, class Fn>
KEEL_CUDA_HD inline T via_arith(T x, Fn fn) {
  return Arith<T>::down(fn(Arith<T>::up(x)));
}
template <class T, class Fn>
KEEL_CUDA_HD inline T via_arith(T a, T b, Fn fn) {
  return Arith<T>::down(fn(Arith<T>::up(a), Arith<T>::up(b)));
}

// IEEE 754-2019 maximum/minimum on a computed type: NaN if either is NaN, +0 above -0.
template <class C>
KEEL_CUDA_HD inline bool max_picks_first(C a, C b) {
  if (is_nan(a)) return true;
  if (is_nan(b)) return false;
  if (a == b) return !sign_bit(a) || sign_bit(b);  // equal: prefer +0
  return a > b;
}
template <class C>
KEEL_CUDA_HD inline bool min_picks_first(C a, C b) {
  if (is_nan(a)) return true;
  if (is_nan(b)) return false;
  if (a == b) return sign_bit(a) || !sign_bit(b);  // equal: prefer -0
  return a < b;
}

// ---- Unary --------------------------------------------------------------------------------------------------------

struct NegOp {
  template <class T>
  KEEL_CUDA_HD T operator()(T x) const {
    if constexpr (kIsReducedFloat<T>) {
      return T{static_cast<uint16_t>(x.bits ^ 0x8000u)};
    } else if constexpr (kIsFloat<T>) {
      return flip_sign(x);
    } else {
      return wrap_sub(T{0}, x);
    }
  }
};

struct AbsOp {
  template <class T>
  KEEL_CUDA_HD T operator()(T x) const {
    if constexpr (kIsReducedFloat<T>) {
      return T{static_cast<uint16_t>(x.bits & 0x7fffu)};
    } else if constexpr (kIsFloat<T>) {
      return clear_sign(x);
    } else {
      return x < 0 ? wrap_sub(T{0}, x) : x;
    }
  }
};

struct SignOp {
  template <class T>
  KEEL_CUDA_HD T operator()(T x) const {
    if constexpr (kIsFloat<T>) {
      return via_arith(x, [](auto v) -> decltype(v) {
        using C = decltype(v);
        if (is_nan(v)) return v;
        return v > C(0) ? C(1) : (v < C(0) ? C(-1) : C(0));
      });
    } else {
      return x > 0 ? T{1} : (x < 0 ? T{-1} : T{0});
    }
  }
};

struct ExpOp {
  template <class T>
  KEEL_CUDA_HD T operator()(T x) const {
    return via_arith(x, [](auto v) { return math_exp(v); });
  }
};

struct LogOp {
  template <class T>
  KEEL_CUDA_HD T operator()(T x) const {
    return via_arith(x, [](auto v) { return math_log(v); });
  }
};

struct SqrtOp {
  template <class T>
  KEEL_CUDA_HD T operator()(T x) const {
    return via_arith(x, [](auto v) { return math_sqrt(v); });
  }
};

struct TanhOp {
  template <class T>
  KEEL_CUDA_HD T operator()(T x) const {
    return via_arith(x, [](auto v) { return math_tanh(v); });
  }
};

// 1 / (1 + e^-x) in the form that never overflows: with t = e^-|x|, 1 / (1 + t) for x >= 0 and t / (1 + t)
// below. Tiny results of very negative x come out as e^x itself, subnormals included.
struct SigmoidOp {
  template <class T>
  KEEL_CUDA_HD T operator()(T x) const {
    return via_arith(x, [](auto v) -> decltype(v) {
      using C = decltype(v);
      const C t = math_exp(-clear_sign(v));
      return v >= C(0) ? C(1) / (C(1) + t) : t / (C(1) + t);
    });
  }
};

// x for x > 0, +0 otherwise (relu(-0) = +0); NaN stays NaN.
struct ReluOp {
  template <class T>
  KEEL_CUDA_HD T operator()(T x) const {
    if constexpr (kIsFloat<T>) {
      return via_arith(x, [](auto v) -> decltype(v) {
        using C = decltype(v);
        if (is_nan(v)) return v;
        return v > C(0) ? v : C(0);
      });
    } else {
      return x > 0 ? x : T{0};
    }
  }
};

// ---- Binary -------------------------------------------------------------------------------------------------------

struct AddOp {
  template <class T>
  KEEL_CUDA_HD T operator()(T a, T b) const {
    if constexpr (kIsFloat<T>) {
      return via_arith(a, b, [](auto x, auto y) { return x + y; });
    } else {
      return wrap_add(a, b);
    }
  }
};

struct SubOp {
  template <class T>
  KEEL_CUDA_HD T operator()(T a, T b) const {
    if constexpr (kIsFloat<T>) {
      return via_arith(a, b, [](auto x, auto y) { return x - y; });
    } else {
      return wrap_sub(a, b);
    }
  }
};

struct MulOp {
  template <class T>
  KEEL_CUDA_HD T operator()(T a, T b) const {
    if constexpr (kIsFloat<T>) {
      return via_arith(a, b, [](auto x, auto y) { return x * y; });
    } else {
      return wrap_mul(a, b);
    }
  }
};

// Values of keel_div_rounding_e (keel_ops.h), repeated here so kernels need no generated header.
enum DivRounding : uint32_t { kDivNone = 0, kDivTrunc = 1, kDivFloor = 2 };

struct DivOp {
  uint32_t rounding = kDivNone;

  template <class T>
  KEEL_CUDA_HD T operator()(T a, T b) const {
    if constexpr (kIsFloat<T>) {
      // The quotient is rounded to T first; trunc and floor then apply to that value (exact in T).
      const T quotient = via_arith(a, b, [](auto x, auto y) { return x / y; });
      if (rounding == kDivTrunc) return via_arith(quotient, [](auto q) { return math_trunc(q); });
      if (rounding == kDivFloor) return via_arith(quotient, [](auto q) { return math_floor(q); });
      return quotient;
    } else {
      if (b == 0) return T{0};
      if (b == T{-1}) return wrap_sub(T{0}, a);  // INT_MIN / -1 wraps to INT_MIN
      T quotient = static_cast<T>(a / b);          // truncates
      if (rounding == kDivFloor && a % b != 0 && ((a < 0) != (b < 0))) --quotient;
      return quotient;
    }
  }
};

struct PowOp {
  template <class T>
  KEEL_CUDA_HD T operator()(T a, T b) const {
    return via_arith(a, b, [](auto x, auto y) { return math_pow(x, y); });
  }
};

struct MaximumOp {
  template <class T>
  KEEL_CUDA_HD T operator()(T a, T b) const {
    if constexpr (kIsFloat<T>) {
      return max_picks_first(Arith<T>::up(a), Arith<T>::up(b)) ? a : b;
    } else {
      return a > b ? a : b;
    }
  }
};

struct MinimumOp {
  template <class T>
  KEEL_CUDA_HD T operator()(T a, T b) const {
    if constexpr (kIsFloat<T>) {
      return min_picks_first(Arith<T>::up(a), Arith<T>::up(b)) ? a : b;
    } else {
      return a < b ? a : b;
    }
  }
};

// ---- Comparisons (the result is a bool) -------------------------------------------------------------------------

// The value a comparison looks at: bools as their truth, reduced floats widened (exactly).
template <class T>
KEEL_CUDA_HD inline auto comparable(T x) {
  if constexpr (std::is_same_v<T, Bool>) {
    return x.value != 0;
  } else {
    return Arith<T>::up(x);
  }
}

#define KEEL_CUDA_COMPARE_OP(Name, expression)                 \
  struct Name {                                                \
    template <class T>                                         \
    KEEL_CUDA_HD bool operator()(T a, T b) const {             \
      const auto x = comparable(a);                            \
      const auto y = comparable(b);                            \
      return expression;                                       \
    }                                                          \
  };
KEEL_CUDA_COMPARE_OP(EqualOp, x == y)          // NaN is unequal to everything; +0 == -0
KEEL_CUDA_COMPARE_OP(NotEqualOp, x != y)
KEEL_CUDA_COMPARE_OP(LessOp, x < y)
KEEL_CUDA_COMPARE_OP(LessEqualOp, x <= y)
KEEL_CUDA_COMPARE_OP(GreaterOp, x > y)
KEEL_CUDA_COMPARE_OP(GreaterEqualOp, x >= y)
#undef KEEL_CUDA_COMPARE_OP

// ---- Reductions ---------------------------------------------------------------------------------------------------

// What a reduction accumulates in: f16/bf16 in f32, integers in themselves (wrapping), f32/f64 in themselves.
template <class T>
using Accumulator = typename Arith<T>::type;

struct SumCombine {
  template <class A>
  KEEL_CUDA_HD A operator()(A a, A b) const {
    if constexpr (std::is_floating_point_v<A>) {
      return a + b;
    } else {
      return wrap_add(a, b);
    }
  }
  template <class A>
  KEEL_CUDA_HD static A identity() {
    return A(0);
  }
};

struct MaxCombine {
  template <class A>
  KEEL_CUDA_HD A operator()(A a, A b) const {
    if constexpr (std::is_floating_point_v<A>) {
      return max_picks_first(a, b) ? a : b;
    } else {
      return a > b ? a : b;
    }
  }
  // Only ever combined with real elements (reducing an empty set is rejected by the spec), so the identity
  // merely has to lose against every value: -inf for floats, the minimum for integers.
  template <class A>
  KEEL_CUDA_HD static A identity() {
    if constexpr (std::is_same_v<A, float>) {
      return float_from_bits(0xff800000u);
    } else if constexpr (std::is_same_v<A, double>) {
      return double_from_bits(0xfff0000000000000ull);
    } else {
      return static_cast<A>(std::make_unsigned_t<A>(1) << (sizeof(A) * 8 - 1));
    }
  }
};

}  // namespace keel::cuda
