// Gradient helpers shared between helpers.cc (registry, bookkeeping) and helpers_adjoint.cc (adjoints of
// data-movement operators).
#pragma once

#include <span>

#include "autograd/evaluator.h"

namespace keel::detail {

// g summed over the axes broadcasting added or stretched, reshaped to `shape`.
Tensor sum_to(const Tensor& g, std::span<const int64_t> shape);

Value h_matmul_grad_a(Evaluator& ev, const Expr& call);
Value h_matmul_grad_b(Evaluator& ev, const Expr& call);
Value h_slice_grad(Evaluator& ev, const Expr& call);
Value h_prod_others(Evaluator& ev, const Expr& call);
Value h_conv_grad_output_padding(Evaluator& ev, const Expr& call);
Value h_resize_grad(Evaluator& ev, const Expr& call);
Value h_pad_grad(Evaluator& ev, const Expr& call);
Value h_tile_grad(Evaluator& ev, const Expr& call);
Value h_gather_grad(Evaluator& ev, const Expr& call);

}  // namespace keel::detail
