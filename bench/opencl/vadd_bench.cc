// Vector add of 16M floats: keel_op_run("add") + synchronize against a hand-written OpenCL kernel + clFinish.
#include <benchmark/benchmark.h>

#include "raw_opencl.h"
#include "session.h"

namespace keel::bench {
namespace {

constexpr int64_t kCount = 16 << 20;

void BM_vadd_keel(benchmark::State& state) {
  static Session session("opencl");
  if (!session.available()) {
    state.SkipWithError(("no OpenCL device: " + session.why_unavailable()).c_str());
    return;
  }
  const Tensor a(session, {kCount}, 1.0f);
  const Tensor b(session, {kCount}, 2.0f);
  const Tensor c(session, {kCount}, 0.0f);
  enqueue(session, "add", nullptr, {&a, &b}, {&c});  // builds (or loads) the program and compiles the kernel
  synchronize(session);
  for (auto _ : state) {
    enqueue(session, "add", nullptr, {&a, &b}, {&c});
    synchronize(session);
  }
  state.SetBytesProcessed(state.iterations() * kCount * 12);
}

void BM_vadd_raw(benchmark::State& state) {
  static RawOpenCL raw;
  if (!raw.available()) {
    state.SkipWithError("no OpenCL device");
    return;
  }
  static cl_mem a = raw.buffer(kCount * 4, 1.0f);
  static cl_mem b = raw.buffer(kCount * 4, 2.0f);
  static cl_mem c = raw.buffer(kCount * 4, 0.0f);
  raw.vadd(a, b, c, kCount);
  raw.finish();
  for (auto _ : state) {
    raw.vadd(a, b, c, kCount);
    raw.finish();
  }
  state.SetBytesProcessed(state.iterations() * kCount * 12);
}

BENCHMARK(BM_vadd_keel)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(0.5);
BENCHMARK(BM_vadd_raw)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(0.5);

}  // namespace
}  // namespace keel::bench
