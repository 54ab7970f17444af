// SGD with optional momentum (heavy-ball with dampening, or Nesterov) and L2 weight decay, as the spec's
// fused sgd_update.
#include <utility>
#include <vector>

#include "keel/ops.hpp"
#include "keel/optim.hpp"
#include "optim/check.h"

namespace keel::optim {

SGD::SGD(std::vector<Tensor> params, const SGDOptions& options)
    : Optimizer("SGD", std::move(params), options.lr), options_(options) {
  detail::require_non_negative(options.momentum, name(), "momentum");
  detail::require_non_negative(options.weight_decay, name(), "weight_decay");
  if (options.nesterov) {
    detail::require(options.momentum > 0.0, name(), "momentum", "> 0 with nesterov", options.momentum);
    detail::require(options.dampening == 0.0, name(), "dampening", "0 with nesterov", options.dampening);
  }
  momentum_buffers_.resize(this->params().size());
}

Tensor SGD::update(size_t index, const Tensor& param, const Tensor& grad, int64_t /*step*/) {
  const ops::SgdUpdateOptions attrs = {.lr = lr(),
                                       .momentum = options_.momentum,
                                       .dampening = options_.dampening,
                                       .weight_decay = options_.weight_decay,
                                       .nesterov = options_.nesterov};
  // Without momentum there is no buffer to keep; with it, the first step starts the buffer at g (the op's
  // rule when momentum_buf is absent), as PyTorch does.
  Tensor& buffer = momentum_buffers_[index];
  ops::SgdUpdateResult result = buffer.defined() ? ops::sgd_update(param, grad, buffer, attrs)
                                                 : ops::sgd_update(param, grad, attrs);
  if (options_.momentum != 0.0) buffer = std::move(result.momentum_buf_out);
  return std::move(result.param_out);
}

}  // namespace keel::optim
