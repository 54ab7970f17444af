// SGEMM C[M,N] = A[M,K] · B[K,N], square sizes: through the Keel ABI (keel_op_run + synchronize on the
// oneDNN device, buffers allocated up front) and oneDNN's matmul primitive called directly on the same
// dense row-major layouts. The two are registered next to each other so they run back to back.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>
#include <oneapi/dnnl/dnnl.hpp>

#include "fill.h"
#include "keel_session.h"

namespace keel::bench {
namespace {

Session& session() {
  static Session s;
  return s;
}

void set_flops(benchmark::State& state, int64_t n) {
  state.counters["GFLOP/s"] = benchmark::Counter(2.0 * static_cast<double>(n) * static_cast<double>(n) *
                                                     static_cast<double>(n) * 1e-9,
                                                 benchmark::Counter::kIsIterationInvariantRate);
}

void BM_Sgemm_Direct(benchmark::State& state) {
  const int64_t n = state.range(0);
  dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  dnnl::stream stream(engine);
  const dnnl::memory::desc md({n, n}, dnnl::memory::data_type::f32, dnnl::memory::format_tag::ab);
  dnnl::memory a(md, engine), b(md, engine), c(md, engine);
  fill_random(static_cast<float*>(a.get_data_handle()), n * n, 1);
  fill_random(static_cast<float*>(b.get_data_handle()), n * n, 2);
  const dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(md, md, md), engine);
  const dnnl::matmul matmul(pd);
  state.SetLabel(pd.impl_info_str());
  for (auto _ : state) {
    matmul.execute(stream, {{DNNL_ARG_SRC, a}, {DNNL_ARG_WEIGHTS, b}, {DNNL_ARG_DST, c}});
    stream.wait();
  }
  set_flops(state, n);
}

void BM_Sgemm_Keel(benchmark::State& state) {
  const int64_t n = state.range(0);
  Session& s = session();
  const Tensor a(s.device(), KEEL_DTYPE_F32, {n, n});
  const Tensor b(s.device(), KEEL_DTYPE_F32, {n, n});
  const Tensor c(s.device(), KEEL_DTYPE_F32, {n, n});
  fill_random(a.floats(), a.count(), 1);
  fill_random(b.floats(), b.count(), 2);
  const keel_op_t* matmul = s.op("matmul");
  s.run(matmul, nullptr, {&a, &b}, {&c});  // the first call prepares the signature (primitive creation)
  for (auto _ : state) s.run(matmul, nullptr, {&a, &b}, {&c});
  set_flops(state, n);
}

void sizes(benchmark::internal::Benchmark* b) {
  b->UseRealTime()->Unit(benchmark::kMillisecond)->Repetitions(5)->ReportAggregatesOnly(true)->MinTime(0.3);
}

// Interleaved: direct then Keel for each size.
BENCHMARK(BM_Sgemm_Direct)->Arg(256)->Apply(sizes);
BENCHMARK(BM_Sgemm_Keel)->Arg(256)->Apply(sizes);
BENCHMARK(BM_Sgemm_Direct)->Arg(1024)->Apply(sizes);
BENCHMARK(BM_Sgemm_Keel)->Arg(1024)->Apply(sizes);
BENCHMARK(BM_Sgemm_Direct)->Arg(2048)->Apply(sizes);
BENCHMARK(BM_Sgemm_Keel)->Arg(2048)->Apply(sizes);

}  // namespace
}  // namespace keel::bench
