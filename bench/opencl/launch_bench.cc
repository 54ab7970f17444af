// Launch overhead: the cheapest operator call through the ABI (neg of one float) against the cheapest raw
// kernel (one work-item), each either synchronized every time or 1000 launches then one synchronization.
#include <benchmark/benchmark.h>

#include "raw_opencl.h"
#include "session.h"

namespace keel::bench {
namespace {

constexpr int kBatch = 1000;

Session& session() {
  static Session s("opencl");
  return s;
}

RawOpenCL& raw() {
  static RawOpenCL r;
  return r;
}

void BM_launch_keel_sync(benchmark::State& state) {
  if (!session().available()) {
    state.SkipWithError("no OpenCL device");
    return;
  }
  const Tensor x(session(), {1}, 1.0f);
  const Tensor y(session(), {1}, 0.0f);
  enqueue(session(), "neg", nullptr, {&x}, {&y});
  synchronize(session());
  for (auto _ : state) {
    enqueue(session(), "neg", nullptr, {&x}, {&y});
    synchronize(session());
  }
}

void BM_launch_keel_pipelined(benchmark::State& state) {
  if (!session().available()) {
    state.SkipWithError("no OpenCL device");
    return;
  }
  const Tensor x(session(), {1}, 1.0f);
  const Tensor y(session(), {1}, 0.0f);
  enqueue(session(), "neg", nullptr, {&x}, {&y});
  synchronize(session());
  for (auto _ : state) {
    for (int i = 0; i < kBatch; ++i) enqueue(session(), "neg", nullptr, {&x}, {&y});
    synchronize(session());
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
  state.counters["us_per_launch"] =
      benchmark::Counter(static_cast<double>(state.iterations() * kBatch), benchmark::Counter::kIsRate |
                                                                             benchmark::Counter::kInvert);
}

void BM_launch_raw_sync(benchmark::State& state) {
  if (!raw().available()) {
    state.SkipWithError("no OpenCL device");
    return;
  }
  static cl_mem out = raw().buffer(4, 0.0f);
  raw().tiny(out);
  raw().finish();
  for (auto _ : state) {
    raw().tiny(out);
    raw().finish();
  }
}

void BM_launch_raw_pipelined(benchmark::State& state) {
  if (!raw().available()) {
    state.SkipWithError("no OpenCL device");
    return;
  }
  static cl_mem out = raw().buffer(4, 0.0f);
  for (auto _ : state) {
    for (int i = 0; i < kBatch; ++i) raw().tiny(out);
    raw().finish();
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}

BENCHMARK(BM_launch_keel_sync)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_launch_raw_sync)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_launch_keel_pipelined)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_launch_raw_pipelined)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace keel::bench
