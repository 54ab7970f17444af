// Per-element rules of the unary math functions, activations, remainders, logical operators and clamp
// (ir_spec/ops/elementwise_unary.yaml, activations.yaml, elementwise_binary.yaml, logical.yaml,
// selection.yaml). Same conventions as scalar_ops.h: f16 and bf16 compute in f32 and round once; f32 and
// f64 use the CUDA math library without fast-math (sinf/cosf/erff within 2 ulp over the whole range, tanf
// within 4, against the spec's 4, 4, 4 and 8); attribute constants are converted to the element's dtype first,
// as the spec's scalar(c, x) does.
#pragma once

#include "gpu/scalar_ops.h"

namespace keel::cuda {

KEEL_CUDA_HD inline float math_sin(float x) { return ::sinf(x); }
KEEL_CUDA_HD inline double math_sin(double x) { return ::sin(x); }
KEEL_CUDA_HD inline float math_cos(float x) { return ::cosf(x); }
KEEL_CUDA_HD inline double math_cos(double x) { return ::cos(x); }
KEEL_CUDA_HD inline float math_tan(float x) { return ::tanf(x); }
KEEL_CUDA_HD inline double math_tan(double x) { return ::tan(x); }
KEEL_CUDA_HD inline float math_erf(float x) { return ::erff(x); }
KEEL_CUDA_HD inline double math_erf(double x) { return ::erf(x); }
KEEL_CUDA_HD inline float math_ceil(float x) { return ::ceilf(x); }
KEEL_CUDA_HD inline double math_ceil(double x) { return ::ceil(x); }
KEEL_CUDA_HD inline float math_rint(float x) { return ::rintf(x); }  // ties to even
KEEL_CUDA_HD inline double math_rint(double x) { return ::rint(x); }
KEEL_CUDA_HD inline float math_log1p(float x) { return ::log1pf(x); }
KEEL_CUDA_HD inline double math_log1p(double x) { return ::log1p(x); }
KEEL_CUDA_HD inline float math_fmod(float x, float y) { return ::fmodf(x, y); }
KEEL_CUDA_HD inline double math_fmod(double x, double y) { return ::fmod(x, y); }
KEEL_CUDA_HD inline float math_copysign(float x, float y) { return ::copysignf(x, y); }
KEEL_CUDA_HD inline double math_copysign(double x, double y) { return ::copysign(x, y); }

// A constant of the spec's formulas as the element's dtype has it, in the type the element is computed in.
template <class T>
KEEL_CUDA_HD inline typename Arith<T>::type constant(double value) {
  return Arith<T>::up(convert<T>(value));
}

// Clamps to [lo, hi] with IEEE 754-2019 maximum/minimum (NaN anywhere gives NaN).
template <class C>
KEEL_CUDA_HD inline C clamp_ieee(C x, C lo, C hi) {
  const C raised = max_picks_first(x, lo) ? x : lo;
  return min_picks_first(raised, hi) ? raised : hi;
}

// ---- Unary math ------------------------------------------------------------------------------------------------

#define KEEL_CUDA_FLOAT_UNARY(Name, expression)                    \
  struct Name {                                                    \
    template <class T>                                             \
    KEEL_CUDA_HD T operator()(T x) const {                         \
      return via_arith(x, [](auto v) -> decltype(v) {              \
        using C = decltype(v);                                     \
        (void)sizeof(C);                                           \
        return expression;                                         \
      });                                                          \
    }                                                              \
  };
KEEL_CUDA_FLOAT_UNARY(ReciprocalOp, C(1) / v)
KEEL_CUDA_FLOAT_UNARY(RsqrtOp, C(1) / math_sqrt(v))  // rsqrt(-0) = 1 / -0 = -inf, as IEEE rSqrt
KEEL_CUDA_FLOAT_UNARY(SinOp, math_sin(v))
KEEL_CUDA_FLOAT_UNARY(CosOp, math_cos(v))
KEEL_CUDA_FLOAT_UNARY(TanOp, math_tan(v))
KEEL_CUDA_FLOAT_UNARY(ErfOp, math_erf(v))
KEEL_CUDA_FLOAT_UNARY(FloorOp, math_floor(v))
KEEL_CUDA_FLOAT_UNARY(CeilOp, math_ceil(v))
KEEL_CUDA_FLOAT_UNARY(RoundOp, math_rint(v))
// x · sigmoid(x): silu(-inf) = -inf · 0 = NaN, as the formula gives. f32 goes through f64: for x below about
// -87, sigmoid(x) underflows in f32 while x · sigmoid(x) is still a representable subnormal.
struct SiluOp {
  template <class T>
  KEEL_CUDA_HD T operator()(T x) const {
    if constexpr (std::is_same_v<T, float>) {
      const auto wide = static_cast<double>(x);
      return static_cast<float>(wide * SigmoidOp{}(wide));
    } else {
      return via_arith(x, [](auto v) { return v * SigmoidOp{}(v); });
    }
  }
};
// max(x, 0) + log(1 + e^-|x|), with log1p for the small terms.
KEEL_CUDA_FLOAT_UNARY(SoftplusOp, (v > C(0) ? v : C(0)) + math_log1p(math_exp(-clear_sign(v))))
KEEL_CUDA_FLOAT_UNARY(SoftsignOp, v / (C(1) + clear_sign(v)))
// x · clamp(x / 6 + 0.5, 0, 1).
KEEL_CUDA_FLOAT_UNARY(HardswishOp, v * clamp_ieee(v / C(6) + C(0.5), C(0), C(1)))
#undef KEEL_CUDA_FLOAT_UNARY

// ---- Activations with attributes (converted to the element's dtype) --------------------------------------------------

// x for x >= 0 (so -0 stays -0), x · alpha below.
template <class T>
struct LeakyReluOp {
  typename Arith<T>::type alpha;
  explicit LeakyReluOp(double a) : alpha(constant<T>(a)) {}
  KEEL_CUDA_HD T operator()(T x) const {
    const auto v = Arith<T>::up(x);
    return Arith<T>::down(v >= decltype(v)(0) ? v : v * alpha);
  }
};

// gamma · (x for x > 0, alpha · (e^(x / divisor) - 1) otherwise): elu (divisor 1, gamma 1), celu (divisor
// alpha), selu.
template <class T>
struct ExponentialLinearOp {
  typename Arith<T>::type alpha, gamma, divisor;
  bool scaled, divided;
  ExponentialLinearOp(double a, double g, bool scale, bool divide)
      : alpha(constant<T>(a)), gamma(constant<T>(g)), divisor(constant<T>(a)), scaled(scale), divided(divide) {}
  KEEL_CUDA_HD T operator()(T x) const {
    using C = typename Arith<T>::type;
    const C v = Arith<T>::up(x);
    C y = v;
    if (!(v > C(0)) && !is_nan(v)) y = alpha * (math_exp(divided ? v / divisor : v) - C(1));
    return Arith<T>::down(scaled ? gamma * y : y);
  }
};

// 0.5 · x · (1 + erf(x / √2)), or with the tanh approximation, evaluated as written.
template <class T>
struct GeluOp {
  using C = typename Arith<T>::type;
  bool tanh_form;
  C half = constant<T>(0.5);
  C inverse_sqrt2 = constant<T>(0.7071067811865476);
  C sqrt_2_over_pi = constant<T>(0.7978845608028654);
  C cubic = constant<T>(0.044715);
  explicit GeluOp(bool tanh_approximation) : tanh_form(tanh_approximation) {}
  KEEL_CUDA_HD T operator()(T x) const {
    const C v = Arith<T>::up(x);
    const C h = half * v;
    if (tanh_form) return Arith<T>::down(h * (C(1) + math_tanh(sqrt_2_over_pi * (v + cubic * (v * (v * v))))));
    return Arith<T>::down(h * (C(1) + math_erf(v * inverse_sqrt2)));
  }
};

// clamp(alpha · x + beta, 0, 1), multiplied then added (not fused).
template <class T>
struct HardsigmoidOp {
  typename Arith<T>::type alpha, beta;
  HardsigmoidOp(double a, double b) : alpha(constant<T>(a)), beta(constant<T>(b)) {}
  KEEL_CUDA_HD T operator()(T x) const {
    using C = typename Arith<T>::type;
    return Arith<T>::down(clamp_ieee(Arith<T>::up(x) * alpha + beta, C(0), C(1)));
  }
};

// ---- Classification (the result is a bool) ------------------------------------------------------------------------

struct IsNanOp {
  template <class T>
  KEEL_CUDA_HD bool operator()(T x) const {
    return is_nan(Arith<T>::up(x));
  }
};

struct IsInfOp {
  bool positive = true;
  bool negative = true;
  template <class T>
  KEEL_CUDA_HD bool operator()(T x) const {
    const auto v = Arith<T>::up(x);
    const auto infinity = static_cast<decltype(v)>(float_from_bits(0x7f800000u));
    return (positive && v == infinity) || (negative && v == -infinity);
  }
};

// ---- Binary -------------------------------------------------------------------------------------------------------

// Floats: C99 fmod (exact). Integers: a - trunc(a / b) · b with div's rules, so fmod(a, 0) = a and
// fmod(INT_MIN, -1) = 0.
struct FmodOp {
  template <class T>
  KEEL_CUDA_HD T operator()(T a, T b) const {
    if constexpr (kIsFloat<T>) {
      return via_arith(a, b, [](auto x, auto y) { return math_fmod(x, y); });
    } else {
      if (b == 0) return a;
      if (b == T{-1}) return T{0};
      return static_cast<T>(a % b);
    }
  }
};

// The remainder with the divisor's sign (Python's %): fmod, then + b when the signs differ; a zero result
// takes b's sign. Integers: a - floor(a / b) · b with div's rules.
struct RemainderOp {
  template <class T>
  KEEL_CUDA_HD T operator()(T a, T b) const {
    if constexpr (kIsFloat<T>) {
      return via_arith(a, b, [](auto x, auto y) -> decltype(x) {
        using C = decltype(x);
        const C r = math_fmod(x, y);
        if (r == C(0)) return math_copysign(C(0), y);
        if ((r < C(0)) != (y < C(0))) return r + y;
        return r;
      });
    } else {
      if (b == 0) return a;
      if (b == T{-1}) return T{0};
      const T r = static_cast<T>(a % b);
      return r != 0 && ((r < 0) != (b < 0)) ? static_cast<T>(r + b) : r;
    }
  }
};

// x for x >= 0, x · slope below (correctly rounded).
struct PreluOp {
  template <class T>
  KEEL_CUDA_HD T operator()(T x, T slope) const {
    return via_arith(x, slope, [](auto v, auto s) { return v >= decltype(v)(0) ? v : v * s; });
  }
};

#define KEEL_CUDA_LOGICAL_OP(Name, expression)            \
  struct Name {                                           \
    KEEL_CUDA_HD Bool operator()(Bool a, Bool b) const {  \
      const bool x = a.value != 0, y = b.value != 0;      \
      return Bool{static_cast<uint8_t>((expression) ? 1 : 0)}; \
    }                                                     \
  };
KEEL_CUDA_LOGICAL_OP(LogicalAndOp, x && y)
KEEL_CUDA_LOGICAL_OP(LogicalOrOp, x || y)
KEEL_CUDA_LOGICAL_OP(LogicalXorOp, x != y)
#undef KEEL_CUDA_LOGICAL_OP

struct LogicalNotOp {
  KEEL_CUDA_HD Bool operator()(Bool x) const { return Bool{static_cast<uint8_t>(x.value == 0 ? 1 : 0)}; }
};

// minimum(maximum(x, lo), hi): IEEE 754-2019, so lo > hi gives hi and NaN anywhere gives NaN.
struct ClampOp {
  template <class T>
  KEEL_CUDA_HD T operator()(T x, T lo, T hi) const {
    return MinimumOp{}(MaximumOp{}(x, lo), hi);
  }
};

// ---- Reductions ---------------------------------------------------------------------------------------------------

struct MinCombine {
  template <class A>
  KEEL_CUDA_HD A operator()(A a, A b) const {
    if constexpr (std::is_floating_point_v<A>) {
      return min_picks_first(a, b) ? a : b;
    } else {
      return a < b ? a : b;
    }
  }
  // Loses against every value: +inf for floats, the maximum for integers.
  template <class A>
  KEEL_CUDA_HD static A identity() {
    if constexpr (std::is_same_v<A, float>) {
      return float_from_bits(0x7f800000u);
    } else if constexpr (std::is_same_v<A, double>) {
      return double_from_bits(0x7ff0000000000000ull);
    } else {
      return static_cast<A>(~(std::make_unsigned_t<A>(1) << (sizeof(A) * 8 - 1)));
    }
  }
};

struct ProdCombine {
  template <class A>
  KEEL_CUDA_HD A operator()(A a, A b) const {
    if constexpr (std::is_floating_point_v<A>) {
      return a * b;
    } else {
      return wrap_mul(a, b);
    }
  }
  template <class A>
  KEEL_CUDA_HD static A identity() {
    return A(1);
  }
};

// argmax/argmin: does `a` beat `b`? NaN beats everything (the first NaN is the answer either way); -0 and
// +0 are equal; equal values leave the choice to the lower index.
template <bool kMax, class C>
KEEL_CUDA_HD inline bool arg_beats(C a, C b) {
  if constexpr (std::is_floating_point_v<C>) {
    if (is_nan(a)) return !is_nan(b);
    if (is_nan(b)) return false;
  }
  return kMax ? a > b : a < b;
}

}  // namespace keel::cuda
