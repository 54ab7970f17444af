// The plan factories of every operator family (see plan.h). Each file registers nothing itself: the table
// in registry.cc maps spec operators to these.
#pragma once

#include "kernels/plan.h"
#include "kernels/view.h"

namespace keel::opencl {

// elementwise.cc: one factory per spec operator, all built on the generated elementwise kernels.
std::unique_ptr<Plan> plan_elementwise(Device& device, const keel_kernel_call_t& call);
// cast.cc
std::unique_ptr<Plan> plan_cast(Device& device, const keel_kernel_call_t& call);
// shape_ops.cc
std::unique_ptr<Plan> plan_reshape(Device& device, const keel_kernel_call_t& call);
std::unique_ptr<Plan> plan_permute(Device& device, const keel_kernel_call_t& call);
std::unique_ptr<Plan> plan_concat(Device& device, const keel_kernel_call_t& call);
std::unique_ptr<Plan> plan_slice(Device& device, const keel_kernel_call_t& call);
// creation.cc
std::unique_ptr<Plan> plan_full(Device& device, const keel_kernel_call_t& call);
std::unique_ptr<Plan> plan_arange(Device& device, const keel_kernel_call_t& call);
// A plan filling every element of view `y` of the output with the bit pattern `bits` (creation.cc).
std::unique_ptr<Plan> make_fill_plan(Device& device, const View& y, uint64_t bits);
// reduce.cc
std::unique_ptr<Plan> plan_reduce(Device& device, const keel_kernel_call_t& call);
// softmax.cc
std::unique_ptr<Plan> plan_softmax(Device& device, const keel_kernel_call_t& call);
// matmul.cc
std::unique_ptr<Plan> plan_matmul(Device& device, const keel_kernel_call_t& call);

}  // namespace keel::opencl
