// layer_norm, rms_norm and cumsum. Statistics are accumulated in f32 (f64 for f64) by a group of threads per
// row in a fixed order, so results are reproducible; the mean comes first, then the variance around it.
#include "gpu/device_common.cuh"

namespace keel::cuda::gpu {
namespace {

template <class A>
__device__ A group_sum(A value, int group, A* shared) {
  shared[threadIdx.x] = value;
  __syncthreads();
  const int lane = static_cast<int>(threadIdx.x) % group;
  for (int half = group / 2; half > 0; half /= 2) {
    if (lane < half) shared[threadIdx.x] += shared[threadIdx.x + half];
    __syncthreads();
  }
  const A result = shared[threadIdx.x - lane];
  __syncthreads();
  return result;
}

template <class T>
__global__ void norm_kernel(NormArgs a, int group) {
  using C = Accumulator<T>;
  __shared__ C shared[kThreads];
  const int lane = static_cast<int>(threadIdx.x) % group;
  const int64_t groups_per_block = blockDim.x / group;
  for (int64_t first = blockIdx.x * groups_per_block; first < a.rows; first += gridDim.x * groups_per_block) {
    const int64_t row = first + threadIdx.x / group;
    const bool active = row < a.rows;
    const auto base = [&](int k) { return active ? offset_of(row, a.outer_rank, a.outer_dims, a.outer_strides[k]) : 0; };
    const int64_t x_base = base(0), y_base = base(1);
    const auto at = [&](int k, int64_t r) { return offset_of(r, a.inner_rank, a.inner_dims, a.inner_strides[k]); };
    const auto x = [&](int64_t r) { return Arith<T>::up(load<T>(a.x, x_base + at(0, r))); };

    C sum = C(0);
    for (int64_t r = lane; active && r < a.n; r += group) sum += a.rms ? x(r) * x(r) : x(r);
    sum = group_sum(sum, group, shared);
    const C count = static_cast<C>(a.n);
    C mean = C(0), scale_by = C(0);
    if (a.rms) {
      scale_by = C(1) / math_sqrt(sum / count + static_cast<C>(a.epsilon));
    } else {
      mean = sum / count;  // NaN for an empty row, as the spec says
      C squares = C(0);
      for (int64_t r = lane; active && r < a.n; r += group) {
        const C d = x(r) - mean;
        squares += d * d;
      }
      squares = group_sum(squares, group, shared);
      scale_by = C(1) / math_sqrt(squares / count + static_cast<C>(a.epsilon));
    }
    if (!active) continue;
    for (int64_t r = lane; r < a.n; r += group) {
      C y = a.rms ? x(r) * scale_by : (x(r) - mean) * scale_by;
      if (a.scale != 0) y = y * Arith<T>::up(load<T>(a.scale, at(2, r)));
      if (a.bias != 0) y = y + Arith<T>::up(load<T>(a.bias, at(3, r)));
      store(a.y, y_base + at(1, r), Arith<T>::down(y));
    }
    if (lane == 0 && a.mean != 0) store(a.mean, base(2), Arith<T>::down(mean));
    if (lane == 0 && a.inv_std != 0) store(a.inv_std, base(3), Arith<T>::down(scale_by));
  }
}

// One thread per slice, in order along the axis (or against it).
template <class T>
__global__ void cumsum_kernel(SoftmaxArgs a, bool exclusive, bool reverse) {
  using C = Accumulator<T>;
  for (int64_t slice = global_thread(); slice < a.slice_count; slice += grid_threads()) {
    const int64_t in_base = offset_of(slice, a.outer_rank, a.outer_dims, a.in_outer_strides);
    const int64_t out_base = offset_of(slice, a.outer_rank, a.outer_dims, a.out_outer_strides);
    C sum = C(0);
    for (int64_t step = 0; step < a.length; ++step) {
      const int64_t r = reverse ? a.length - 1 - step : step;
      const C value = Arith<T>::up(load<T>(a.in, in_base + r * a.in_axis_stride));
      if (!exclusive) sum = SumCombine{}(sum, value);
      store(a.out, out_base + r * a.out_axis_stride, Arith<T>::down(sum));
      if (exclusive) sum = SumCombine{}(sum, value);
    }
  }
}

}  // namespace

LaunchResult launch_norm(keel_dtype_t dtype, const NormArgs& args, CUstream stream) {
  if (args.rows == 0) return {};
  const int group = args.n <= 16 ? 1 : (args.n <= 1024 ? 32 : kThreads);
  return dispatch<TypeSet::kFloat>(dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    return launch(norm_kernel<T>, dim3(grid_for(args.rows, kThreads / group)), dim3(kThreads), stream, args, group);
  });
}

LaunchResult launch_cumsum(keel_dtype_t dtype, bool exclusive, bool reverse, const SoftmaxArgs& args,
                           CUstream stream) {
  if (args.slice_count == 0 || args.length == 0) return {};
  return dispatch<TypeSet::kNumeric>(dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    return launch(cumsum_kernel<T>, dim3(grid_for(args.slice_count)), dim3(kThreads), stream, args, exclusive,
                  reverse);
  });
}

}  // namespace keel::cuda::gpu
