// keel::optim: every optimizer's trajectory against an independent double-precision implementation of its
// published update rule (PyTorch's torch.optim documentation), with fixed gradients and with the gradient of a
// quadratic loss from autograd; learning-rate schedules against their closed forms; in-place updates; errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <numbers>
#include <string>
#include <vector>

#include "keel/autograd.hpp"
#include "keel/optim.hpp"
#include "keel/tensor.hpp"

namespace keel {
namespace {

using Vec = std::vector<double>;
// One step of a reference rule: updates p in place from the gradient g (both in double).
using Reference = std::function<void(Vec& p, const Vec& g)>;

constexpr int kSteps = 8;
// Representable in f32, so both sides start from the same values.
const Vec kStart = {1.0, -2.0, 0.5, 3.0};
// The quadratic loss Σ wᵢ·(xᵢ - tᵢ)², whose gradient is 2·wᵢ·(xᵢ - tᵢ).
const Vec kTarget = {-0.5, 1.5, 2.0, -1.0};
const Vec kWeight = {0.5, 1.0, 2.0, 0.25};

double round_f32(double value) { return static_cast<double>(static_cast<float>(value)); }

// Gradients that change magnitude and sign from step to step, with a zero at one step.
Vec fixed_gradient(int step) {
  const double k = step;
  Vec g = {0.5 + 0.1 * k, -1.5 * std::cos(k), 2.0 / (1.0 + k), (step % 3 == 0 ? 0.25 : -0.75)};
  if (step == 4) g[2] = 0.0;
  for (double& value : g) value = round_f32(value);
  return g;
}

Tensor vector_tensor(const Vec& values, Dtype dtype, bool requires_grad = false) {
  return tensor(std::span<const double>(values), {static_cast<int64_t>(values.size())},
                {.dtype = dtype, .requires_grad = requires_grad});
}

enum class Grads { fixed, quadratic };

// Runs kSteps steps of `optimizer` on its only parameter x (starting at kStart) and of `reference` on a
// double copy, and compares them after every step.
void expect_trajectory(optim::Optimizer& optimizer, Tensor x, Reference reference, Grads source,
                       double tolerance) {
  Vec p = kStart;
  for (int step = 0; step < kSteps; ++step) {
    optimizer.zero_grad();
    Vec g(p.size());
    if (source == Grads::fixed) {
      g = fixed_gradient(step);
      x.set_grad(vector_tensor(g, x.dtype()));  // a Tensor copy is the same tensor as the optimizer's
    } else {
      const Tensor diff = x - vector_tensor(kTarget, x.dtype());
      (vector_tensor(kWeight, x.dtype()) * diff * diff).sum().backward();
      for (size_t i = 0; i < p.size(); ++i) g[i] = 2.0 * kWeight[i] * (p[i] - kTarget[i]);
    }
    optimizer.step();
    reference(p, g);
    const Vec got = x.to_vector<double>();
    for (size_t i = 0; i < p.size(); ++i) {
      EXPECT_NEAR(got[i], p[i], tolerance * std::max(1.0, std::abs(p[i]))) << "step " << step + 1 << ", element " << i;
    }
  }
}

// Both gradient sources, each with a fresh parameter, optimizer and reference state; f32 and f64.
template <class Opt, class Options>
void expect_rule(const Options& options, const Reference& reference) {
  struct Case {
    Dtype dtype;
    double tolerance;  // relative, per element: a few f32 roundings per step, compounded over the steps
  };
  for (const Case& c : {Case{Dtype::f32, 2e-5}, Case{Dtype::f64, 1e-11}}) {
    for (const Grads source : {Grads::fixed, Grads::quadratic}) {
      SCOPED_TRACE(std::string(dtype_name(c.dtype)) + (source == Grads::fixed ? ", fixed gradients" : ", quadratic loss"));
      const Tensor x = vector_tensor(kStart, c.dtype, /*requires_grad=*/true);
      Opt optimizer({x}, options);
      expect_trajectory(optimizer, x, reference, source, c.tolerance);
    }
  }
}

// ---- Independent reference rules (double precision) ----------------------------------------------------

Reference sgd_reference(double lr, double momentum, double dampening, double weight_decay, bool nesterov) {
  return [=, buffer = Vec(), started = false](Vec& p, const Vec& grad) mutable {
    buffer.resize(p.size());
    for (size_t i = 0; i < p.size(); ++i) {
      const double g = grad[i] + weight_decay * p[i];
      double d = g;
      if (momentum != 0.0) {
        buffer[i] = started ? momentum * buffer[i] + (1.0 - dampening) * g : g;
        d = nesterov ? g + momentum * buffer[i] : buffer[i];
      }
      p[i] -= lr * d;
    }
    started = true;
  };
}

Reference adagrad_reference(double lr, double lr_decay, double weight_decay, double initial, double eps) {
  return [=, sum = Vec(), t = 0](Vec& p, const Vec& grad) mutable {
    sum.resize(p.size(), initial);
    ++t;
    const double clr = lr / (1.0 + (t - 1) * lr_decay);
    for (size_t i = 0; i < p.size(); ++i) {
      const double g = grad[i] + weight_decay * p[i];
      sum[i] += g * g;
      p[i] -= clr * g / (std::sqrt(sum[i]) + eps);
    }
  };
}

Reference adadelta_reference(double lr, double rho, double eps, double weight_decay) {
  return [=, v = Vec(), u = Vec()](Vec& p, const Vec& grad) mutable {
    v.resize(p.size(), 0.0);
    u.resize(p.size(), 0.0);
    for (size_t i = 0; i < p.size(); ++i) {
      const double g = grad[i] + weight_decay * p[i];
      v[i] = rho * v[i] + (1.0 - rho) * g * g;
      const double delta = std::sqrt(u[i] + eps) / std::sqrt(v[i] + eps) * g;
      u[i] = rho * u[i] + (1.0 - rho) * delta * delta;
      p[i] -= lr * delta;
    }
  };
}

Reference adam_reference(double lr, double beta1, double beta2, double eps, double weight_decay, bool decoupled) {
  return [=, m = Vec(), v = Vec(), t = 0](Vec& p, const Vec& grad) mutable {
    m.resize(p.size(), 0.0);
    v.resize(p.size(), 0.0);
    ++t;
    for (size_t i = 0; i < p.size(); ++i) {
      double g = grad[i];
      if (decoupled) {
        p[i] *= 1.0 - lr * weight_decay;
      } else {
        g += weight_decay * p[i];
      }
      m[i] = beta1 * m[i] + (1.0 - beta1) * g;
      v[i] = beta2 * v[i] + (1.0 - beta2) * g * g;
      const double m_hat = m[i] / (1.0 - std::pow(beta1, t));
      const double v_hat = v[i] / (1.0 - std::pow(beta2, t));
      p[i] -= lr * m_hat / (std::sqrt(v_hat) + eps);
    }
  };
}

Reference nadam_reference(double lr, double beta1, double beta2, double eps, double weight_decay, double psi) {
  return [=, m = Vec(), v = Vec(), t = 0, mu_product = 1.0](Vec& p, const Vec& grad) mutable {
    m.resize(p.size(), 0.0);
    v.resize(p.size(), 0.0);
    ++t;
    const double mu = beta1 * (1.0 - 0.5 * std::pow(0.96, t * psi));
    const double mu_next = beta1 * (1.0 - 0.5 * std::pow(0.96, (t + 1) * psi));
    mu_product *= mu;
    for (size_t i = 0; i < p.size(); ++i) {
      const double g = grad[i] + weight_decay * p[i];
      m[i] = beta1 * m[i] + (1.0 - beta1) * g;
      v[i] = beta2 * v[i] + (1.0 - beta2) * g * g;
      const double m_hat = mu_next * m[i] / (1.0 - mu_product * mu_next) + (1.0 - mu) * g / (1.0 - mu_product);
      const double v_hat = v[i] / (1.0 - std::pow(beta2, t));
      p[i] -= lr * m_hat / (std::sqrt(v_hat) + eps);
    }
  };
}

// ---- Update rules ---------------------------------------------------------------------------------------

TEST(Optim, SGD) {
  expect_rule<optim::SGD>(optim::SGDOptions{.lr = 0.1, .weight_decay = 0.01},
                          sgd_reference(0.1, 0.0, 0.0, 0.01, false));
}

TEST(Optim, SGDMomentumWithDampening) {
  expect_rule<optim::SGD>(optim::SGDOptions{.lr = 0.05, .momentum = 0.9, .dampening = 0.1, .weight_decay = 0.01},
                          sgd_reference(0.05, 0.9, 0.1, 0.01, false));
}

TEST(Optim, SGDNesterov) {
  expect_rule<optim::SGD>(optim::SGDOptions{.lr = 0.05, .momentum = 0.9, .weight_decay = 0.01, .nesterov = true},
                          sgd_reference(0.05, 0.9, 0.0, 0.01, true));
}

TEST(Optim, Adagrad) {
  expect_rule<optim::Adagrad>(
      optim::AdagradOptions{.lr = 0.1, .lr_decay = 0.05, .weight_decay = 0.01, .initial_accumulator_value = 0.1},
      adagrad_reference(0.1, 0.05, 0.01, 0.1, 1e-10));
}

TEST(Optim, Adadelta) {
  expect_rule<optim::Adadelta>(optim::AdadeltaOptions{.lr = 0.5, .rho = 0.9, .eps = 1e-6, .weight_decay = 0.01},
                               adadelta_reference(0.5, 0.9, 1e-6, 0.01));
}

TEST(Optim, Adam) {
  expect_rule<optim::Adam>(optim::AdamOptions{.lr = 0.05, .beta1 = 0.9, .beta2 = 0.999, .weight_decay = 0.01},
                           adam_reference(0.05, 0.9, 0.999, 1e-8, 0.01, false));
}

TEST(Optim, AdamDecoupledWeightDecay) {
  expect_rule<optim::Adam>(
      optim::AdamOptions{.lr = 0.05, .beta1 = 0.8, .beta2 = 0.99, .weight_decay = 0.1, .decoupled_weight_decay = true},
      adam_reference(0.05, 0.8, 0.99, 1e-8, 0.1, true));
}

TEST(Optim, NAdam) {
  expect_rule<optim::NAdam>(optim::NAdamOptions{.lr = 0.05, .weight_decay = 0.01, .momentum_decay = 4e-3},
                            nadam_reference(0.05, 0.9, 0.999, 1e-8, 0.01, 4e-3));
}

// ---- Parameters and state ---------------------------------------------------------------------------------

TEST(Optim, UpdatesInPlaceSoViewsSeeTheNewValues) {
  Tensor x = vector_tensor(kStart, Dtype::f32, true);
  const Tensor view = x.reshape({2, 2});
  optim::SGD sgd({x}, {.lr = 0.5});
  x.set_grad(vector_tensor({1.0, 1.0, 1.0, 1.0}, Dtype::f32));
  const uint64_t version = x.version();
  sgd.step();
  EXPECT_GT(x.version(), version);
  EXPECT_EQ(view.to_vector<double>(), (Vec{0.5, -2.5, 0.0, 2.5}));
  EXPECT_TRUE(x.requires_grad());
  EXPECT_TRUE(x.is_leaf());
  sgd.zero_grad();
  EXPECT_FALSE(x.grad().defined());
}

TEST(Optim, ParametersWithoutGradientAreSkippedAndKeepTheirOwnStepCount) {
  Tensor a = vector_tensor({1.0, 2.0}, Dtype::f32, true);
  Tensor b = vector_tensor({3.0, 4.0}, Dtype::f32, true);
  optim::Adam adam({a, b}, {.lr = 0.1});
  a.set_grad(vector_tensor({1.0, -1.0}, Dtype::f32));
  adam.step();
  adam.step();
  EXPECT_EQ(adam.step_count(0), 2);
  EXPECT_EQ(adam.step_count(1), 0);
  EXPECT_EQ(b.to_vector<double>(), (Vec{3.0, 4.0}));
  // b's first update is a first Adam step (bias correction at t = 1): exactly lr·sign(g) up to eps.
  adam.zero_grad();
  b.set_grad(vector_tensor({0.5, -2.0}, Dtype::f32));
  adam.step();
  EXPECT_EQ(adam.step_count(0), 2);
  EXPECT_EQ(adam.step_count(1), 1);
  const Vec got = b.to_vector<double>();
  EXPECT_NEAR(got[0], 2.9, 1e-6);
  EXPECT_NEAR(got[1], 4.1, 1e-6);
}

TEST(Optim, ScheduledLearningRateDrivesTheUpdates) {
  Tensor x = vector_tensor(kStart, Dtype::f32, true);
  optim::SGD sgd({x}, {.lr = 0.2, .momentum = 0.5});
  optim::StepLR schedule(sgd, {.step_size = 2, .gamma = 0.5});
  Vec p = kStart;
  Vec buffer(p.size());
  for (int step = 0; step < kSteps; ++step) {
    const Vec g = fixed_gradient(step);
    sgd.zero_grad();
    x.set_grad(vector_tensor(g, Dtype::f32));
    sgd.step();
    const double lr = 0.2 * std::pow(0.5, step / 2);
    for (size_t i = 0; i < p.size(); ++i) {
      buffer[i] = step == 0 ? g[i] : 0.5 * buffer[i] + g[i];
      p[i] -= lr * buffer[i];
    }
    schedule.step();
    const Vec got = x.to_vector<double>();
    for (size_t i = 0; i < p.size(); ++i) EXPECT_NEAR(got[i], p[i], 2e-5 * std::max(1.0, std::abs(p[i])));
  }
}

// ---- Schedules --------------------------------------------------------------------------------------------

TEST(OptimSchedule, StepLR) {
  const Tensor x = vector_tensor(kStart, Dtype::f32, true);
  optim::SGD sgd({x}, {.lr = 0.1});
  optim::StepLR schedule(sgd, {.step_size = 3, .gamma = 0.5});
  for (int epoch = 0; epoch <= 10; ++epoch) {
    EXPECT_EQ(schedule.epoch(), epoch);
    EXPECT_DOUBLE_EQ(sgd.lr(), 0.1 * std::pow(0.5, epoch / 3)) << "epoch " << epoch;
    schedule.step();
  }
}

TEST(OptimSchedule, CosineAnnealingLR) {
  const Tensor x = vector_tensor(kStart, Dtype::f32, true);
  optim::Adam adam({x}, {.lr = 0.1});
  optim::CosineAnnealingLR schedule(adam, {.t_max = 10, .eta_min = 0.001});
  for (int epoch = 0; epoch <= 10; ++epoch) {
    const double expected = 0.001 + (0.1 - 0.001) * (1.0 + std::cos(std::numbers::pi * epoch / 10.0)) / 2.0;
    EXPECT_NEAR(adam.lr(), expected, 1e-15) << "epoch " << epoch;
    schedule.step();
  }
  EXPECT_DOUBLE_EQ(schedule.lr_at(10), 0.001);
  EXPECT_DOUBLE_EQ(schedule.lr_at(5), 0.001 + (0.1 - 0.001) / 2.0);
  EXPECT_DOUBLE_EQ(schedule.base_lr(), 0.1);
}

// ---- Errors -----------------------------------------------------------------------------------------------

template <class F>
void expect_invalid(F&& make, const std::string& needle) {
  try {
    make();
    ADD_FAILURE() << "no error; expected one naming \"" << needle << "\"";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), KEEL_STATUS_INVALID_ARGUMENT) << error.what();
    EXPECT_NE(std::string(error.what()).find(needle), std::string::npos) << error.what();
  }
}

