// The spec's samples (core/spec) made into concrete calls for gradient checks through the front end: f64 data
// drawn from each sample's value domains, away from points where an operator is not differentiable. Used by
// the front end's gradient tests and by the conformance suite's autograd layer.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "dispatch/attrs.h"
#include "keel/tensor.hpp"

namespace keel::spec_grad {

struct GradCase {
  std::string text;                // the sample, for messages
  std::vector<Tensor> inputs;      // flattened (a variadic input expanded); undefined for absent inputs
  detail::Attrs attrs;
  std::vector<size_t> wrt;         // inputs differentiated: floating point, non-empty, gradient not `none`
  std::string note;                // how the data deviates from a plain draw from the domains ("" if it does not)
  std::string skip;                // why the spec leaves this sample without derivatives ("" when it has them)
};

// Operators whose derivatives the front end must check: those with gradient formulas, and those the spec
// differentiates through their decomposition (gradient none, a decomposition, floating-point inputs and
// outputs).
std::vector<std::string> gradient_ops();

// One case per sample of `op` that has something to differentiate (deterministic for a seed), with its tensors
// on `device` (the default device when empty). A case is marked
// `skip` when the spec makes it non-differentiable: attribute values its gradient does not accept (div with
// rounding trunc), or an output that is not finite at every point the sample's domains allow us to draw
// (max_pool windows that read only padding give -inf).
std::vector<GradCase> grad_cases(const std::string& op, uint64_t seed, std::optional<Device> device = {});

// The case with its floating-point inputs and dtype attributes in `dtype` and every input on `device` (the
// same call at another precision on another device).
GradCase converted(const std::string& op, const GradCase& c, Dtype dtype, const Device& device);

// Finite-difference helpers. A tensor like `t` (shape, dtype, device) holding `values`; and x + s·d for a list
// of tensors (d: one direction per tensor, as host values).
Tensor like(const Tensor& t, const std::vector<double>& values);
std::vector<Tensor> shifted(const std::vector<Tensor>& x, const std::vector<std::vector<double>>& d, double s);

// The operator's floating-point outputs for a case's inputs.
std::vector<Tensor> float_outputs(const std::string& op, const GradCase& c, const std::vector<Tensor>& inputs);

}  // namespace keel::spec_grad
