// Gradient checks of the whole operator spec through the front end. For every operator the spec differentiates
// and every sample of it (f64 data from the sample's value domains, kept away from non-differentiable points):
//   first order:  the reverse-mode gradient of f(x) = Σ_k <w_k, y_k> (random weights w over the float outputs)
//                 against central finite differences per input element, and the forward-mode derivative along
//                 a random direction against the finite difference along it;
//   second order: H·u for a random u, by reverse over reverse (grad of grad) and by forward over reverse,
//                 against central finite differences of the gradient.
// The expected values come only from evaluating the operators themselves (finite differences), never from the
// formulas under test. Samples the spec leaves without derivatives (GradCase::skip) are printed with the reason
// and not checked; an operator needs at least one checked sample (SpecGradientCoverage).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <map>
#include <random>
#include <string>

#include "keel/autograd.hpp"
#include "keel/ops.hpp"
#include "grad_cases.h"

namespace keel::testing {
namespace {

using spec_grad::GradCase;
using spec_grad::float_outputs;
using spec_grad::gradient_ops;
using spec_grad::grad_cases;
using spec_grad::like;
using spec_grad::shifted;

constexpr double kEps = 1e-6;
constexpr double kEps2 = 1e-5;  // second order: finite differences of the gradient

// Operators whose second derivative the spec makes an error: their VJP formulas call div with rounding trunc
// or floor, whose gradient `requires: {rounding: none}`. The test checks that grad of grad raises that error.
const std::map<std::string, std::string> kSecondOrderErrors = {
    {"fmod", "rounding=none"},
    {"remainder", "rounding=none"},
};

// Prints a case's note and, when the spec leaves the case without derivatives, why (then returns true).
bool skipped(const std::string& op, const GradCase& c, std::vector<std::string>& reasons) {
  if (!c.note.empty()) std::cout << "[   NOTE   ] " << op << " " << c.text << ": " << c.note << "\n";
  if (c.skip.empty()) return false;
  reasons.push_back(c.text + ": " + c.skip);
  std::cout << "[   NOTE   ] " << op << " " << c.text << ": not checked: " << c.skip << "\n";
  return true;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += "\n  " + line;
  return text;
}

std::vector<double> host(const Tensor& t) { return t.to_vector<double>(); }

std::vector<double> random_values(size_t n, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  std::vector<double> v(n);
  for (double& x : v) x = u(rng);
  return v;
}

// f(x) = Σ_k <w_k, y_k> over the case's differentiated inputs x (the others fixed).
struct Objective {
  std::string op;
  const GradCase* c;
  std::vector<Tensor> weights;

