// What eager dispatch asks autograd on every call (dispatch/dispatch.cc).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "keel/tensor.hpp"

namespace keel::detail {

using Inputs = std::span<const Tensor* const>;

// Grad mode of this thread (autograd::NoGrad turns it off).
bool grad_enabled();
// A forward-mode level is active on this thread.
bool forward_active();
// The tensor has a tangent at an active level.
bool has_active_tangent(const Tensor& tensor);

// Records the call in the graph: the outputs' grad_fn becomes a Node applying the spec's VJP formulas (or
// raising for an operator the spec does not differentiate).
void record_call(int32_t op, const void* attrs, Inputs inputs, std::span<Tensor> outputs);
// Attaches the outputs' tangents at every active level some input has a tangent at (the spec's JVP formulas).
void propagate_tangents(int32_t op, const void* attrs, Inputs inputs, std::span<Tensor> outputs);
// Runs an operator the spec differentiates through its decomposition: the decomposition is evaluated with
// the eager operators, so each of them is recorded and propagates tangents.
void run_decomposition(int32_t op, const void* attrs, Inputs inputs, std::vector<Tensor>& outputs);

}  // namespace keel::detail
