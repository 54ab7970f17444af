// Optimizers and learning-rate schedules over keel::Tensor parameters, following the update rules of
// PyTorch's torch.optim documentation.
//
//   keel::optim::Adam opt({w, b}, {.lr = 1e-3});
//   keel::optim::CosineAnnealingLR schedule(opt, {.t_max = 100});
//   for (int epoch = 0; epoch < 100; ++epoch) {
//     opt.zero_grad();
//     loss(w, b).backward();
//     opt.step();       // updates w and b in place, on their device
//     schedule.step();  // the next epoch's lr
//   }
//
// Each parameter is updated from its .grad() (parameters without one are skipped) with tensor operations
// under autograd::NoGrad, and the result is written into the parameter with copy_(), so views of a parameter
// see the update. Optimizer state (momentum buffers, moment estimates, step counts) is per parameter.
// Invalid arguments throw keel::Error (INVALID_ARGUMENT) naming the argument.
#pragma once

#include <cstdint>
#include <vector>

#include "keel/tensor.hpp"

namespace keel::optim {

// ---- Base -------------------------------------------------------------------------------------------------

class Optimizer {
 public:
  virtual ~Optimizer() = default;
  Optimizer(const Optimizer&) = delete;
  Optimizer& operator=(const Optimizer&) = delete;

  // One update of every parameter that has a gradient.
  void step();
  // Drops every parameter's gradient (the next backward starts from none, as set_to_none in PyTorch).
  void zero_grad();

  double lr() const { return lr_; }
  void set_lr(double lr);  // >= 0; used from the next step on (schedules call this)
  const std::vector<Tensor>& params() const { return params_; }
  // How many updates parameter `index` has had (steps where it had no gradient do not count).
  int64_t step_count(size_t index) const { return steps_.at(index); }

 protected:
  // `name` prefixes error messages. Parameters must be defined floating-point tensors.
  Optimizer(const char* name, std::vector<Tensor> params, double lr);
  // The new value of parameter `index` (grad has its shape, dtype and device; step counts from 1). Runs
  // without recording; may update the optimizer's state for that parameter.
  virtual Tensor update(size_t index, const Tensor& param, const Tensor& grad, int64_t step) = 0;
  const char* name() const { return name_; }

 private:
  const char* name_;
  std::vector<Tensor> params_;
  std::vector<int64_t> steps_;
  double lr_;
};

// ---- Optimizers -------------------------------------------------------------------------------------------

// SGD, heavy-ball momentum with dampening, or Nesterov momentum (NAG), with L2 weight decay:
//   g = grad + weight_decay·p; b = g on the first step, else momentum·b + (1 - dampening)·g;
//   d = g + momentum·b (nesterov) or b; p = p - lr·d.   (b and d are g when momentum is 0.)
struct SGDOptions {
  double lr = 1e-3;
  double momentum = 0.0;
  double dampening = 0.0;
  double weight_decay = 0.0;
  bool nesterov = false;  // needs momentum > 0 and dampening 0
};
class SGD : public Optimizer {
 public:
  SGD(std::vector<Tensor> params, const SGDOptions& options);
  const SGDOptions& options() const { return options_; }

 private:
  Tensor update(size_t index, const Tensor& param, const Tensor& grad, int64_t step) override;
  SGDOptions options_;
  std::vector<Tensor> momentum_buffers_;  // undefined until the first step
};

// AdaGrad: g = grad + weight_decay·p; clr = lr / (1 + (t - 1)·lr_decay); s = s + g²;
//   p = p - clr·g / (√s + eps), with s starting at initial_accumulator_value.
struct AdagradOptions {
  double lr = 1e-2;
  double lr_decay = 0.0;
  double weight_decay = 0.0;
  double initial_accumulator_value = 0.0;
  double eps = 1e-10;
};
class Adagrad : public Optimizer {
 public:
  Adagrad(std::vector<Tensor> params, const AdagradOptions& options);
  const AdagradOptions& options() const { return options_; }

 private:
  Tensor update(size_t index, const Tensor& param, const Tensor& grad, int64_t step) override;
  AdagradOptions options_;
  std::vector<Tensor> sums_;
};

// AdaDelta: g = grad + weight_decay·p; v = rho·v + (1 - rho)·g²; Δ = √(u + eps) / √(v + eps) · g;
//   u = rho·u + (1 - rho)·Δ²; p = p - lr·Δ, with v and u starting at 0.
struct AdadeltaOptions {
  double lr = 1.0;
  double rho = 0.9;
  double eps = 1e-6;
  double weight_decay = 0.0;
};
class Adadelta : public Optimizer {
 public:
  Adadelta(std::vector<Tensor> params, const AdadeltaOptions& options);
  const AdadeltaOptions& options() const { return options_; }

