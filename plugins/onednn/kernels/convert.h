// The conversion rules of cast (cast.yaml), shared by cast, full and arange:
//   float -> float     round to nearest even, once; beyond the range is ±inf; NaN stays NaN
//   float -> integer   truncate toward zero; NaN is 0; beyond the range saturates
//   integer -> float   round to nearest even
//   integer -> integer two's-complement wrap
//   bool -> any        0 or 1;  any -> bool: x != 0 (NaN is true, -0 false)
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <utility>

#include "dtype.h"
#include "half.h"

namespace keel::onednn {

template <class T>
constexpr bool kIsHalf = std::is_same_v<T, Bf16> || std::is_same_v<T, F16>;

template <class To, class From>
To saturating_truncate(From x) {
  if (std::isnan(x)) return To{0};
  const long double truncated = std::trunc(static_cast<long double>(x));
  const long double limit = std::ldexp(1.0L, std::numeric_limits<To>::digits);  // 2^31 or 2^63
  if (truncated >= limit) return std::numeric_limits<To>::max();
  if (truncated < -limit) return std::numeric_limits<To>::min();
  return static_cast<To>(truncated);
}

template <class To, class From>
To convert(From x) {
  if constexpr (kIsHalf<From>) {
    return convert<To>(to_float(x));  // widening to float is exact
  } else if constexpr (std::is_same_v<To, From>) {
    return x;
  } else if constexpr (std::is_same_v<To, bool>) {
    return x != From{0};
  } else if constexpr (std::is_same_v<From, bool>) {
    if constexpr (kIsHalf<To>) return convert<To>(x ? 1.0f : 0.0f);
    else return x ? To{1} : To{0};
  } else if constexpr (std::is_same_v<To, Bf16>) {
    return bf16_from(static_cast<long double>(x));
  } else if constexpr (std::is_same_v<To, F16>) {
    return f16_from(static_cast<long double>(x));
  } else if constexpr (std::is_floating_point_v<From> && std::is_integral_v<To>) {
    return saturating_truncate<To>(x);
  } else {
    // float -> float and integer -> float: one rounding to nearest even (the hardware conversion);
    // integer -> integer keeps the low bits (C++20 defines the narrowing conversion as wrapping).
    return static_cast<To>(x);
  }
}

// The value to compute with: the 16-bit floats widened (exactly) to float, other types unchanged.
template <class T>
auto widen(T value) {
  if constexpr (kIsHalf<T>) return to_float(value);
  else return value;
}

// visit_all plus the 16-bit floats (as Bf16 / F16 storage types).
template <class F>
decltype(auto) visit_every(keel_dtype_t dtype, F&& f) {
  switch (dtype) {
    case KEEL_DTYPE_F16: return f(Tag<F16>{});
    case KEEL_DTYPE_BF16: return f(Tag<Bf16>{});
    default: return visit_all(dtype, std::forward<F>(f));
  }
}

// Every float dtype, for registrations whose loops run through visit_any_float.
inline constexpr std::array<keel_dtype_t, 4> kAnyFloatTypes = {KEEL_DTYPE_F32, KEEL_DTYPE_F64, KEEL_DTYPE_F16,
                                                               KEEL_DTYPE_BF16};

// visit_float plus the 16-bit floats (as Bf16 / F16 storage types).
template <class F>
decltype(auto) visit_any_float(keel_dtype_t dtype, F&& f) {
  switch (dtype) {
    case KEEL_DTYPE_F16: return f(Tag<F16>{});
    case KEEL_DTYPE_BF16: return f(Tag<Bf16>{});
    default: return visit_float(dtype, std::forward<F>(f));
  }
}

}  // namespace keel::onednn
