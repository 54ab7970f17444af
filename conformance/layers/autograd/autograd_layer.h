// The autograd layer: for every operator the spec differentiates, gradients computed through the plugin
// against f64 central finite differences on the reference plugin.
//
// The calls are the spec's samples (the same ones the front end's own gradient checks use, from
// core/frontend/spec_grad). On the plugin they run in f32, the Core-Training dtype: the front end evaluates
// the spec's VJP and JVP formulas there with the plugin's kernels. The expected values come only from
// evaluating the operator itself, in f64 on the reference plugin, at the same f32-rounded points:
//   autograd.<op>.f32.vjp  reverse mode: the gradient of Σ_k <w_k, y_k> (random weights over the float
//                          outputs) with respect to every differentiable input, element by element;
//   autograd.<op>.f32.jvp  forward mode: the derivative of every float output along a random direction.
// Bound per element: |plugin − fd| ≤ 2^-10 (|fd| + mean |fd| over the tensor) + 1e-6. That is ~8000 f32
// ulps of the result's scale, enough for the chain rule's rounding through several f32 kernels and far below
// the O(1) error of a wrong formula, a missing term or a wrong broadcast reduction.
#pragma once

#include <vector>

#include "model/case.h"

namespace keel::conform {

void add_autograd_cases(std::vector<CaseSpec>& cases);

}  // namespace keel::conform