  Objective(std::string name, const GradCase& gc, std::mt19937_64& rng) : op(std::move(name)), c(&gc) {
    for (const Tensor& y : float_outputs(op, gc, gc.inputs)) weights.push_back(like(y, random_values(size_t(y.numel()), rng)));
  }
  std::vector<Tensor> x0() const {
    std::vector<Tensor> x;
    for (size_t i : c->wrt) x.push_back(c->inputs[i]);
    return x;
  }
  Tensor operator()(std::span<const Tensor> x) const {
    std::vector<Tensor> inputs = c->inputs;
    for (size_t k = 0; k < c->wrt.size(); ++k) inputs[c->wrt[k]] = x[k];
    std::vector<Tensor> ys = float_outputs(op, *c, inputs);
    Tensor total;
    for (size_t k = 0; k < ys.size(); ++k) {
      Tensor term = (ys[k] * weights[k]).sum();
      total = total.defined() ? total + term : term;
    }
    return total;
  }
};

double value(const Objective& f, const std::vector<Tensor>& x) {
  autograd::NoGrad no_grad;
  return f(x).item<double>();
}

std::vector<double> flat_gradient(const Objective& f, const std::vector<Tensor>& x) {
  std::vector<double> flat;
  for (const Tensor& g : autograd::grad(autograd::FnN(std::cref(f)), x)) {
    std::vector<double> v = host(g);
    flat.insert(flat.end(), v.begin(), v.end());
  }
  return flat;
}

void expect_close(double actual, double expected, double atol, double rtol, const std::string& what) {
  EXPECT_LE(std::fabs(actual - expected), atol + rtol * std::fabs(expected))
      << what << ": got " << actual << ", finite differences give " << expected;
}

class SpecGradient : public ::testing::TestWithParam<std::string> {};

TEST_P(SpecGradient, FirstOrder) {
  const std::string op = GetParam();
  const std::vector<GradCase> cases = grad_cases(op, 1234);
  ASSERT_FALSE(cases.empty()) << op << " has no sample with something to differentiate";
  std::mt19937_64 rng(99);
  std::vector<std::string> reasons;
  for (const GradCase& c : cases) {
    if (skipped(op, c, reasons)) continue;
    SCOPED_TRACE(op + " " + c.text);
    const Objective f(op, c, rng);
    const std::vector<Tensor> x = f.x0();
    // Reverse mode, element by element.
    const std::vector<Tensor> g = autograd::grad(autograd::FnN(std::cref(f)), x);
    for (size_t k = 0; k < x.size(); ++k) {
      const std::vector<double> analytical = host(g[k]);
      for (size_t e = 0; e < analytical.size(); ++e) {
        std::vector<std::vector<double>> d(x.size());
        for (size_t j = 0; j < x.size(); ++j) d[j].assign(size_t(x[j].numel()), 0.0);
        d[k][e] = 1.0;
        const double fd = (value(f, shifted(x, d, kEps)) - value(f, shifted(x, d, -kEps))) / (2 * kEps);
        expect_close(analytical[e], fd, 1e-5, 1e-4, "vjp, input " + std::to_string(c.wrt[k]) + " element " + std::to_string(e));
      }
    }
    // Forward mode along a random direction.
    std::vector<std::vector<double>> d;
    std::vector<Tensor> v;
    for (const Tensor& t : x) {
      d.push_back(random_values(size_t(t.numel()), rng));
      v.push_back(like(t, d.back()));
    }
    const double tangent = autograd::jvp(autograd::FnN(std::cref(f)), x, v).second.item<double>();
    const double fd = (value(f, shifted(x, d, kEps)) - value(f, shifted(x, d, -kEps))) / (2 * kEps);
    expect_close(tangent, fd, 1e-5, 1e-4, "jvp");
  }
  if (reasons.size() == cases.size()) GTEST_SKIP() << "no sample of " << op << " has derivatives:" << joined(reasons);
}

TEST_P(SpecGradient, SecondOrder) {
  const std::string op = GetParam();
  const std::vector<GradCase> cases = grad_cases(op, 4321);
  ASSERT_FALSE(cases.empty()) << op << " has no sample with something to differentiate";
  std::mt19937_64 rng(7);
  const auto waived = kSecondOrderErrors.find(op);
  std::vector<std::string> reasons;
  for (const GradCase& c : cases) {
    if (skipped(op, c, reasons)) continue;
    SCOPED_TRACE(op + " " + c.text);
    const Objective f(op, c, rng);
    const std::vector<Tensor> x = f.x0();
    std::vector<std::vector<double>> u;
    for (const Tensor& t : x) u.push_back(random_values(size_t(t.numel()), rng));
    std::vector<Tensor> leaves, directions;
    for (size_t k = 0; k < x.size(); ++k) {
      leaves.push_back(x[k].detach().requires_grad_());
      directions.push_back(like(x[k], u[k]));
    }
    // Reverse over reverse: the gradient of <u, ∇f>.
    auto reverse_over_reverse = [&] {
      const Tensor y = f(leaves);
      const Tensor outputs[] = {y};
      std::vector<Tensor> g;  // f does not depend on x (outputs empty but for constants): H = 0
      if (y.requires_grad()) g = autograd::grad(outputs, leaves, {}, {.create_graph = true, .allow_unused = true});
      Tensor s;
      for (size_t k = 0; k < g.size(); ++k) {
        if (!g[k].defined()) continue;
        Tensor term = (g[k] * directions[k]).sum();
        s = s.defined() ? s + term : term;
      }
      std::vector<double> hu;
      const Tensor roots[] = {s};
      std::vector<Tensor> h;
      if (s.defined() && s.requires_grad()) h = autograd::grad(roots, leaves, {}, {.allow_unused = true});
      for (size_t k = 0; k < leaves.size(); ++k) {
        std::vector<double> v = k < h.size() && h[k].defined() ? host(h[k]) : std::vector<double>(size_t(x[k].numel()), 0.0);
        hu.insert(hu.end(), v.begin(), v.end());
      }
      return hu;
    };
    // Forward over reverse: the tangent of ∇f along u.
    auto forward_over_reverse = [&] {
      autograd::FnN flat_grad = [&](std::span<const Tensor> z) {
        std::vector<Tensor> pieces;
        for (const Tensor& g : autograd::grad(autograd::FnN(std::cref(f)), z)) pieces.push_back(g.reshape({-1}));
        return ops::concat(pieces);
      };
      return host(autograd::jvp(flat_grad, x, directions).second);
    };
    if (waived != kSecondOrderErrors.end()) {
      try {
        reverse_over_reverse();
        ADD_FAILURE() << "expected grad of grad to raise (" << waived->second << "); update kSecondOrderErrors";
      } catch (const Error& e) {
        EXPECT_EQ(e.code(), KEEL_STATUS_FAILED_PRECONDITION);
        EXPECT_NE(std::string(e.what()).find(waived->second), std::string::npos) << e.what();
      }
      continue;
    }
    const std::vector<double> plus = flat_gradient(f, shifted(x, u, kEps2));
    const std::vector<double> minus = flat_gradient(f, shifted(x, u, -kEps2));
    const std::vector<double> rr = reverse_over_reverse();
    const std::vector<double> fr = forward_over_reverse();
    ASSERT_EQ(rr.size(), plus.size());
    ASSERT_EQ(fr.size(), plus.size());
    for (size_t e = 0; e < plus.size(); ++e) {
      const double fd = (plus[e] - minus[e]) / (2 * kEps2);
      expect_close(rr[e], fd, 1e-4, 1e-3, "H·u by grad of grad, element " + std::to_string(e));
      expect_close(fr[e], fd, 1e-4, 1e-3, "H·u by forward over reverse, element " + std::to_string(e));
    }
  }
  if (reasons.size() == cases.size()) GTEST_SKIP() << "no sample of " << op << " has derivatives:" << joined(reasons);
}

std::string param_name(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

INSTANTIATE_TEST_SUITE_P(Spec, SpecGradient, ::testing::ValuesIn(gradient_ops()), param_name);

// Every operator the spec differentiates gets both checks above, with at least one sample that has something
// to differentiate; an operator added to the spec without such a sample fails here.
TEST(SpecGradientCoverage, EveryDifferentiableOperatorIsChecked) {
  std::vector<std::string> ops = gradient_ops();
  EXPECT_GE(ops.size(), 80u);
  auto checked = [](const std::vector<GradCase>& cases) {
    return std::any_of(cases.begin(), cases.end(), [](const GradCase& c) { return c.skip.empty(); });
  };
  for (const std::string& op : ops) {
    EXPECT_TRUE(checked(grad_cases(op, 1234))) << op << ": no first-order check (no differentiable sample)";
    EXPECT_TRUE(checked(grad_cases(op, 4321))) << op << ": no second-order check";
  }
  for (const auto& [op, reason] : kSecondOrderErrors) {
    EXPECT_NE(std::find(ops.begin(), ops.end(), op), ops.end()) << "stale second-order entry " << op;
  }
}

}  // namespace
}  // namespace keel::testing
