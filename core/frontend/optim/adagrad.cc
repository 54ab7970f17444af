// AdaGrad with learning-rate decay and L2 weight decay, from elementwise operators.
#include <cmath>
#include <utility>
#include <vector>

#include "keel/optim.hpp"
#include "optim/check.h"

namespace keel::optim {

Adagrad::Adagrad(std::vector<Tensor> params, const AdagradOptions& options)
    : Optimizer("Adagrad", std::move(params), options.lr), options_(options) {
  detail::require_non_negative(options.lr_decay, name(), "lr_decay");
  detail::require_non_negative(options.weight_decay, name(), "weight_decay");
  detail::require_non_negative(options.initial_accumulator_value, name(), "initial_accumulator_value");
  detail::require_non_negative(options.eps, name(), "eps");
  sums_.resize(this->params().size());
}

Tensor Adagrad::update(size_t index, const Tensor& param, const Tensor& grad, int64_t step) {
  Tensor& sum = sums_[index];
  if (!sum.defined()) sum = full_like(param, options_.initial_accumulator_value);
  const Tensor g = options_.weight_decay != 0.0 ? grad + param * options_.weight_decay : grad;
  // The decayed rate is a host scalar: computing it in double keeps it exact up to one rounding.
  const double clr = lr() / (1.0 + static_cast<double>(step - 1) * options_.lr_decay);
  sum = sum + g * g;
  return param - g / (sum.sqrt() + options_.eps) * clr;
}

}  // namespace keel::optim
