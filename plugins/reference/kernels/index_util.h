// Reading index tensors (i32 or i64) and checking indices against an axis, for the indexing operators
// (ir_spec/ops/indexing.yaml).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "view.h"

namespace keel::reference {

// The elements of an i32 or i64 tensor in row-major order, as int64.
std::vector<int64_t> gather_indices(const View& indices);

// An index accepted in [-d, d) as a position in [0, d), or nullopt when it is outside.
inline std::optional<int64_t> resolve_index(int64_t index, int64_t d) {
  if (index < -d || index >= d) return std::nullopt;
  return index < 0 ? index + d : index;
}

// Row-major index arithmetic over an arbitrary shape.
std::vector<int64_t> unravel_index(int64_t linear, const Shape& shape);
int64_t ravel_index(const std::vector<int64_t>& index, const Shape& shape);

}  // namespace keel::reference
