// Plugin load time: keel_runtime_create with only the oneDNN plugin (discovery, dlopen of the plugin and
// libdnnl, probe, init: device and kernel registration). Measured in fresh processes, since the first
// dlopen of libdnnl dominates and happens once per process: each iteration runs `bench_onednn_probe load`
// (which links libkeel but not libdnnl), the child times one runtime creation and prints it, and the parent
// records that as the iteration's time. The warm variant creates further runtimes in this process, where
// libdnnl is already mapped.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "keel_session.h"

namespace keel::bench {

namespace {

// bench_onednn_probe sits next to this binary.
std::string probe_path() {
  char path[4096];
  const ssize_t length = readlink("/proc/self/exe", path, sizeof path - 1);
  if (length <= 0) return "bench_onednn_probe";
  path[length] = '\0';
  std::string self = path;
  return self.substr(0, self.rfind('/') + 1) + "bench_onednn_probe";
}

void BM_PluginLoad_FreshProcess(benchmark::State& state) {
  const std::string command = "'" + probe_path() + "' load";
  double total_ms = 0;
  double total_loader_ms = 0;
  for (auto _ : state) {
    FILE* child = popen(command.c_str(), "r");
    long long wall = -1, loader = -1;
    const int read = child != nullptr ? std::fscanf(child, "%lld %lld", &wall, &loader) : 0;
    if (child == nullptr || pclose(child) != 0 || read != 2 || wall < 0) {
      state.SkipWithError("the child process failed");
      return;
    }
    state.SetIterationTime(static_cast<double>(wall) * 1e-9);
    total_ms += static_cast<double>(wall) * 1e-6;
    total_loader_ms += static_cast<double>(loader) * 1e-6;
  }
  state.counters["load_ms"] = total_ms / static_cast<double>(state.iterations());
  state.counters["loader_ms"] = total_loader_ms / static_cast<double>(state.iterations());
}

void BM_PluginLoad_Warm(benchmark::State& state) {
  double total_ms = 0;
  for (auto _ : state) {
    int64_t loader_ns = 0;
    total_ms += static_cast<double>(time_runtime_create(&loader_ns)) * 1e-6;
  }
  state.counters["load_ms"] = total_ms / static_cast<double>(state.iterations());
}

BENCHMARK(BM_PluginLoad_FreshProcess)->UseManualTime()->Iterations(15)->Unit(benchmark::kMillisecond)
    ->Repetitions(3)->ReportAggregatesOnly(true);
BENCHMARK(BM_PluginLoad_Warm)->UseRealTime()->Unit(benchmark::kMillisecond)->Repetitions(3)->ReportAggregatesOnly(true);

}  // namespace
}  // namespace keel::bench
