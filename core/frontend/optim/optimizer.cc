// The optimizer base: parameter checks, the step loop and zero_grad; and the argument checks.
#include <algorithm>
#include <span>
#include <sstream>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "keel/autograd.hpp"
#include "keel/optim.hpp"
#include "optim/check.h"
#include "tensor/make.h"

namespace keel::optim {

namespace detail {

void require(bool ok, std::string_view owner, std::string_view argument, std::string_view rule, double value) {
  if (ok) return;
  std::ostringstream message;
  message << owner << ": " << argument << " must be " << rule << " (got " << value << ")";
  keel::detail::fail(KEEL_STATUS_INVALID_ARGUMENT, message.str());
}

// The comparisons are written so that NaN fails them.
void require_non_negative(double value, std::string_view owner, std::string_view argument) {
  require(value >= 0.0, owner, argument, ">= 0", value);
}

void require_unit_interval(double value, std::string_view owner, std::string_view argument) {
  require(value >= 0.0 && value < 1.0, owner, argument, "in [0, 1)", value);
}

}  // namespace detail

namespace {

std::string shape_string(std::span<const int64_t> shape) {
  std::string out = "[";
  for (size_t i = 0; i < shape.size(); ++i) out += (i == 0 ? "" : ", ") + std::to_string(shape[i]);
  return out + "]";
}

}  // namespace

Optimizer::Optimizer(const char* name, std::vector<Tensor> params, double lr)
    : name_(name), params_(std::move(params)), steps_(params_.size(), 0), lr_(lr) {
  detail::require_non_negative(lr, name_, "lr");
  if (params_.empty()) {
    keel::detail::fail(KEEL_STATUS_INVALID_ARGUMENT, std::string(name_) + ": the parameter list is empty");
  }
  std::unordered_set<const keel::detail::TensorImpl*> seen;
  for (size_t i = 0; i < params_.size(); ++i) {
    if (!params_[i].defined() || !is_floating_point(params_[i].dtype())) {
      keel::detail::fail(KEEL_STATUS_INVALID_ARGUMENT,
                         std::string(name_) + ": parameter " + std::to_string(i) +
                             " must be a defined floating-point tensor");
    }
    // A repeated parameter would be updated twice per step.
    if (!seen.insert(params_[i].impl()).second) {
      keel::detail::fail(KEEL_STATUS_INVALID_ARGUMENT,
                         std::string(name_) + ": parameter " + std::to_string(i) + " appears twice in the list");
    }
  }
}

void Optimizer::set_lr(double lr) {
  detail::require_non_negative(lr, name_, "lr");
  lr_ = lr;
}

void Optimizer::step() {
  // The update is not part of any graph; it also lets copy_ write into parameters that require grad.
  const autograd::NoGrad no_grad;
  for (size_t i = 0; i < params_.size(); ++i) {
    Tensor& param = params_[i];
    Tensor grad = param.grad();
    if (!grad.defined()) continue;
    if (!std::ranges::equal(grad.shape(), param.shape())) {
      keel::detail::fail(KEEL_STATUS_INVALID_ARGUMENT,
                         std::string(name_) + ": the gradient of parameter " + std::to_string(i) + " has shape " +
                             shape_string(grad.shape()) + ", not the parameter's " + shape_string(param.shape()));
    }
    grad = grad.detach().to(param.device()).to(param.dtype());
    const int64_t step_number = steps_[i] + 1;
    param.copy_(update(i, param, grad, step_number));
    steps_[i] = step_number;
  }
}

void Optimizer::zero_grad() {
  for (Tensor& param : params_) param.set_grad(Tensor());
}

}  // namespace keel::optim
