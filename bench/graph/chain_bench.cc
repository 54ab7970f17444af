// The fused elementwise chain against the same chain one call at a time, on each CPU device present.
//
// The chain (8 calls, f32, 16 M elements, inputs x and y), the cheap arithmetic of bias/scale/activation
// epilogues, so that it is bound by memory traffic (what fusion removes), not by the math of each call:
//   minimum(maximum(relu(neg(abs(sub(mul(add(x, y), x), y)))), y), x)
// Unfused, every call is its own node: 8 passes over memory, each reading one or two 64 MiB tensors and
// writing one (what eager dispatch does). Fused (passes/fuse_elementwise.h), the executor runs the whole
// chain tile by tile, so x and y are read once and the result written once. Target: fused >= 4x faster.
// x and y are constants of the graph (the executor keeps them on the device between runs) and the chain ends
// in a reduce_sum to one element, so a run moves no tensor between host and device: both variants pay that
// one extra pass, and the ratio printed at the end compares device work only.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bench_runtime.h"
#include "graph/exec/executor.h"
#include "graph/passes/fuse_elementwise.h"
#include "graph/validate/validator.h"

namespace keel::graph {
namespace {

constexpr int64_t kElements = int64_t{16} << 20;

std::vector<HostTensor> chain_inputs() {
  std::vector<HostTensor> inputs;
  for (double phase : {0.0, 1.0}) {
    HostTensor t(KEEL_DTYPE_F32, {kElements});
    float* data = t.as<float>();
    for (int64_t i = 0; i < kElements; ++i) data[i] = static_cast<float>(std::sin(0.001 * static_cast<double>(i) + phase));
    inputs.push_back(std::move(t));
  }
  return inputs;
}

Graph chain_graph() {
  Graph g;
  g.name = "chain8";
  const std::vector<int64_t> shape = {kElements};
  std::vector<HostTensor> data = chain_inputs();
  const ValueId x = g.add_constant("x", std::move(data[0]));
  const ValueId y = g.add_constant("y", std::move(data[1]));
  auto call = [&g](const char* op, std::vector<ValueId> inputs) {
    return g.nodes[static_cast<size_t>(g.add_op(op, std::move(inputs), {}))].outputs[0];
  };
  ValueId v = call("add", {x, y});
  v = call("mul", {v, x});
  v = call("sub", {v, y});
  v = call("abs", {v});
  v = call("neg", {v});
  v = call("relu", {v});
  v = call("maximum", {v, y});
  v = call("minimum", {v, x});
  g.outputs = {call("reduce_sum", {v})};
  validate(g);
  return g;
}

// Mean real time per iteration of each benchmark, for the ratio table.
std::map<std::string, double>& times_ms() {
  static std::map<std::string, double> table;
  return table;
}

// The time of the benchmark whose name starts with `prefix` followed by '/' or the end.
std::optional<double> time_of(const std::string& prefix) {
  for (const auto& [name, ms] : times_ms()) {
    if (name.rfind(prefix, 0) == 0 && (name.size() == prefix.size() || name[prefix.size()] == '/')) return ms;
  }
  return std::nullopt;
}

class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (!run.error_occurred && run.iterations > 0) times_ms()[run.benchmark_name()] = run.GetAdjustedRealTime();
    }
  }
};

void run_chain(benchmark::State& state, const std::string& device, bool fused) {
  if (!has_device(device)) {
    state.SkipWithError((device + " is not available in this build").c_str());
    return;
  }
  Graph graph = chain_graph();
  if (fused) fuse_elementwise_chains(graph);
  ExecutorOptions options;
  options.device = device;
  options.profile = false;
  options.log = [](const std::string&) {};
  Executor executor(runtime(), std::move(graph), options);
  executor.run({});  // the first run uploads the constants and builds the kernels
  for (auto _ : state) {
    benchmark::DoNotOptimize(executor.run({}));
  }
  state.SetBytesProcessed(state.iterations() * kElements * 3 * static_cast<int64_t>(sizeof(float)));
}

}  // namespace
}  // namespace keel::graph

int main(int argc, char** argv) {
  using keel::graph::run_chain;
  for (const char* device : {"reference:0", "onednn:0"}) {
    for (bool fused : {false, true}) {
      const std::string name = std::string("Chain8/") + device + (fused ? "/fused" : "/unfused");
      benchmark::RegisterBenchmark(name.c_str(), [device, fused](benchmark::State& state) { run_chain(state, device, fused); })
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime()
          ->MinTime(2.0);
    }
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  keel::graph::RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  std::printf("\nfused elementwise chain (8 calls, 16 M f32) vs one call per operator; target >= 4.0x\n");
  for (const char* device : {"reference:0", "onednn:0"}) {
    const auto unfused = keel::graph::time_of(std::string("Chain8/") + device + "/unfused");
    const auto fused = keel::graph::time_of(std::string("Chain8/") + device + "/fused");
    if (!unfused || !fused) {
      std::printf("  %-12s  not measured (device absent)\n", device);
      continue;
    }
    const double ratio = *unfused / *fused;
    std::printf("  %-12s  unfused %8.2f ms  fused %8.2f ms  speed-up %.2fx  %s\n", device, *unfused, *fused, ratio, ratio >= 4.0 ? "met" : "MISSED");
  }
  return 0;
}
