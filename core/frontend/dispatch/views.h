// The view operators as strided views of their input (no kernel, no copy).
#pragma once

#include <cstdint>

#include "dispatch/infer.h"
#include "keel/tensor.hpp"

namespace keel::detail {

// reshape, flatten, permute, expand, squeeze, unsqueeze or slice.
bool is_view_op(int32_t op);
// Writes the view of `x` that operator `op` with `attrs` produces (shape `meta`, already validated) into `out`;
// false when the strides do not allow a view (reshape or flatten of a non-contiguous tensor).
bool make_view(int32_t op, const void* attrs, const Tensor& x, const OutputMeta& meta, Tensor& out);

}  // namespace keel::detail
