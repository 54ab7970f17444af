// Losses: CrossEntropyLoss and NLLLoss (the spec operators) and MSELoss.
#include <algorithm>
#include <string>

#include "keel/nn.hpp"
#include "keel/ops.hpp"

namespace keel::nn {
namespace {

template <class Enum>
Enum spec_reduction(Reduction reduction) {
  switch (reduction) {
    case Reduction::none: return Enum::none;
    case Reduction::sum: return Enum::sum;
    case Reduction::mean: break;
  }
  return Enum::mean;
}

void check_target(const char* loss, const Tensor& target) {
  if (target.dtype() != Dtype::i32 && target.dtype() != Dtype::i64) {
    throw Error(KEEL_STATUS_INVALID_ARGUMENT,
                std::string(loss) + ": target must hold class indices (i32 or i64), not " + dtype_name(target.dtype()),
                "keel");
  }
}

}  // namespace

Tensor CrossEntropyLoss::operator()(const Tensor& logits, const Tensor& target) const {
  check_target("CrossEntropyLoss", target);
  using R = ops::CrossEntropyOptions::Reduction;
  return ops::cross_entropy(logits, target, options_.weight,
                            {.reduction = spec_reduction<R>(options_.reduction),
                             .ignore_index = options_.ignore_index,
                             .label_smoothing = options_.label_smoothing});
}

Tensor NLLLoss::operator()(const Tensor& log_probs, const Tensor& target) const {
  check_target("NLLLoss", target);
  using R = ops::NllLossOptions::Reduction;
  return ops::nll_loss(log_probs, target, options_.weight,
                       {.reduction = spec_reduction<R>(options_.reduction), .ignore_index = options_.ignore_index});
}

Tensor MSELoss::operator()(const Tensor& input, const Tensor& target) const {
  if (!std::ranges::equal(input.shape(), target.shape())) {
    throw Error(KEEL_STATUS_INVALID_ARGUMENT, "MSELoss: input and target must have the same shape", "keel");
  }
  const Tensor diff = input - target;
  const Tensor squared = diff * diff;
  switch (reduction_) {
    case Reduction::none: return squared;
    case Reduction::sum: return squared.sum();
    case Reduction::mean: break;
  }
  return squared.mean();
}

}  // namespace keel::nn
