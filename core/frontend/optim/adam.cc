// Adam and AdamW (decoupled weight decay), as the spec's fused adam_update.
#include <utility>
#include <vector>

#include "keel/ops.hpp"
#include "keel/optim.hpp"
#include "optim/check.h"

namespace keel::optim {

Adam::Adam(std::vector<Tensor> params, const AdamOptions& options)
    : Optimizer("Adam", std::move(params), options.lr), options_(options) {
  detail::require_unit_interval(options.beta1, name(), "beta1");
  detail::require_unit_interval(options.beta2, name(), "beta2");
  detail::require_non_negative(options.eps, name(), "eps");
  detail::require_non_negative(options.weight_decay, name(), "weight_decay");
  exp_avgs_.resize(this->params().size());
  exp_avg_sqs_.resize(this->params().size());
}

Tensor Adam::update(size_t index, const Tensor& param, const Tensor& grad, int64_t step) {
  Tensor& exp_avg = exp_avgs_[index];
  Tensor& exp_avg_sq = exp_avg_sqs_[index];
  if (!exp_avg.defined()) {
    exp_avg = zeros_like(param);
    exp_avg_sq = zeros_like(param);
  }
  ops::AdamUpdateResult result = ops::adam_update(param, grad, exp_avg, exp_avg_sq,
                                                  {.lr = lr(),
                                                   .beta1 = options_.beta1,
                                                   .beta2 = options_.beta2,
                                                   .epsilon = options_.eps,
                                                   .weight_decay = options_.weight_decay,
                                                   .step = step,
                                                   .decoupled_weight_decay = options_.decoupled_weight_decay});
  exp_avg = std::move(result.exp_avg_out);
  exp_avg_sq = std::move(result.exp_avg_sq_out);
  return std::move(result.param_out);
}

}  // namespace keel::optim
