// AdaDelta with L2 weight decay, from elementwise operators.
#include <utility>
#include <vector>

#include "keel/optim.hpp"
#include "optim/check.h"

namespace keel::optim {

Adadelta::Adadelta(std::vector<Tensor> params, const AdadeltaOptions& options)
    : Optimizer("Adadelta", std::move(params), options.lr), options_(options) {
  detail::require(options.rho >= 0.0 && options.rho <= 1.0, name(), "rho", "in [0, 1]", options.rho);
  detail::require_non_negative(options.eps, name(), "eps");
  detail::require_non_negative(options.weight_decay, name(), "weight_decay");
  square_avgs_.resize(this->params().size());
  acc_deltas_.resize(this->params().size());
}

Tensor Adadelta::update(size_t index, const Tensor& param, const Tensor& grad, int64_t /*step*/) {
  Tensor& square_avg = square_avgs_[index];
  Tensor& acc_delta = acc_deltas_[index];
  if (!square_avg.defined()) {
    square_avg = zeros_like(param);
    acc_delta = zeros_like(param);
  }
  const double rho = options_.rho;
  const double eps = options_.eps;
  const Tensor g = options_.weight_decay != 0.0 ? grad + param * options_.weight_decay : grad;
  square_avg = square_avg * rho + g * g * (1.0 - rho);
  // The ratio of the two running RMS values gives the step the units of the parameter.
  const Tensor delta = (acc_delta + eps).sqrt() / (square_avg + eps).sqrt() * g;
  acc_delta = acc_delta * rho + delta * delta * (1.0 - rho);
  return param - delta * lr();
}

}  // namespace keel::optim
