// Automatic differentiation over keel::Tensor, generated from the operator spec: every recorded operator's
// backward and forward rules are the spec's VJP and JVP formulas, interpreted over Tensors with the same
// eager operators, so derivatives of any order come from differentiating those computations again.
//
//   Tensor x = keel::tensor({1, 2, 3}, {}, {.dtype = keel::Dtype::f64, .requires_grad = true});
//   Tensor y = (x * x).sum();
//   y.backward();                                   // x.grad() == 2x
//   Tensor g = keel::autograd::grad(f, x);          // functional
//   auto [fx, jv] = keel::autograd::jvp(f, x, v);   // forward mode
//   Tensor h = keel::autograd::hessian(f, x);       // forward over reverse
//
// In-place updates: on a tensor that requires grad they raise FAILED_PRECONDITION while grad mode is on
// (update parameters under NoGrad); a tensor saved for backward and changed in place since makes that
// backward raise FAILED_PRECONDITION.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "keel/tensor.hpp"

namespace keel::autograd {

// ---- Grad mode ------------------------------------------------------------------------------------------

bool is_grad_enabled();
// Within its scope no operator is recorded (this thread).
class NoGrad {
 public:
  NoGrad();
  ~NoGrad();
  NoGrad(const NoGrad&) = delete;
  NoGrad& operator=(const NoGrad&) = delete;

 private:
  bool previous_;
};
// Within its scope operators are recorded again (inside a NoGrad).
class EnableGrad {
 public:
  EnableGrad();
  ~EnableGrad();
  EnableGrad(const EnableGrad&) = delete;
  EnableGrad& operator=(const EnableGrad&) = delete;

 private:
  bool previous_;
};

// ---- Reverse mode ---------------------------------------------------------------------------------------

struct GradOptions {
  bool retain_graph = false;  // implied by create_graph
  bool create_graph = false;  // make the gradients differentiable (higher order)
  bool allow_unused = false;  // an input the outputs do not depend on gets an undefined tensor, not an error
};

// d(sum_i <outputs[i], grad_outputs[i]>) / d inputs, without touching any .grad. grad_outputs may be empty
// for scalar outputs (ones).
std::vector<Tensor> grad(std::span<const Tensor> outputs, std::span<const Tensor> inputs,
                         std::span<const Tensor> grad_outputs = {}, const GradOptions& options = {});
// Accumulates into the .grad of every leaf the outputs depend on (Tensor::backward for several roots).
void backward(std::span<const Tensor> outputs, std::span<const Tensor> grad_outputs = {},
              const BackwardOptions& options = {});

// Functions of tensors.
using Fn = std::function<Tensor(const Tensor&)>;
using FnN = std::function<Tensor(std::span<const Tensor>)>;

// The gradient of a scalar function. create_graph keeps it differentiable.
Tensor grad(const Fn& f, const Tensor& x, bool create_graph = false);
std::vector<Tensor> grad(const FnN& f, std::span<const Tensor> x, bool create_graph = false);
// f(x) and the function v ↦ vᵀ·∂f/∂x.
std::pair<Tensor, std::function<Tensor(const Tensor&)>> vjp(const Fn& f, const Tensor& x);

// ---- Forward mode ---------------------------------------------------------------------------------------

// (f(x), ∂f/∂x · v) by the spec's JVP formulas.
std::pair<Tensor, Tensor> jvp(const Fn& f, const Tensor& x, const Tensor& v);
std::pair<Tensor, Tensor> jvp(const FnN& f, std::span<const Tensor> x, std::span<const Tensor> v);

// A forward-mode level: tangents attached inside it belong to it; levels nest (forward over forward).
class DualLevel {
 public:
  DualLevel();
  ~DualLevel();
  DualLevel(const DualLevel&) = delete;
  DualLevel& operator=(const DualLevel&) = delete;
  uint64_t id() const { return id_; }

 private:
  uint64_t id_;
};
// A tensor equal to `primal` carrying `tangent` at the innermost level (differentiable w.r.t. primal).
Tensor make_dual(const Tensor& primal, const Tensor& tangent);
// The tangent at the innermost level (undefined when none).
Tensor tangent_of(const Tensor& dual);

// ---- Higher order -----------------------------------------------------------------------------------------

enum class Mode { reverse, forward };
// ∂f/∂x with shape f(x).shape + x.shape, by rows (reverse) or by columns (forward).
Tensor jacobian(const Fn& f, const Tensor& x, Mode mode = Mode::reverse);
// ∂²f/∂x² of a scalar f, shape x.shape + x.shape: forward over reverse (jacobian(forward) of the gradient).
Tensor hessian(const Fn& f, const Tensor& x);
// H·v for a scalar f: forward over reverse.
Tensor hvp(const Fn& f, const Tensor& x, const Tensor& v);

// ---- User-defined differentiable functions ----------------------------------------------------------------

// forward runs without recording; vjp and jvp (either may be empty: differentiating in that mode is then an
// error) are written with Keel operators, so they are differentiable again when the graph is recorded.
struct CustomFunction {
  std::string name = "custom";
  std::function<std::vector<Tensor>(std::span<const Tensor> inputs)> forward;
  // (inputs, outputs, one cotangent per output; zeros for outputs that got none) → one gradient per input
  // (undefined: none).
  std::function<std::vector<Tensor>(std::span<const Tensor> inputs, std::span<const Tensor> outputs,
                                    std::span<const Tensor> grad_outputs)>
      vjp;
  // (inputs, outputs, one tangent per input; zeros where none) → one tangent per output.
  std::function<std::vector<Tensor>(std::span<const Tensor> inputs, std::span<const Tensor> outputs,
                                    std::span<const Tensor> tangents)>
      jvp;
};
std::vector<Tensor> apply(const CustomFunction& function, std::span<const Tensor> inputs);

// ---- Checks -----------------------------------------------------------------------------------------------

struct GradcheckOptions {
  double eps = 1e-6;   // central difference step
  double atol = 1e-5;
  double rtol = 1e-3;
  bool check_forward = true;  // also compare the forward-mode Jacobian
};
struct GradcheckResult {
  bool ok = true;
  double max_error = 0;   // largest |analytical - numerical| - rtol·|numerical| over all entries
  std::string message;    // the first mismatch, when not ok
};
// Compares the Jacobians of f (reverse and forward mode) with f64 central finite differences at `inputs`
// (every input f64; undefined inputs are skipped).
GradcheckResult gradcheck(const FnN& f, std::span<const Tensor> inputs, const GradcheckOptions& options = {});

}  // namespace keel::autograd
