// gradcheck: the reverse- and forward-mode Jacobians against f64 central finite differences.
#include <cmath>
#include <sstream>

#include "keel/autograd.hpp"
#include "tensor/make.h"

namespace keel::autograd {
namespace {

struct Comparison {
  double worst = 0;
  std::string first_failure;
};

void compare(const std::vector<double>& analytical, const std::vector<double>& numerical, const GradcheckOptions& o,
             const std::string& what, int64_t columns, Comparison& c) {
  for (size_t i = 0; i < numerical.size(); ++i) {
    const double excess = std::fabs(analytical[i] - numerical[i]) - o.rtol * std::fabs(numerical[i]);
    c.worst = std::max(c.worst, excess);
    if ((excess > o.atol || std::isnan(analytical[i]) != std::isnan(numerical[i])) && c.first_failure.empty()) {
      std::ostringstream out;
      out << what << ": d output[" << static_cast<int64_t>(i) / columns << "] / d input[" << static_cast<int64_t>(i) % columns
          << "] is " << analytical[i] << ", finite differences give " << numerical[i];
      c.first_failure = out.str();
    }
  }
}

}  // namespace

GradcheckResult gradcheck(const FnN& f, std::span<const Tensor> inputs, const GradcheckOptions& options) {
  std::vector<Tensor> base;
  for (const Tensor& t : inputs) {
    if (t.defined() && t.dtype() != Dtype::f64) {
      detail::fail(KEEL_STATUS_INVALID_ARGUMENT, "gradcheck: inputs must be f64 (finite differences need the precision)");
    }
    base.push_back(t.defined() ? t.detach() : t);
  }
  Comparison c;
  for (size_t k = 0; k < base.size(); ++k) {
    if (!base[k].defined()) continue;
    const Tensor& x = base[k];
    const int64_t n = x.numel();
    auto f_k = [&](const Tensor& z) {
      std::vector<Tensor> args = base;
      args[k] = z;
      return f(args);
    };
    const std::vector<double> x0 = detail::to_doubles(x);
    const Shape shape(x.shape().begin(), x.shape().end());
    const TensorOptions on_x{.dtype = Dtype::f64, .device = x.device()};
    std::vector<std::vector<double>> columns;
    int64_t m = 0;
    for (int64_t e = 0; e < n; ++e) {
      std::vector<double> plus = x0, minus = x0;
      plus[static_cast<size_t>(e)] += options.eps;
      minus[static_cast<size_t>(e)] -= options.eps;
      NoGrad no_grad;
      const std::vector<double> yp = detail::to_doubles(f_k(tensor(plus, shape, on_x)));
      const std::vector<double> ym = detail::to_doubles(f_k(tensor(minus, shape, on_x)));
      m = static_cast<int64_t>(yp.size());
      std::vector<double> column(yp.size());
      for (size_t j = 0; j < yp.size(); ++j) column[j] = (yp[j] - ym[j]) / (2 * options.eps);
      columns.push_back(std::move(column));
    }
    std::vector<double> numerical(static_cast<size_t>(m * n));
    for (int64_t e = 0; e < n; ++e) {
      for (int64_t j = 0; j < m; ++j) numerical[static_cast<size_t>(j * n + e)] = columns[static_cast<size_t>(e)][static_cast<size_t>(j)];
    }
    const std::string input = "input " + std::to_string(k);
    compare(detail::to_doubles(jacobian(f_k, x, Mode::reverse)), numerical, options, input + " (reverse mode)", n, c);
    if (options.check_forward) {
      compare(detail::to_doubles(jacobian(f_k, x, Mode::forward)), numerical, options, input + " (forward mode)", n, c);
    }
  }
  return {c.first_failure.empty(), c.worst, c.first_failure};
}

}  // namespace keel::autograd
