// Elementwise loops over a LoopPlan with a per-element function: unit-stride runs (and runs where one input
// is a broadcast scalar) are written as simple loops the compiler vectorizes; anything else is a strided
// loop. `f` must be a pure function of its arguments.
#pragma once

#include "loop_plan.h"
#include "streaming.h"

namespace keel::onednn {

// Computes a long contiguous run chunk by chunk into an L1-resident buffer, which then goes to memory with
// non-temporal stores: a result far larger than the caches is not read into them first (the
// write-allocate traffic that otherwise costs a third of the bandwidth of a streaming binary op).
template <class Out, class Compute>
void compute_streaming(Out* out, int64_t n, Compute&& compute) {
  constexpr int64_t kChunk = kStreamChunkBytes / static_cast<int64_t>(sizeof(Out));
  alignas(64) Out chunk[kChunk];
  for (int64_t start = 0; start < n; start += kChunk) {
    const int64_t length = std::min(kChunk, n - start);
    compute(chunk, start, length);
    stream_copy(out + start, chunk, static_cast<size_t>(length) * sizeof(Out));
  }
  stream_fence();
}

template <class Out, class In, class F>
void run_unary(const LoopPlan& plan, Out* out, const In* in, F f) {
  if (plan.count == 1) {  // 0-D and single-element calls: no loop machinery at all
    *out = f(*in);
    return;
  }
  const int64_t so = plan.inner_stride(0);
  const int64_t si = plan.inner_stride(1);
  for_each_run(plan, [&](const int64_t* offsets, int64_t n) {
    Out* o = out + offsets[0];
    const In* x = in + offsets[1];
    if (so == 1 && si == 1) {
#pragma omp simd
      for (int64_t i = 0; i < n; ++i) o[i] = f(x[i]);
    } else if (so == 1 && si == 0) {
      const Out value = f(x[0]);
      for (int64_t i = 0; i < n; ++i) o[i] = value;
    } else {
      for (int64_t i = 0; i < n; ++i) o[i * so] = f(x[i * si]);
    }
  });
}

// In-place calls (out is the very same view as an input) are fine: each element is read before it is written.
template <class Out, class A, class B, class F>
void run_binary(const LoopPlan& plan, Out* out, const A* a, const B* b, F f) {
  if (plan.count == 1) {
    *out = f(*a, *b);
    return;
  }
  const int64_t so = plan.inner_stride(0);
  const int64_t sa = plan.inner_stride(1);
  const int64_t sb = plan.inner_stride(2);
  for_each_run(plan, [&](const int64_t* offsets, int64_t n) {
    Out* o = out + offsets[0];
    const A* x = a + offsets[1];
    const B* y = b + offsets[2];
    if (so == 1 && sa == 1 && sb == 1 && n * static_cast<int64_t>(sizeof(Out)) >= kStreamMinBytes) {
      compute_streaming(o, n, [&](Out* chunk, int64_t start, int64_t length) {
#pragma omp simd
        for (int64_t i = 0; i < length; ++i) chunk[i] = f(x[start + i], y[start + i]);
      });
    } else if (so == 1 && sa == 1 && sb == 1) {
#pragma omp simd
      for (int64_t i = 0; i < n; ++i) o[i] = f(x[i], y[i]);
    } else if (so == 1 && sa == 1 && sb == 0) {
      const B scalar = y[0];
#pragma omp simd
      for (int64_t i = 0; i < n; ++i) o[i] = f(x[i], scalar);
    } else if (so == 1 && sa == 0 && sb == 1) {
      const A scalar = x[0];
#pragma omp simd
      for (int64_t i = 0; i < n; ++i) o[i] = f(scalar, y[i]);
    } else {
      for (int64_t i = 0; i < n; ++i) o[i * so] = f(x[i * sa], y[i * sb]);
    }
  });
}

template <class Out, class A, class B, class C, class F>
void run_ternary(const LoopPlan& plan, Out* out, const A* a, const B* b, const C* c, F f) {
  if (plan.count == 1) {
    *out = f(*a, *b, *c);
    return;
  }
  const int64_t so = plan.inner_stride(0);
  const int64_t sa = plan.inner_stride(1);
  const int64_t sb = plan.inner_stride(2);
  const int64_t sc = plan.inner_stride(3);
  for_each_run(plan, [&](const int64_t* offsets, int64_t n) {
    Out* o = out + offsets[0];
    const A* x = a + offsets[1];
    const B* y = b + offsets[2];
    const C* z = c + offsets[3];
    if (so == 1 && sa == 1 && sb == 1 && sc == 1) {
#pragma omp simd
      for (int64_t i = 0; i < n; ++i) o[i] = f(x[i], y[i], z[i]);
    } else {
      for (int64_t i = 0; i < n; ++i) o[i * so] = f(x[i * sa], y[i * sb], z[i * sc]);
    }
  });
}

}  // namespace keel::onednn
