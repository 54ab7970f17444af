// The plan factories of every operator family (see plan.h). Each file registers nothing itself: the table
// in registry.cc maps spec operators to these.
#pragma once

#include <vector>

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
std::unique_ptr<Plan> plan_copy(Device& device, const keel_kernel_call_t& call);
// creation.cc
std::unique_ptr<Plan> plan_full(Device& device, const keel_kernel_call_t& call);
std::unique_ptr<Plan> plan_arange(Device& device, const keel_kernel_call_t& call);
// A plan filling every element of view `y` of the output with the bit pattern `bits` (creation.cc).
std::unique_ptr<Plan> make_fill_plan(Device& device, const View& y, uint64_t bits);
// A plan writing host values `bytes` (y.count() elements, row-major) into view `y` of the output (creation.cc).
std::unique_ptr<Plan> make_staged_plan(Device& device, const View& y, std::vector<unsigned char> bytes);
// `value` converted from f64 to `dtype` with the rules of cast, as the element's bit pattern (creation.cc).
uint64_t cast_bits(double value, keel_dtype_t dtype);
// gather.cc: gather, gather_elements, gather_nd and one_hot
std::unique_ptr<Plan> plan_gather(Device& device, const keel_kernel_call_t& call);
std::unique_ptr<Plan> plan_gather_nd(Device& device, const keel_kernel_call_t& call);
std::unique_ptr<Plan> plan_one_hot(Device& device, const keel_kernel_call_t& call);
// pad.cc
std::unique_ptr<Plan> plan_pad(Device& device, const keel_kernel_call_t& call);
// pool.cc: max_pool, avg_pool and avg_pool_backward
std::unique_ptr<Plan> plan_pool(Device& device, const keel_kernel_call_t& call);
std::unique_ptr<Plan> plan_avg_pool_backward(Device& device, const keel_kernel_call_t& call);
// conv.cc: conv, conv_transpose and conv_backward_weight
std::unique_ptr<Plan> plan_conv(Device& device, const keel_kernel_call_t& call);
// scan.cc: cumsum and nonzero
std::unique_ptr<Plan> plan_cumsum(Device& device, const keel_kernel_call_t& call);
std::unique_ptr<Plan> plan_nonzero(Device& device, const keel_kernel_call_t& call);
// embedding.cc
std::unique_ptr<Plan> plan_embedding_backward(Device& device, const keel_kernel_call_t& call);
// topk.cc
std::unique_ptr<Plan> plan_topk(Device& device, const keel_kernel_call_t& call);
// scatter.cc
std::unique_ptr<Plan> plan_scatter_elements(Device& device, const keel_kernel_call_t& call);
std::unique_ptr<Plan> plan_scatter_nd(Device& device, const keel_kernel_call_t& call);
// random.cc
std::unique_ptr<Plan> plan_rng_uniform(Device& device, const keel_kernel_call_t& call);
std::unique_ptr<Plan> plan_rng_normal(Device& device, const keel_kernel_call_t& call);
std::unique_ptr<Plan> plan_bernoulli(Device& device, const keel_kernel_call_t& call);
std::unique_ptr<Plan> plan_dropout(Device& device, const keel_kernel_call_t& call);
// resize.cc
std::unique_ptr<Plan> plan_resize(Device& device, const keel_kernel_call_t& call);
// layout_ops.cc
std::unique_ptr<Plan> plan_flip(Device& device, const keel_kernel_call_t& call);
std::unique_ptr<Plan> plan_expand(Device& device, const keel_kernel_call_t& call);
std::unique_ptr<Plan> plan_squeeze(Device& device, const keel_kernel_call_t& call);
std::unique_ptr<Plan> plan_unsqueeze(Device& device, const keel_kernel_call_t& call);
std::unique_ptr<Plan> plan_tile(Device& device, const keel_kernel_call_t& call);
std::unique_ptr<Plan> plan_split(Device& device, const keel_kernel_call_t& call);
std::unique_ptr<Plan> plan_trilu(Device& device, const keel_kernel_call_t& call);
std::unique_ptr<Plan> plan_shape(Device& device, const keel_kernel_call_t& call);
// reduce.cc
std::unique_ptr<Plan> plan_reduce(Device& device, const keel_kernel_call_t& call);
// arg_reduce.cc: argmax and argmin
std::unique_ptr<Plan> plan_arg_reduce(Device& device, const keel_kernel_call_t& call);
// softmax.cc: softmax and log_softmax
std::unique_ptr<Plan> plan_softmax(Device& device, const keel_kernel_call_t& call);
// matmul.cc
std::unique_ptr<Plan> plan_matmul(Device& device, const keel_kernel_call_t& call);

}  // namespace keel::opencl
