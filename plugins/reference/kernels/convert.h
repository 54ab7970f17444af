// The conversion rules of cast (ir_spec/ops/cast.yaml), also used by full and arange to turn their f64
// attribute values into the output dtype.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace keel::reference {

// float → integer: truncate toward zero, NaN becomes 0, values beyond the target's range saturate.
template <class To, class From>
To saturating_truncate(From x) {
  if (std::isnan(x)) return To{0};
  const double truncated = std::trunc(static_cast<double>(x));
  const double limit = std::ldexp(1.0, std::numeric_limits<To>::digits);  // 2^31 or 2^63
  if (truncated >= limit) return std::numeric_limits<To>::max();
  if (truncated < -limit) return std::numeric_limits<To>::min();
  return static_cast<To>(truncated);
}

// Converts one value between the element types bool, int32_t, int64_t, float and double.
template <class To, class From>
To convert(From x) {
  if constexpr (std::is_same_v<To, From>) {
    return x;
  } else if constexpr (std::is_same_v<To, bool>) {
    return x != From{0};  // NaN becomes true, -0 false
  } else if constexpr (std::is_same_v<From, bool>) {
    return x ? To{1} : To{0};
  } else if constexpr (std::is_floating_point_v<From> && std::is_integral_v<To>) {
    return saturating_truncate<To>(x);
  } else {
    // float → float and integer → float round to nearest, ties to even (the default rounding mode; one
    // rounding, never through an intermediate type). integer → integer keeps the low bits (C++20 defines
    // the narrowing conversion as two's-complement wrap).
    return static_cast<To>(x);
  }
}

}  // namespace keel::reference
