// Matmul 1024^3 in f32 through Keel on the OpenCL device, beside the CPU plugins built in this tree (the
// oneDNN plugin when it exists, the reference plugin otherwise), in GFLOP/s.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "session.h"

namespace keel::bench {
namespace {

constexpr int64_t kSize = 1024;

void run_matmul(benchmark::State& state, const char* plugin) {
  static std::map<std::string, std::unique_ptr<Session>> sessions;
  std::unique_ptr<Session>& session = sessions[plugin];
  if (!session) session = std::make_unique<Session>(plugin);
  if (!session->available()) {
    state.SkipWithError((std::string(plugin) + " has no device: " + session->why_unavailable()).c_str());
    return;
  }
  const Tensor a(*session, {kSize, kSize}, 0.5f);
  const Tensor b(*session, {kSize, kSize}, 0.25f);
  const Tensor y(*session, {kSize, kSize}, 0.0f);
  enqueue(*session, "matmul", nullptr, {&a, &b}, {&y});
  synchronize(*session);
  for (auto _ : state) {
    enqueue(*session, "matmul", nullptr, {&a, &b}, {&y});
    synchronize(*session);
  }
  state.counters["GFLOP/s"] = benchmark::Counter(2.0 * kSize * kSize * kSize * static_cast<double>(state.iterations()) / 1e9,
                                                 benchmark::Counter::kIsRate);
}

void BM_matmul_opencl(benchmark::State& state) { run_matmul(state, "opencl"); }
void BM_matmul_cpu_plugin(benchmark::State& state) {
  const bool onednn = std::filesystem::exists(std::string(KEEL_BENCH_PLUGIN_DIR) + "/libkeel_onednn.so");
  state.SetLabel(onednn ? "onednn" : "reference");
  run_matmul(state, onednn ? "onednn" : "reference");
}

BENCHMARK(BM_matmul_opencl)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(1.0);
BENCHMARK(BM_matmul_cpu_plugin)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1)->Repetitions(1);

}  // namespace
}  // namespace keel::bench