TEST(Optim, InvalidArgumentsNameTheArgument) {
  const Tensor x = vector_tensor(kStart, Dtype::f32, true);
  expect_invalid([&] { optim::SGD({x}, {.lr = -0.1}); }, "SGD: lr must be >= 0");
  expect_invalid([&] { optim::SGD({x}, {.lr = std::nan("")}); }, "SGD: lr");
  expect_invalid([&] { optim::SGD({x}, {.lr = 0.1, .momentum = -0.5}); }, "SGD: momentum");
  expect_invalid([&] { optim::SGD({x}, {.lr = 0.1, .nesterov = true}); }, "SGD: momentum must be > 0 with nesterov");
  expect_invalid([&] { optim::SGD({x}, {.lr = 0.1, .momentum = 0.9, .dampening = 0.1, .nesterov = true}); },
                 "SGD: dampening");
  expect_invalid([&] { optim::SGD({x}, {.lr = 0.1, .weight_decay = -1.0}); }, "SGD: weight_decay");
  expect_invalid([&] { optim::Adagrad({x}, {.lr = -1.0}); }, "Adagrad: lr");
  expect_invalid([&] { optim::Adagrad({x}, {.lr_decay = -1.0}); }, "Adagrad: lr_decay");
  expect_invalid([&] { optim::Adadelta({x}, {.rho = 1.5}); }, "Adadelta: rho must be in [0, 1]");
  expect_invalid([&] { optim::Adam({x}, {.lr = -1e-3}); }, "Adam: lr");
  expect_invalid([&] { optim::Adam({x}, {.beta1 = 1.0}); }, "Adam: beta1 must be in [0, 1) (got 1)");
  expect_invalid([&] { optim::Adam({x}, {.beta2 = -0.1}); }, "Adam: beta2");
  expect_invalid([&] { optim::Adam({x}, {.eps = -1.0}); }, "Adam: eps");
  expect_invalid([&] { optim::NAdam({x}, {.beta1 = 1.5}); }, "NAdam: beta1");
  expect_invalid([&] { optim::NAdam({x}, {.beta2 = 1.0}); }, "NAdam: beta2");
  expect_invalid([&] { optim::NAdam({x}, {.momentum_decay = -1.0}); }, "NAdam: momentum_decay");
}

