#include "layers/autograd/autograd_layer.h"

#include <cmath>
#include <mutex>
#include <random>
#include <sstream>
#include <string>

#include "grad_cases.h"
#include "keel/autograd.hpp"
#include "keel/ops.hpp"
#include "layers/check.h"
#include "runner/worker_context.h"

namespace keel::conform {
namespace {

using spec_grad::GradCase;
using spec_grad::like;
using spec_grad::shifted;

constexpr uint64_t kCaseSeed = 1234;      // the samples' data (the front end's own checks use the same)
constexpr uint64_t kWeightSeed = 99;      // weights and directions
constexpr double kStep = 1e-6;            // central finite differences in f64
constexpr double kRelativeBound = 1.0 / 1024;
constexpr double kAbsoluteBound = 1e-6;

// The front end runs on the worker's own devices: its runtime loads nothing (no environment, no manifests)
// and its default device is the reference one, where the samples' f64 data lives.
void use_worker_devices(const WorkerContext& context) {
  static std::once_flag once;
  std::call_once(once, [&] {
    configure({.plugin_paths = {}, .use_env_path = false, .use_manifests = false});
    set_default_device(context.reference());
  });
}

std::vector<double> host(const Tensor& t) { return t.to_vector<double>(); }

// Values in [-1, 1] that f32 represents exactly, so both precisions use the same ones.
std::vector<double> random_values(size_t n, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  std::vector<double> v(n);
  for (double& x : v) x = static_cast<double>(static_cast<float>(u(rng)));
  return v;
}

// One call at two precisions: f64 on the reference device (the finite differences) and f32 on the device
// under test. The f64 inputs are the f32 ones widened, so both evaluate the same function at the same point.
struct Pair {
  std::string op;
  GradCase exact;   // f64, reference device
  GradCase tested;  // f32, device under test

