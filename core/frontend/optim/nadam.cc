// NAdam (Adam with Nesterov momentum and the momentum-decay schedule of Dozat, 2016), from elementwise
// operators.
#include <cmath>
#include <utility>
#include <vector>

#include "keel/optim.hpp"
#include "optim/check.h"

namespace keel::optim {

NAdam::NAdam(std::vector<Tensor> params, const NAdamOptions& options)
    : Optimizer("NAdam", std::move(params), options.lr), options_(options) {
  detail::require_unit_interval(options.beta1, name(), "beta1");
  detail::require_unit_interval(options.beta2, name(), "beta2");
  detail::require_non_negative(options.eps, name(), "eps");
  detail::require_non_negative(options.weight_decay, name(), "weight_decay");
  detail::require_non_negative(options.momentum_decay, name(), "momentum_decay");
  exp_avgs_.resize(this->params().size());
  exp_avg_sqs_.resize(this->params().size());
  mu_products_.assign(this->params().size(), 1.0);
}

Tensor NAdam::update(size_t index, const Tensor& param, const Tensor& grad, int64_t step) {
  Tensor& exp_avg = exp_avgs_[index];
  Tensor& exp_avg_sq = exp_avg_sqs_[index];
  if (!exp_avg.defined()) {
    exp_avg = zeros_like(param);
    exp_avg_sq = zeros_like(param);
  }
  const double beta1 = options_.beta1;
  const double beta2 = options_.beta2;
  const double t = static_cast<double>(step);
  // The momentum schedule μₜ and its running product are host scalars, in double.
  const double mu = beta1 * (1.0 - 0.5 * std::pow(0.96, t * options_.momentum_decay));
  const double mu_next = beta1 * (1.0 - 0.5 * std::pow(0.96, (t + 1.0) * options_.momentum_decay));
  double& mu_product = mu_products_[index];
  mu_product *= mu;
  const double bias_correction2 = 1.0 - std::pow(beta2, t);

  const Tensor g = options_.weight_decay != 0.0 ? grad + param * options_.weight_decay : grad;
  exp_avg = exp_avg * beta1 + g * (1.0 - beta1);
  exp_avg_sq = exp_avg_sq * beta2 + g * g * (1.0 - beta2);
  const Tensor denom = (exp_avg_sq / bias_correction2).sqrt() + options_.eps;
  // Nesterov: the gradient's share uses this step's μ, the momentum's share looks one step ahead.
  const Tensor direction = g * ((1.0 - mu) / (1.0 - mu_product)) + exp_avg * (mu_next / (1.0 - mu_product * mu_next));
  return param - direction / denom * lr();
}

}  // namespace keel::optim
