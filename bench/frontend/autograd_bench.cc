// Small autograd graphs, forward while recording plus the backward pass, per iteration:
//   BM_AutogradMulSum:    y = (a * b).sum() with a, b 1-element f32 leaves that require grad, then dy/da and
//                         dy/db: the exact graph of the libtorch anchor (2 recorded ops, 2 backward Nodes plus
//                         the 2 gradients returned).
//   BM_AutogradTanhLayer: y = sum(tanh(W·x + b) * v) with W, x, b, v all 8x8 f32 and W, b leaves that require
//                         grad, then dy/dW and dy/db: 5 recorded ops (matmul, add, tanh, mul, sum), whose
//                         backward evaluates the VJP formulas (expand, mul, 1 - t², the add's pass-through and
//                         g·xᵀ for W). It has more and larger work than the anchor's graph.
// Gradients come from autograd::grad (as torch.autograd.grad), so nothing accumulates across iterations.
#include <benchmark/benchmark.h>

#include <cmath>

#include "keel/autograd.hpp"
#include "keel/ops.hpp"
#include "keel/tensor.hpp"
#include "session.h"

namespace keel::bench {
namespace {

void BM_AutogradMulSum(benchmark::State& state, const char* device_name) {
  std::string why;
  const std::optional<Device> dev = find_device(device_name, why);
  if (!dev) {
    state.SkipWithError(why.c_str());
    return;
  }
  const Tensor a = full({1}, 3.0, {.device = dev, .requires_grad = true});
  const Tensor b = full({1}, -2.0, {.device = dev, .requires_grad = true});
  const Tensor leaves[] = {a, b};
  std::vector<Tensor> g;
  for (auto _ : state) {
    const Tensor outputs[] = {(a * b).sum()};
    g = autograd::grad(outputs, leaves);
    benchmark::DoNotOptimize(g.data());
  }
  synchronize(*dev);
  if (g[0].item<double>() != -2.0 || g[1].item<double>() != 3.0) state.SkipWithError("d(ab)/da != b or d(ab)/db != a");
}
BENCHMARK_CAPTURE(BM_AutogradMulSum, reference, "reference:0");
BENCHMARK_CAPTURE(BM_AutogradMulSum, onednn, "onednn:0");

void BM_AutogradTanhLayer(benchmark::State& state, const char* device_name) {
  std::string why;
  const std::optional<Device> dev = find_device(device_name, why);
  if (!dev) {
    state.SkipWithError(why.c_str());
    return;
  }
  Generator gen(17);
  const TensorOptions options{.device = dev};
  const Tensor w = rand({8, 8}, gen, options, -0.5, 0.5).requires_grad_();
  const Tensor b = rand({8, 8}, gen, options, -0.5, 0.5).requires_grad_();
  const Tensor x = rand({8, 8}, gen, options, -1.0, 1.0);
  const Tensor v = rand({8, 8}, gen, options, -1.0, 1.0);
  const Tensor leaves[] = {w, b};
  std::vector<Tensor> g;
  for (auto _ : state) {
    const Tensor outputs[] = {(ops::tanh(ops::matmul(w, x) + b) * v).sum()};
    g = autograd::grad(outputs, leaves);
    benchmark::DoNotOptimize(g.data());
  }
  synchronize(*dev);
  // dy/db = v·(1 - tanh²(W·x + b)), checked in double on the host.
  const std::vector<double> wv = w.to_vector<double>(), xv = x.to_vector<double>(), bv = b.to_vector<double>();
  const std::vector<double> vv = v.to_vector<double>(), gb = g[1].to_vector<double>();
  for (size_t i = 0; i < 8; ++i) {
    for (size_t j = 0; j < 8; ++j) {
      double z = bv[i * 8 + j];
      for (size_t k = 0; k < 8; ++k) z += wv[i * 8 + k] * xv[k * 8 + j];
      const double t = std::tanh(z), want = vv[i * 8 + j] * (1 - t * t);
      if (std::fabs(gb[i * 8 + j] - want) > 1e-5) {
        state.SkipWithError("dy/db differs from v·(1 - tanh²(W·x + b))");
        return;
      }
    }
  }
}
BENCHMARK_CAPTURE(BM_AutogradTanhLayer, reference, "reference:0");
BENCHMARK_CAPTURE(BM_AutogradTanhLayer, onednn, "onednn:0");

}  // namespace
}  // namespace keel::bench
