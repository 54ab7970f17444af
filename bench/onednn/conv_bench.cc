// 3x3 convolution, N=32, C=K=64, 56x56, stride 1, pad 1, no bias (7.40 GFLOP): through Keel on NCHW tensors
// (and on NCHW-shaped tensors with channels-last strides), and oneDNN called directly, both on the same NCHW
// user tensors (the reorders into and out of oneDNN's blocked layout counted, weights pre-packed) and on data
// already in its blocked layout (oneDNN's best case). The Keel side is skipped while the spec has no conv.
#include <benchmark/benchmark.h>

#include <oneapi/dnnl/dnnl.hpp>

#include "fill.h"
#include "keel_session.h"

namespace keel::bench {
namespace {

constexpr int64_t kN = 32, kC = 64, kK = 64, kH = 56, kW = 56;
constexpr double kFlops = 2.0 * kN * kK * kH * kW * kC * 3 * 3;

using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

[[maybe_unused]] Session& session() {
  static Session s;
  return s;
}

void set_flops(benchmark::State& state) {
  state.counters["GFLOP/s"] = benchmark::Counter(kFlops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

struct DirectConv {
  dnnl::engine engine{dnnl::engine::kind::cpu, 0};
  dnnl::stream stream{engine};
  dnnl::memory::desc user_src{{kN, kC, kH, kW}, dt::f32, tag::nchw};
  dnnl::memory::desc user_w{{kK, kC, 3, 3}, dt::f32, tag::oihw};
  dnnl::memory::desc user_dst{{kN, kK, kH, kW}, dt::f32, tag::nchw};
  dnnl::convolution_forward::primitive_desc pd{
      dnnl::convolution_forward::desc(dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct,
                                      dnnl::memory::desc({kN, kC, kH, kW}, dt::f32, tag::any),
                                      dnnl::memory::desc({kK, kC, 3, 3}, dt::f32, tag::any),
                                      dnnl::memory::desc({kN, kK, kH, kW}, dt::f32, tag::any), {1, 1}, {1, 1},
                                      {1, 1}),
      engine};
  dnnl::convolution_forward conv{pd};
  dnnl::memory src{user_src, engine}, w{user_w, engine}, dst{user_dst, engine};
  dnnl::memory conv_src{pd.src_desc(), engine}, conv_w{pd.weights_desc(), engine}, conv_dst{pd.dst_desc(), engine};

  DirectConv() {
    fill_random(static_cast<float*>(src.get_data_handle()), kN * kC * kH * kW, 3);
    fill_random(static_cast<float*>(w.get_data_handle()), kK * kC * 9, 4);
    dnnl::reorder(w, conv_w).execute(stream, w, conv_w);  // weights pre-packed, outside the timing
    stream.wait();
  }
};

void BM_Conv_Direct_nchw(benchmark::State& state) {
  DirectConv d;
  const dnnl::reorder to_blocked(d.src, d.conv_src);
  const dnnl::reorder to_nchw(d.conv_dst, d.dst);
  state.SetLabel(d.pd.impl_info_str());
  for (auto _ : state) {
    to_blocked.execute(d.stream, d.src, d.conv_src);
    d.conv.execute(d.stream, {{DNNL_ARG_SRC, d.conv_src}, {DNNL_ARG_WEIGHTS, d.conv_w}, {DNNL_ARG_DST, d.conv_dst}});
    to_nchw.execute(d.stream, d.conv_dst, d.dst);
    d.stream.wait();
  }
  set_flops(state);
}

void BM_Conv_Direct_blocked(benchmark::State& state) {
  DirectConv d;
  dnnl::reorder(d.src, d.conv_src).execute(d.stream, d.src, d.conv_src);
  state.SetLabel(d.pd.impl_info_str());
  for (auto _ : state) {
    d.conv.execute(d.stream, {{DNNL_ARG_SRC, d.conv_src}, {DNNL_ARG_WEIGHTS, d.conv_w}, {DNNL_ARG_DST, d.conv_dst}});
    d.stream.wait();
  }
  set_flops(state);
}

// NCHW-shaped tensors; with channels_last the memory order is NHWC (strides permuted), as a framework's
// channels-last tensors are.
void keel_conv(benchmark::State& state, bool channels_last) {
#ifndef KEEL_OP_CONV
  (void)channels_last;
  state.SkipWithError("the spec has no conv operator yet");
#else
  Session& s = session();
  if (!s.implements("conv")) {
    state.SkipWithError("the plugin has no conv kernel");
    return;
  }
  Tensor x(s.device(), KEEL_DTYPE_F32, {kN, kC, kH, kW});
  const Tensor w(s.device(), KEEL_DTYPE_F32, {kK, kC, 3, 3});
  Tensor y(s.device(), KEEL_DTYPE_F32, {kN, kK, kH, kW});
  fill_random(x.floats(), x.count(), 3);
  fill_random(w.floats(), w.count(), 4);
  if (channels_last) {
    for (keel_tensor_t* t : {const_cast<keel_tensor_t*>(&x.view()), const_cast<keel_tensor_t*>(&y.view())}) {
      const int64_t c = t->shape[1];
      t->strides[1] = 1;
      t->strides[3] = c;
      t->strides[2] = c * kW;
      t->strides[0] = c * kW * kH;
    }
  }
  const keel_tensor_t absent = {};  // no bias (an absent optional input)
  const keel_op_t* conv = s.op("conv");
  const int64_t pads[] = {1, 1, 1, 1};
  keel_conv_attrs_t attrs = KEEL_CONV_ATTRS_INIT;
  attrs.pads = pads;
  attrs.pads_count = 4;
  const keel_tensor_t inputs[] = {x.view(), w.view(), absent};
  const keel_tensor_t outputs[] = {y.view()};
  auto run = [&] {
    check(keel_op_run(s.queue(), conv, &attrs, inputs, 3, outputs, 1), "keel_op_run(conv)");
    check(keel_queue_synchronize(s.queue()), "keel_queue_synchronize");
  };
  run();
  for (auto _ : state) run();
  set_flops(state);
#endif
}

void BM_Conv_Keel(benchmark::State& state) { keel_conv(state, false); }
void BM_Conv_Keel_nhwc(benchmark::State& state) { keel_conv(state, true); }

void options(benchmark::internal::Benchmark* b) {
  b->UseRealTime()->Unit(benchmark::kMillisecond)->Repetitions(5)->ReportAggregatesOnly(true)->MinTime(0.3);
}

BENCHMARK(BM_Conv_Direct_nchw)->Apply(options);
BENCHMARK(BM_Conv_Keel)->Apply(options);
BENCHMARK(BM_Conv_Direct_blocked)->Apply(options);
BENCHMARK(BM_Conv_Keel_nhwc)->Apply(options);

}  // namespace
}  // namespace keel::bench
