// The compute functions of the operators (and the supports checks of the kernels that have one). Each
// decodes its call, decides how to run it and enqueues the work; nothing waits for the GPU.
#pragma once

#include "gpu/launch.h"
#include "kernels/call.h"

namespace keel::cuda {

class Device;
class Queue;

// elementwise_ops.cc
template <gpu::UnaryOp kOp>
void compute_unary(const KernelCall& call, Queue& queue);
template <gpu::BinaryOp kOp>
void compute_binary(const KernelCall& call, Queue& queue);
template <gpu::CompareOp kOp>
void compute_compare(const KernelCall& call, Queue& queue);
void compute_where(const KernelCall& call, Queue& queue);
void compute_cast(const KernelCall& call, Queue& queue);

// math_ops.cc
template <gpu::MathOp kOp>
void compute_math(const KernelCall& call, Queue& queue);
void compute_leaky_relu(const KernelCall& call, Queue& queue);
void compute_elu(const KernelCall& call, Queue& queue);
void compute_celu(const KernelCall& call, Queue& queue);
void compute_selu(const KernelCall& call, Queue& queue);
void compute_gelu(const KernelCall& call, Queue& queue);
void compute_hardsigmoid(const KernelCall& call, Queue& queue);
void compute_isnan(const KernelCall& call, Queue& queue);
void compute_isinf(const KernelCall& call, Queue& queue);
void compute_clamp(const KernelCall& call, Queue& queue);

// reduce_ops.cc
void compute_reduce_sum(const KernelCall& call, Queue& queue);
void compute_reduce_mean(const KernelCall& call, Queue& queue);
void compute_reduce_max(const KernelCall& call, Queue& queue);
void compute_reduce_min(const KernelCall& call, Queue& queue);
void compute_reduce_prod(const KernelCall& call, Queue& queue);
void compute_argmax(const KernelCall& call, Queue& queue);
void compute_argmin(const KernelCall& call, Queue& queue);
void compute_softmax(const KernelCall& call, Queue& queue);
void compute_log_softmax(const KernelCall& call, Queue& queue);

// matmul_ops.cc
void compute_matmul_cublas(const KernelCall& call, Queue& queue);
void supports_matmul_cublas(const KernelCall& call, const Device& device);
void compute_matmul(const KernelCall& call, Queue& queue);
void compute_gemm_cublas(const KernelCall& call, Queue& queue);
void supports_gemm_cublas(const KernelCall& call, const Device& device);
void compute_gemm(const KernelCall& call, Queue& queue);

// norm_ops.cc
void compute_layer_norm(const KernelCall& call, Queue& queue);
void compute_rms_norm(const KernelCall& call, Queue& queue);
void compute_cumsum(const KernelCall& call, Queue& queue);

// index_ops.cc
void compute_gather(const KernelCall& call, Queue& queue);
void compute_one_hot(const KernelCall& call, Queue& queue);

// random_ops.cc
void compute_rng_uniform(const KernelCall& call, Queue& queue);
void compute_rng_normal(const KernelCall& call, Queue& queue);
void compute_bernoulli(const KernelCall& call, Queue& queue);
void compute_dropout(const KernelCall& call, Queue& queue);

// shape_ops.cc
void compute_reshape(const KernelCall& call, Queue& queue);  // also flatten, squeeze, unsqueeze, copy
void compute_permute(const KernelCall& call, Queue& queue);
void compute_expand(const KernelCall& call, Queue& queue);
void compute_flip(const KernelCall& call, Queue& queue);
void compute_concat(const KernelCall& call, Queue& queue);
void compute_split(const KernelCall& call, Queue& queue);
void compute_slice(const KernelCall& call, Queue& queue);
void compute_tile(const KernelCall& call, Queue& queue);
void compute_trilu(const KernelCall& call, Queue& queue);
void compute_full(const KernelCall& call, Queue& queue);
void compute_arange(const KernelCall& call, Queue& queue);
void compute_eye(const KernelCall& call, Queue& queue);
void compute_shape(const KernelCall& call, Queue& queue);

}  // namespace keel::cuda
