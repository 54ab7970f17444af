// How a scatter combines an update with its target (scatter_elements, scatter_nd): replace, add, or the
// IEEE 754-2019 maximum / minimum (NaN propagates, +0 above -0). 16-bit floats compute in f32 and round
// once; integers wrap; bool adds and takes the maximum as OR, the minimum as AND.
#pragma once

#include <cmath>
#include <cstdint>
#include <type_traits>

#include "convert.h"

namespace keel::onednn {

enum class Combine : uint32_t { kReplace = 0, kAdd = 1, kMax = 2, kMin = 3 };  // the spec's enum order

template <class V>
V ieee_max(V a, V b) {
  if constexpr (std::is_floating_point_v<V>) {
    if (std::isnan(a)) return a;
    if (std::isnan(b)) return b;
    if (a == b) return std::signbit(a) ? b : a;
  }
  return a < b ? b : a;
}

template <class V>
V ieee_min(V a, V b) {
  if constexpr (std::is_floating_point_v<V>) {
    if (std::isnan(a)) return a;
    if (std::isnan(b)) return b;
    if (a == b) return std::signbit(a) ? a : b;
  }
  return b < a ? b : a;
}

template <class T>
T combine(Combine how, T target, T update) {
  if constexpr (std::is_same_v<T, bool>) {
    switch (how) {
      case Combine::kReplace: return update;
      case Combine::kMin: return target && update;
      default: return target || update;
    }
  } else {
    using V = decltype(widen(target));
    const V a = widen(target);
    const V b = widen(update);
    switch (how) {
      case Combine::kReplace: return update;
      case Combine::kMax: return convert<T>(ieee_max(a, b));
      case Combine::kMin: return convert<T>(ieee_min(a, b));
      case Combine::kAdd: break;
    }
    if constexpr (std::is_integral_v<V>) {  // wraps modulo 2^bits
      using U = std::make_unsigned_t<V>;
      return static_cast<T>(static_cast<U>(static_cast<U>(a) + static_cast<U>(b)));
    } else {
      return convert<T>(a + b);
    }
  }
}

}  // namespace keel::onednn
