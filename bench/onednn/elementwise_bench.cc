// Elementwise add over 16M floats through Keel, against the memory bandwidth a plain copy reaches in the same
// run (both split over the same OpenMP pool); and the cost of dispatching a 1-element add through the ABI
// once its signature is cached (keel_op_run + keel_queue_synchronize).
#include <benchmark/benchmark.h>
#include <omp.h>

#include <cstring>
#include <memory>

#include "fill.h"
#include "keel_session.h"

namespace keel::bench {
namespace {

constexpr int64_t kCount = int64_t{1} << 24;

Session& session() {
  static Session s;
  return s;
}

// Bytes moved per iteration, counted as STREAM does (reads + writes, no write-allocate traffic).
void set_bandwidth(benchmark::State& state, double bytes) {
  state.counters["GB/s"] = benchmark::Counter(bytes * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

void BM_Copy16M_Bandwidth(benchmark::State& state) {
  Session& s = session();  // the same page-aligned buffers the add uses
  const Tensor src(s.device(), KEEL_DTYPE_F32, {kCount});
  const Tensor dst(s.device(), KEEL_DTYPE_F32, {kCount});
  fill_random(src.floats(), kCount, 5);
  std::memset(dst.floats(), 0, kCount * sizeof(float));
  for (auto _ : state) {
    const float* from = src.floats();
    float* to = dst.floats();
#pragma omp parallel
    {
      const int64_t parts = omp_get_num_threads();
      const int64_t part = omp_get_thread_num();
      const int64_t begin = kCount * part / parts;
      const int64_t end = kCount * (part + 1) / parts;
      std::memcpy(to + begin, from + begin, static_cast<size_t>(end - begin) * sizeof(float));
    }
    benchmark::ClobberMemory();
  }
  set_bandwidth(state, 2.0 * kCount * sizeof(float));
}

void BM_Add16M_Keel(benchmark::State& state) {
  Session& s = session();
  const Tensor a(s.device(), KEEL_DTYPE_F32, {kCount});
  const Tensor b(s.device(), KEEL_DTYPE_F32, {kCount});
  const Tensor c(s.device(), KEEL_DTYPE_F32, {kCount});
  fill_random(a.floats(), kCount, 6);
  fill_random(b.floats(), kCount, 7);
  std::memset(c.floats(), 0, kCount * sizeof(float));
  const keel_op_t* add = s.op("add");
  s.run(add, nullptr, {&a, &b}, {&c});
  for (auto _ : state) s.run(add, nullptr, {&a, &b}, {&c});
  set_bandwidth(state, 3.0 * kCount * sizeof(float));
}

void BM_Dispatch_Add1(benchmark::State& state) {
  Session& s = session();
  const Tensor a(s.device(), KEEL_DTYPE_F32, {1});
  const Tensor b(s.device(), KEEL_DTYPE_F32, {1});
  const Tensor c(s.device(), KEEL_DTYPE_F32, {1});
  a.floats()[0] = 1;
  b.floats()[0] = 2;
  const keel_op_t* add = s.op("add");
  const keel_tensor_t inputs[] = {a.view(), b.view()};
  const keel_tensor_t outputs[] = {c.view()};
  keel_queue_t* queue = s.queue();
  check(keel_op_run(queue, add, nullptr, inputs, 2, outputs, 1), "keel_op_run");  // caches the signature
  for (auto _ : state) {
    keel_status_t status = keel_op_run(queue, add, nullptr, inputs, 2, outputs, 1);
    keel_status_t synced = keel_queue_synchronize(queue);
    if (status != nullptr || synced != nullptr) {
      check(status, "keel_op_run");
      check(synced, "keel_queue_synchronize");
    }
  }
  if (c.floats()[0] != 3) state.SkipWithError("1 + 2 did not give 3");
}

BENCHMARK(BM_Copy16M_Bandwidth)->UseRealTime()->Unit(benchmark::kMillisecond)->Repetitions(5)->ReportAggregatesOnly(true);
BENCHMARK(BM_Add16M_Keel)->UseRealTime()->Unit(benchmark::kMillisecond)->Repetitions(5)->ReportAggregatesOnly(true);
BENCHMARK(BM_Dispatch_Add1)->UseRealTime()->Repetitions(5)->ReportAggregatesOnly(true);

}  // namespace
}  // namespace keel::bench