 private:
  Tensor update(size_t index, const Tensor& param, const Tensor& grad, int64_t step) override;
  AdadeltaOptions options_;
  std::vector<Tensor> square_avgs_;
  std::vector<Tensor> acc_deltas_;
};

// Adam: g = grad + weight_decay·p; m = β1·m + (1 - β1)·g; v = β2·v + (1 - β2)·g²;
//   p = p - lr·(m / (1 - β1ᵗ)) / (√(v / (1 - β2ᵗ)) + eps).
// With decoupled_weight_decay (AdamW) g = grad and p is first scaled by (1 - lr·weight_decay).
struct AdamOptions {
  double lr = 1e-3;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  double weight_decay = 0.0;
  bool decoupled_weight_decay = false;
};
class Adam : public Optimizer {
 public:
  Adam(std::vector<Tensor> params, const AdamOptions& options);
  const AdamOptions& options() const { return options_; }

 private:
  Tensor update(size_t index, const Tensor& param, const Tensor& grad, int64_t step) override;
  AdamOptions options_;
  std::vector<Tensor> exp_avgs_;
  std::vector<Tensor> exp_avg_sqs_;
};

// NAdam (Adam with Nesterov momentum): g = grad + weight_decay·p; μₜ = β1·(1 - ½·0.96^(t·ψ)) with
//   ψ = momentum_decay; m and v as in Adam; p = p - lr·(μₜ₊₁·m / (1 - Πᵢ₌₁ᵗ⁺¹ μᵢ) + (1 - μₜ)·g / (1 - Πᵢ₌₁ᵗ μᵢ))
//   / (√(v / (1 - β2ᵗ)) + eps).
struct NAdamOptions {
  double lr = 2e-3;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  double weight_decay = 0.0;
  double momentum_decay = 4e-3;
};
class NAdam : public Optimizer {
 public:
  NAdam(std::vector<Tensor> params, const NAdamOptions& options);
  const NAdamOptions& options() const { return options_; }

 private:
  Tensor update(size_t index, const Tensor& param, const Tensor& grad, int64_t step) override;
  NAdamOptions options_;
  std::vector<Tensor> exp_avgs_;
  std::vector<Tensor> exp_avg_sqs_;
  std::vector<double> mu_products_;  // Πᵢ₌₁ᵗ μᵢ per parameter, kept on the host
};

// ---- Learning-rate schedules ------------------------------------------------------------------------------

// Sets its optimizer's lr per epoch from the lr the optimizer had when the schedule was made (base_lr).
// The optimizer must outlive the schedule. Epochs count from 0; construction applies epoch 0.
class LRScheduler {
 public:
  virtual ~LRScheduler() = default;
  LRScheduler(const LRScheduler&) = delete;
  LRScheduler& operator=(const LRScheduler&) = delete;

  // Advances one epoch and gives the optimizer that epoch's lr.
  void step();
  int64_t epoch() const { return epoch_; }
  double base_lr() const { return base_lr_; }
  // The schedule's closed form.
  virtual double lr_at(int64_t epoch) const = 0;

 protected:
  explicit LRScheduler(Optimizer& optimizer);
  // Derived constructors call this once their arguments are checked.
  void start();

 private:
  Optimizer& optimizer_;
  double base_lr_;
  int64_t epoch_ = 0;
};

// StepLR: lr = base_lr · gamma^⌊epoch / step_size⌋.
struct StepLROptions {
  int64_t step_size = 1;  // >= 1
  double gamma = 0.1;     // >= 0
};
class StepLR : public LRScheduler {
 public:
  StepLR(Optimizer& optimizer, const StepLROptions& options);
  double lr_at(int64_t epoch) const override;

 private:
  StepLROptions options_;
};

// CosineAnnealingLR: lr = eta_min + (base_lr - eta_min)·(1 + cos(π·epoch / t_max)) / 2.
struct CosineAnnealingLROptions {
  int64_t t_max = 1;     // >= 1; the epochs from base_lr down to eta_min
  double eta_min = 0.0;  // >= 0
};
class CosineAnnealingLR : public LRScheduler {
 public:
  CosineAnnealingLR(Optimizer& optimizer, const CosineAnnealingLROptions& options);
  double lr_at(int64_t epoch) const override;

 private:
  CosineAnnealingLROptions options_;
};

}  // namespace keel::optim
