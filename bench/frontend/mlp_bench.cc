// One training step of an MLP 784-1024-1024-10 (ReLU, f32, batch 256, softmax cross-entropy against class
// indices, plain SGD lr 0.01) on the oneDNN device: zero_grad, forward, backward, update, then wait for the
// device. About 2.45 GFLOP per step: 0.95 forward, 1.5 for the weight and hidden-input gradients (the batch
// input needs none), as in the anchor.
//
// Threads: the oneDNN plugin and oneDNN itself run on the process's one OpenMP pool on the calling thread, so
// omp_set_num_threads here sets both; the argument is that count. A kernel the plugin created (and cached)
// under another count may keep that count's split, so bench_frontend_run runs each count in its own process
// started with the same OMP_NUM_THREADS. "More threads never slower" compares the two rows.
#include <benchmark/benchmark.h>
#include <omp.h>

#include <chrono>
#include <cmath>
#include <vector>

#include "keel/autograd.hpp"
#include "keel/ops.hpp"
#include "keel/optim.hpp"
#include "keel/tensor.hpp"
#include "session.h"

namespace keel::bench {
namespace {

constexpr int64_t kBatch = 256;
constexpr int64_t kWidths[] = {784, 1024, 1024, 10};
constexpr double kFlopsPerStep = 2.0 * kBatch * (784 * 1024 + 1024 * 1024 + 1024 * 10) * 3 - 2.0 * kBatch * 784 * 1024;

struct Mlp {
  std::vector<Tensor> params;  // W0, b0, W1, b1, W2, b2; W is [in, out]

  Mlp(const Device& dev, Generator& gen) {
    for (size_t l = 0; l + 1 < std::size(kWidths); ++l) {
      const double bound = 1.0 / std::sqrt(double(kWidths[l]));  // PyTorch's nn.Linear initialization
      params.push_back(rand({kWidths[l], kWidths[l + 1]}, gen, {.device = dev}, -bound, bound).requires_grad_());
      params.push_back(rand({kWidths[l + 1]}, gen, {.device = dev}, -bound, bound).requires_grad_());
    }
  }
  Tensor loss(const Tensor& x, const Tensor& target) const {
    Tensor h = x;
    for (size_t l = 0; l < params.size(); l += 2) {
      h = ops::matmul(h, params[l]) + params[l + 1];
      if (l + 2 < params.size()) h = ops::relu(h);
    }
    return ops::cross_entropy(h, target);
  }
};

class ThreadCount {
 public:
  explicit ThreadCount(int threads) : previous_(omp_get_max_threads()) { omp_set_num_threads(threads); }
  ~ThreadCount() { omp_set_num_threads(previous_); }
  ThreadCount(const ThreadCount&) = delete;
  ThreadCount& operator=(const ThreadCount&) = delete;

 private:
  int previous_;
};

void BM_MlpSgdStep(benchmark::State& state) {
  std::string why;
  const std::optional<Device> dev = find_device("onednn:0", why);
  if (!dev) {
    state.SkipWithError(("the MLP step needs the oneDNN device: " + why).c_str());
    return;
  }
  const ThreadCount threads(static_cast<int>(state.range(0)));
  Generator gen(2024);
  Mlp mlp(*dev, gen);
  const Tensor x = rand({kBatch, kWidths[0]}, gen, {.device = dev});
  std::vector<int64_t> labels(kBatch);
  for (int64_t i = 0; i < kBatch; ++i) labels[size_t(i)] = (i * 7) % kWidths[3];
  const Tensor target = from_vector(labels, {kBatch}, {.device = dev});
  optim::SGD sgd(mlp.params, {.lr = 0.01});
  double first = std::nan(""), last = std::nan("");
  // Where the time goes: wall milliseconds per phase, averaged over the iterations (each phase ends with the
  // device idle, so the split is exact; the clock reads cost well under a microsecond).
  using Clock = std::chrono::steady_clock;
  double phase_ms[3] = {0, 0, 0};  // forward (with zero_grad), backward, update
  auto add_phase = [&](int phase, Clock::time_point& since) {
    synchronize(*dev);
    const Clock::time_point now = Clock::now();
    phase_ms[phase] += std::chrono::duration<double, std::milli>(now - since).count();
    since = now;
  };
  for (auto _ : state) {
    Clock::time_point t = Clock::now();
    sgd.zero_grad();
    Tensor loss = mlp.loss(x, target);
    add_phase(0, t);
    loss.backward();
    add_phase(1, t);
    sgd.step();
    add_phase(2, t);
    state.PauseTiming();
    last = loss.item<double>();
    if (std::isnan(first)) first = last;
    state.ResumeTiming();
  }
  const char* names[] = {"fwd_ms", "bwd_ms", "sgd_ms"};
  for (int p = 0; p < 3; ++p)
    state.counters[names[p]] = benchmark::Counter(phase_ms[p], benchmark::Counter::kAvgIterations);
  state.counters["FLOP/s"] = benchmark::Counter(kFlopsPerStep, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["threads"] = double(omp_get_max_threads());
  // SGD on a fixed batch lowers the loss: a check that the step trains at all.
  if (!std::isfinite(last) || (state.iterations() > 1 && last >= first))
    state.SkipWithError("the loss did not decrease");
}
BENCHMARK(BM_MlpSgdStep)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace keel::bench
