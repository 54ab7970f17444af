// Axis arithmetic shared by the predicates and the shape rules.
#pragma once

#include <cstdint>

namespace keel::spec {

// True when `axis` lies in [-rank, rank).
inline bool axis_in_range(int64_t axis, uint32_t rank) {
  return axis >= -static_cast<int64_t>(rank) && axis < static_cast<int64_t>(rank);
}

// `axis` counted from the front; only meaningful when axis_in_range(axis, rank).
inline uint32_t normalize_axis(int64_t axis, uint32_t rank) {
  return static_cast<uint32_t>(axis < 0 ? axis + rank : axis);
}

}  // namespace keel::spec
