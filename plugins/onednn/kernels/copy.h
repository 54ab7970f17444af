// Strided copies between views of the same dtype, bit for bit (NaN payloads and -0 survive): the core of
// the data-movement operators, of packing operands for oneDNN, and of writing scratch results back.
#pragma once

#include "keel/keel_plugin.h"
#include "loop_plan.h"

namespace keel::onednn {

// Copies src into dst, which have the same dtype; src broadcasts to dst's shape.
void copy_tensor(const keel_tensor_desc_t& dst, const keel_tensor_desc_t& src);

// The same with a prepared plan (plan_loop(dst, {&src})) and raw element pointers.
void copy_planned(const LoopPlan& plan, size_t element_size, std::byte* dst, const std::byte* src);

// Sets every element of `dst` to all-zero bits (+0 for floats, 0 for integers, false).
void fill_zero_bits(const keel_tensor_desc_t& dst);

}  // namespace keel::onednn
