// Learning-rate schedules: the base, StepLR and CosineAnnealingLR (closed forms).
#include <cmath>
#include <numbers>

#include "keel/optim.hpp"
#include "optim/check.h"

namespace keel::optim {

LRScheduler::LRScheduler(Optimizer& optimizer) : optimizer_(optimizer), base_lr_(optimizer.lr()) {}

void LRScheduler::start() { optimizer_.set_lr(lr_at(0)); }

void LRScheduler::step() {
  ++epoch_;
  optimizer_.set_lr(lr_at(epoch_));
}

StepLR::StepLR(Optimizer& optimizer, const StepLROptions& options) : LRScheduler(optimizer), options_(options) {
  detail::require(options.step_size >= 1, "StepLR", "step_size", ">= 1", static_cast<double>(options.step_size));
  detail::require_non_negative(options.gamma, "StepLR", "gamma");
  start();
}

double StepLR::lr_at(int64_t epoch) const {
  return base_lr() * std::pow(options_.gamma, static_cast<double>(epoch / options_.step_size));
}

CosineAnnealingLR::CosineAnnealingLR(Optimizer& optimizer, const CosineAnnealingLROptions& options)
    : LRScheduler(optimizer), options_(options) {
  detail::require(options.t_max >= 1, "CosineAnnealingLR", "t_max", ">= 1", static_cast<double>(options.t_max));
  detail::require_non_negative(options.eta_min, "CosineAnnealingLR", "eta_min");
  start();
}

double CosineAnnealingLR::lr_at(int64_t epoch) const {
  const double phase = std::numbers::pi * static_cast<double>(epoch) / static_cast<double>(options_.t_max);
  return options_.eta_min + (base_lr() - options_.eta_min) * (1.0 + std::cos(phase)) / 2.0;
}

}  // namespace keel::optim
