// The conversion rules of cast (ir_spec/ops/cast.yaml), also used wherever the spec converts a value "with
// the rules of cast" (full, arange, pad's value, attribute scalars).
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "float16.h"

namespace keel::reference {

// float → integer: truncate toward zero, NaN becomes 0, values beyond the target's range saturate.
template <class To>
To saturating_truncate(double x) {
  if (std::isnan(x)) return To{0};
  const double truncated = std::trunc(x);
  const double above = std::ldexp(1.0, std::numeric_limits<To>::digits);  // 2^31, 2^63, 2^8 for u8, ...
  const double lowest = std::is_signed_v<To> ? -above : 0.0;
  if (truncated >= above) return std::numeric_limits<To>::max();
  if (truncated < lowest) return std::numeric_limits<To>::min();
  return static_cast<To>(truncated);
}

// An integer rounded once to a float type (round to nearest, ties to even).
template <class To, class From>
To float_from_integer(From x) {
  if constexpr (std::is_same_v<To, Float16> || std::is_same_v<To, BFloat16>) {
    // Through the exact magnitude, not through double: an i64 rounded to double first could be rounded again.
    const bool negative = x < 0;
    const uint64_t magnitude =
        negative ? uint64_t{0} - static_cast<uint64_t>(x) : static_cast<uint64_t>(x);  // INT64_MIN included
    if constexpr (std::is_same_v<To, Float16>) {
      return round_to_float16(negative, magnitude, 0);
    } else {
      return round_to_bfloat16(negative, magnitude, 0);
    }
  } else {
    return static_cast<To>(x);  // the hardware conversion: one rounding, to nearest even
  }
}

// Converts one value between any two element types.
template <class To, class From>
To convert(From x) {
  if constexpr (std::is_same_v<To, From>) {
    return x;
  } else if constexpr (std::is_same_v<To, bool>) {
    if constexpr (kIsFloat<From>) {
      return widen(x) != 0.0;  // NaN becomes true, -0 false
    } else {
      return x != 0;
    }
  } else if constexpr (std::is_same_v<From, bool>) {
    if constexpr (kIsFloat<To>) {
      return narrow<To>(x ? 1.0 : 0.0);
    } else {
      return x ? To{1} : To{0};
    }
  } else if constexpr (kIsFloat<From> && kIsFloat<To>) {
    return narrow<To>(widen(x));  // widen is exact, so this is one rounding
  } else if constexpr (kIsFloat<From>) {
    return saturating_truncate<To>(widen(x));
  } else if constexpr (kIsFloat<To>) {
    return float_from_integer<To>(x);
  } else {
    // integer → integer keeps the low bits (C++20 defines the narrowing conversion as two's-complement wrap).
    return static_cast<To>(x);
  }
}

// An f64 attribute value converted to T with the rules of cast.
template <class T>
T from_attribute(double value) {
  return convert<T>(value);
}

}  // namespace keel::reference
