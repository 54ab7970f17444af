// The compute function of every operator. Each runs one call to completion and throws Error on failure.
#pragma once

#include "kernel_call.h"

namespace keel::reference {

// unary.cc
void compute_neg(const KernelCall& call);
void compute_abs(const KernelCall& call);
void compute_sign(const KernelCall& call);
void compute_exp(const KernelCall& call);
void compute_log(const KernelCall& call);
void compute_sqrt(const KernelCall& call);
void compute_tanh(const KernelCall& call);
void compute_reciprocal(const KernelCall& call);
void compute_rsqrt(const KernelCall& call);
void compute_sin(const KernelCall& call);
void compute_cos(const KernelCall& call);
void compute_erf(const KernelCall& call);
void compute_floor(const KernelCall& call);
void compute_ceil(const KernelCall& call);
void compute_round(const KernelCall& call);
void compute_isnan(const KernelCall& call);
void compute_isinf(const KernelCall& call);
void compute_sigmoid(const KernelCall& call);
void compute_relu(const KernelCall& call);

// binary.cc
void compute_add(const KernelCall& call);
void compute_sub(const KernelCall& call);
void compute_mul(const KernelCall& call);
void compute_div(const KernelCall& call);
void compute_pow(const KernelCall& call);
void compute_maximum(const KernelCall& call);
void compute_minimum(const KernelCall& call);
void compute_fmod(const KernelCall& call);
void compute_remainder(const KernelCall& call);

// compare.cc
void compute_equal(const KernelCall& call);
void compute_not_equal(const KernelCall& call);
void compute_less(const KernelCall& call);
void compute_less_equal(const KernelCall& call);
void compute_greater(const KernelCall& call);
void compute_greater_equal(const KernelCall& call);

// logical.cc
void compute_logical_not(const KernelCall& call);
void compute_logical_and(const KernelCall& call);
void compute_logical_or(const KernelCall& call);
void compute_logical_xor(const KernelCall& call);

// select.cc
void compute_where(const KernelCall& call);

// cast.cc
void compute_cast(const KernelCall& call);

// creation.cc
void compute_full(const KernelCall& call);
void compute_arange(const KernelCall& call);

// reduce.cc
void compute_reduce_sum(const KernelCall& call);
void compute_reduce_mean(const KernelCall& call);
void compute_reduce_max(const KernelCall& call);
void compute_reduce_min(const KernelCall& call);
void compute_reduce_prod(const KernelCall& call);
void compute_argmax(const KernelCall& call);
void compute_argmin(const KernelCall& call);

// scan_sort.cc
void compute_cumsum(const KernelCall& call);
void compute_topk(const KernelCall& call);

// matmul.cc
void compute_matmul(const KernelCall& call);

// softmax.cc
void compute_softmax(const KernelCall& call);
void compute_log_softmax(const KernelCall& call);

// layout.cc
void compute_reshape(const KernelCall& call);
void compute_permute(const KernelCall& call);
void compute_concat(const KernelCall& call);
void compute_slice(const KernelCall& call);
void compute_split(const KernelCall& call);

// shape_ops.cc
void compute_expand(const KernelCall& call);
void compute_squeeze(const KernelCall& call);
void compute_unsqueeze(const KernelCall& call);
void compute_tile(const KernelCall& call);
void compute_flip(const KernelCall& call);
void compute_shape(const KernelCall& call);
void compute_trilu(const KernelCall& call);
void compute_copy(const KernelCall& call);

// gather.cc
void compute_gather(const KernelCall& call);
void compute_gather_elements(const KernelCall& call);
void compute_gather_nd(const KernelCall& call);
void compute_one_hot(const KernelCall& call);
void compute_nonzero(const KernelCall& call);

// scatter.cc
void compute_scatter_elements(const KernelCall& call);
void compute_scatter_nd(const KernelCall& call);
void compute_embedding_backward(const KernelCall& call);

// conv.cc
void compute_conv(const KernelCall& call);
void compute_conv_transpose(const KernelCall& call);
void compute_conv_backward_weight(const KernelCall& call);

// pool.cc
void compute_max_pool(const KernelCall& call);
void compute_avg_pool(const KernelCall& call);
void compute_avg_pool_backward(const KernelCall& call);

// resample.cc
void compute_resize(const KernelCall& call);
void compute_pad(const KernelCall& call);

// random.cc
void compute_rng_uniform(const KernelCall& call);
void compute_rng_normal(const KernelCall& call);
void compute_bernoulli(const KernelCall& call);
void compute_dropout(const KernelCall& call);

}  // namespace keel::reference