TEST(Optim, InvalidParametersAndSchedules) {
  Tensor x = vector_tensor(kStart, Dtype::f32, true);
  expect_invalid([&] { optim::Adam({}, {}); }, "Adam: the parameter list is empty");
  expect_invalid([&] { optim::SGD({x, Tensor()}, {.lr = 0.1}); }, "SGD: parameter 1");
  expect_invalid([&] { optim::SGD({x, zeros({2}), x}, {.lr = 0.1}); }, "SGD: parameter 2 appears twice");
  expect_invalid([&] { optim::SGD({tensor({1, 2}, {}, {.dtype = Dtype::i32})}, {.lr = 0.1}); }, "SGD: parameter 0");

  optim::SGD sgd({x}, {.lr = 0.1});
  expect_invalid([&] { sgd.set_lr(-1.0); }, "SGD: lr");
  EXPECT_EQ(sgd.lr(), 0.1);
  x.set_grad(zeros({3}));
  expect_invalid([&] { sgd.step(); }, "SGD: the gradient of parameter 0 has shape [3], not the parameter's [4]");
  EXPECT_EQ(sgd.step_count(0), 0);

  expect_invalid([&] { optim::StepLR(sgd, {.step_size = 0}); }, "StepLR: step_size must be >= 1");
  expect_invalid([&] { optim::StepLR(sgd, {.step_size = 1, .gamma = -0.5}); }, "StepLR: gamma");
  expect_invalid([&] { optim::CosineAnnealingLR(sgd, {.t_max = 0}); }, "CosineAnnealingLR: t_max must be >= 1");
  expect_invalid([&] { optim::CosineAnnealingLR(sgd, {.t_max = 5, .eta_min = -1.0}); }, "CosineAnnealingLR: eta_min");
  EXPECT_EQ(sgd.lr(), 0.1);  // a rejected schedule leaves the optimizer alone
}

}  // namespace
}  // namespace keel