  std::vector<Tensor> wrt(const GradCase& c) const {
    std::vector<Tensor> x;
    for (size_t i : c.wrt) x.push_back(c.inputs[i]);
    return x;
  }
  // The case's float outputs with the differentiated inputs replaced by `x`.
  std::vector<Tensor> outputs(const GradCase& c, std::span<const Tensor> x) const {
    std::vector<Tensor> inputs = c.inputs;
    for (size_t k = 0; k < c.wrt.size(); ++k) inputs[c.wrt[k]] = x[k];
    return spec_grad::float_outputs(op, c, inputs);
  }
};

Pair make_pair(const std::string& op, const GradCase& drawn, const WorkerContext& context) {
  Pair pair{op, {}, {}};
  pair.tested = spec_grad::converted(op, drawn, Dtype::f32, context.dut());
  pair.exact = spec_grad::converted(op, pair.tested, Dtype::f64, context.reference());
  return pair;
}

// Compares the plugin's derivatives with the finite differences, tensor by tensor; fails the case at the
// element furthest outside the bound. Returns the largest absolute error.
double compare(const std::vector<std::vector<double>>& tested, const std::vector<std::vector<double>>& fd,
               const std::string& what) {
  double worst_ratio = 0, worst_error = 0;
  std::string worst;
  for (size_t k = 0; k < fd.size(); ++k) {
    require(tested[k].size() == fd[k].size(), what + " " + std::to_string(k) + ": the plugin's derivative has " +
                                                  std::to_string(tested[k].size()) + " elements, expected " +
                                                  std::to_string(fd[k].size()));
    double mean = 0;
    for (double v : fd[k]) mean += std::fabs(v);
    mean /= static_cast<double>(std::max<size_t>(fd[k].size(), 1));
    for (size_t e = 0; e < fd[k].size(); ++e) {
      const double error = std::fabs(tested[k][e] - fd[k][e]);
      const double bound = kRelativeBound * (std::fabs(fd[k][e]) + mean) + kAbsoluteBound;
      worst_error = std::max(worst_error, std::isnan(error) ? INFINITY : error);
      const double ratio = std::isnan(error) ? INFINITY : error / bound;
      if (ratio > worst_ratio) {
        worst_ratio = ratio;
        std::ostringstream text;
        text.precision(9);
        text << what << " " << k << " element " << e << ": plugin " << tested[k][e] << ", finite differences "
             << fd[k][e] << " (bound " << bound << ")";
        worst = text.str();
      }
    }
  }
  require(worst_ratio <= 1, worst);
  return worst_error;
}

// Reverse mode: ∇ Σ_k <w_k, y_k> through the plugin against finite differences per input element.
double check_vjp(const Pair& pair, std::mt19937_64& rng) {
  std::vector<Tensor> exact_weights, tested_weights;
  for (const Tensor& y : pair.outputs(pair.exact, pair.wrt(pair.exact))) {
    exact_weights.push_back(like(y, random_values(size_t(y.numel()), rng)));
    tested_weights.push_back(exact_weights.back().to(Dtype::f32).to(pair.tested.inputs[pair.tested.wrt[0]].device()));
  }
  auto objective = [&pair](const GradCase& c, const std::vector<Tensor>& weights) {
    return autograd::FnN([&pair, &c, &weights](std::span<const Tensor> x) {
      std::vector<Tensor> ys = pair.outputs(c, x);
      Tensor total;
      for (size_t k = 0; k < ys.size(); ++k) {
        Tensor term = (ys[k] * weights[k]).sum();
        total = total.defined() ? total + term : term;
      }
      return total;
    });
  };
  const autograd::FnN exact = objective(pair.exact, exact_weights);
  const std::vector<Tensor> x = pair.wrt(pair.exact);
  std::vector<std::vector<double>> tested, fd;
  for (const Tensor& g : autograd::grad(objective(pair.tested, tested_weights), pair.wrt(pair.tested))) {
    tested.push_back(host(g));
  }
  autograd::NoGrad no_grad;
  for (size_t k = 0; k < x.size(); ++k) {
    fd.emplace_back(size_t(x[k].numel()));
    for (size_t e = 0; e < fd[k].size(); ++e) {
      std::vector<std::vector<double>> d(x.size());
      for (size_t j = 0; j < x.size(); ++j) d[j].assign(size_t(x[j].numel()), 0.0);
      d[k][e] = 1.0;
      fd[k][e] = (exact(shifted(x, d, kStep)).item<double>() - exact(shifted(x, d, -kStep)).item<double>()) / (2 * kStep);
    }
  }
  return compare(tested, fd, "gradient of input");
}

// Forward mode: the derivative of every float output along a random direction.
double check_jvp(const Pair& pair, std::mt19937_64& rng) {
  const std::vector<Tensor> x = pair.wrt(pair.exact);
  std::vector<std::vector<double>> d;
  std::vector<Tensor> tested_directions;
  const std::vector<Tensor> tested_x = pair.wrt(pair.tested);
  for (size_t k = 0; k < x.size(); ++k) {
    d.push_back(random_values(size_t(x[k].numel()), rng));
    tested_directions.push_back(like(tested_x[k], d.back()));
  }
  auto flat_outputs = [&pair](const GradCase& c) {
    return autograd::FnN([&pair, &c](std::span<const Tensor> z) {
      std::vector<Tensor> pieces;
      for (const Tensor& y : pair.outputs(c, z)) pieces.push_back(y.reshape({-1}));
      return ops::concat(pieces);
    });
  };
  const std::vector<std::vector<double>> tested = {
      host(autograd::jvp(flat_outputs(pair.tested), tested_x, tested_directions).second)};
  autograd::NoGrad no_grad;
  const autograd::FnN exact = flat_outputs(pair.exact);
  const std::vector<double> plus = host(exact(shifted(x, d, kStep)));
  const std::vector<double> minus = host(exact(shifted(x, d, -kStep)));
  std::vector<std::vector<double>> fd(1, std::vector<double>(plus.size()));
  for (size_t e = 0; e < plus.size(); ++e) fd[0][e] = (plus[e] - minus[e]) / (2 * kStep);
  return compare(tested, fd, "tangent of the outputs, flattened");
}

using Check = double (*)(const Pair&, std::mt19937_64&);

CaseResult run_check(WorkerContext& context, const CaseSpec& spec, Check check) {
  use_worker_devices(context);
  const std::string op = spec.op->name;
  std::mt19937_64 rng(kWeightSeed);
  CaseResult result;
  size_t checked = 0;
  double worst = 0;
  for (const GradCase& drawn : spec_grad::grad_cases(op, kCaseSeed, context.reference())) {
    if (!drawn.skip.empty()) continue;
    try {
      worst = std::max(worst, check(make_pair(op, drawn, context), rng));
    } catch (const CaseFailure& failure) {
      fail_case(op + " " + drawn.text + ": " + failure.reason);
    } catch (const Error& error) {
      if (error.code() == KEEL_STATUS_UNIMPLEMENTED) {
        return unsupported(op + " " + drawn.text + ": the derivative needs an f32 operator the plugin declines: " +
                           error.what());
      }
      fail_case(op + " " + drawn.text + ": " + error.what());
    }
    ++checked;
  }
  if (checked == 0) return unsupported("no sample of " + op + " has derivatives the spec defines at its points");
  result.max_abs_error = worst;
  return result;
}

CaseResult run_vjp(WorkerContext& context, const CaseSpec& spec) { return run_check(context, spec, check_vjp); }
CaseResult run_jvp(WorkerContext& context, const CaseSpec& spec) { return run_check(context, spec, check_jvp); }

}  // namespace

void add_autograd_cases(std::vector<CaseSpec>& cases) {
  for (const std::string& name : spec_grad::gradient_ops()) {
    const spec::OpSchema* op = spec::find_op(name);
    if (op == nullptr) continue;
    for (const auto& [mode, runner] : {std::pair{"vjp", &run_vjp}, std::pair{"jvp", &run_jvp}}) {
      CaseSpec spec;
      spec.id = "autograd." + name + ".f32." + mode;
      spec.layer = Layer::kAutograd;
      spec.profile = Profile::kCoreTraining;
      spec.quick = true;
      spec.run = runner;
      spec.op = op;
      spec.description = std::string(mode) + " of " + name + " in f32 through the plugin vs f64 finite differences";
      cases.push_back(std::move(spec));
    }
  }
}

}  // namespace keel::conform
