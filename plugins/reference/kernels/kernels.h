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

// compare.cc
void compute_equal(const KernelCall& call);
void compute_not_equal(const KernelCall& call);
void compute_less(const KernelCall& call);
void compute_less_equal(const KernelCall& call);
void compute_greater(const KernelCall& call);
void compute_greater_equal(const KernelCall& call);

// select.cc
void compute_where(const KernelCall& call);

// cast.cc
void compute_cast(const KernelCall& call);

// reduce.cc
void compute_reduce_sum(const KernelCall& call);
void compute_reduce_mean(const KernelCall& call);
void compute_reduce_max(const KernelCall& call);

// matmul.cc
void compute_matmul(const KernelCall& call);

// softmax.cc
void compute_softmax(const KernelCall& call);

// layout.cc
void compute_reshape(const KernelCall& call);
void compute_permute(const KernelCall& call);
void compute_concat(const KernelCall& call);
void compute_slice(const KernelCall& call);

// creation.cc
void compute_full(const KernelCall& call);
void compute_arange(const KernelCall& call);

}  // namespace keel::reference
