// Reductions (reduce_sum, reduce_mean, reduce_max, reduce_min, reduce_prod, argmax, argmin), softmax and
// log_softmax. A group of threads (1, 32 or 256) combines
// the elements of one output in a fixed order, so results are the same bits on every run. A reduction of few
// outputs over many elements is split: the first pass writes partial results to scratch memory, the second
// combines them.
#include "gpu/device_common.cuh"
#include "gpu/math_ops.h"

namespace keel::cuda::gpu {
namespace {

// Combines `value` across each group of `group` consecutive threads (a power of two dividing the block);
// every thread of the block must call it. Returns the group's result to all its threads.
template <class Combine, class Acc>
__device__ Acc group_reduce(Acc value, int group, Acc* shared) {
  shared[threadIdx.x] = value;
  __syncthreads();
  const int lane = static_cast<int>(threadIdx.x) % group;
  for (int half = group / 2; half > 0; half /= 2) {
    if (lane < half) shared[threadIdx.x] = Combine{}(shared[threadIdx.x], shared[threadIdx.x + half]);
    __syncthreads();
  }
  const Acc result = shared[threadIdx.x - lane];
  __syncthreads();  // the next call may overwrite `shared`
  return result;
}

// Element r of output o: read from the input (first pass) or from the partial results (second pass).
template <class T, class Acc>
struct InputSource {
  __device__ Acc operator()(const ReduceArgs& a, int64_t o, int64_t r) const {
    const int64_t base = offset_of(o, a.kept_rank, a.kept_dims, a.in_kept_strides);
    const int64_t offset = base + offset_of(r, a.reduced_rank, a.reduced_dims, a.in_reduced_strides);
    return Arith<T>::up(load<T>(a.in, offset));
  }
};
template <class Acc>
struct PartialSource {
  CUdeviceptr partials;
  int64_t per_output;
  __device__ Acc operator()(const ReduceArgs&, int64_t o, int64_t r) const {
    return reinterpret_cast<const Acc*>(partials)[o * per_output + r];
  }
};

// Work item `item` = (output, split) combines elements [split · chunk, min((split + 1) · chunk, count)) of its
// output. With `partials` set the result goes there (item order); otherwise it is finished (mean divides by
// the whole reduction's size) and stored into the output.
template <class Combine, class T, class Acc, class Source>
__global__ void reduce_kernel(ReduceArgs a, Source source, int group, int64_t count, int64_t splits, int64_t chunk,
                              bool mean, CUdeviceptr partials) {
  __shared__ Acc shared[kThreads];
  const int lane = static_cast<int>(threadIdx.x) % group;
  const int64_t groups_per_block = blockDim.x / group;
  const int64_t items = a.out_count * splits;
  for (int64_t first = blockIdx.x * groups_per_block; first < items; first += gridDim.x * groups_per_block) {
    const int64_t item = first + threadIdx.x / group;
    Acc acc = Combine::template identity<Acc>();
    if (item < items) {
      const int64_t o = item / splits;
      const int64_t begin = (item % splits) * chunk;
      const int64_t end = begin + chunk < count ? begin + chunk : count;
      for (int64_t r = begin + lane; r < end; r += group) acc = Combine{}(acc, source(a, o, r));
    }
    acc = group_reduce<Combine>(acc, group, shared);
    if (item >= items || lane != 0) continue;
    if (partials != 0) {
      reinterpret_cast<Acc*>(partials)[item] = acc;
    } else {
      if (mean) acc = acc / static_cast<Acc>(a.reduce_count);
      store(a.out, offset_of(item, a.kept_rank, a.kept_dims, a.out_kept_strides), Arith<T>::down(acc));
    }
  }
}

struct ReducePlan {
  int group = 1;
  int64_t splits = 1;
  int64_t chunk = 0;
};

// Threads per output by reduction length; long reductions into few outputs are split across blocks.
ReducePlan plan_reduce(const ReduceArgs& a, int processors) {
  ReducePlan plan;
  const int64_t count = a.reduce_count;
  plan.group = count <= 16 ? 1 : (count <= 1024 ? 32 : kThreads);
  plan.chunk = count;
  constexpr int64_t kMinChunk = 4096;
  const int64_t busy = 2 * static_cast<int64_t>(processors > 0 ? processors : 1);
  if (plan.group == kThreads && a.out_count < busy && count >= 2 * kMinChunk) {
    int64_t splits = (busy + a.out_count - 1) / a.out_count;
    const int64_t most = count / kMinChunk;
    splits = splits < most ? splits : most;
    splits = splits < 1024 ? splits : 1024;
    plan.chunk = (count + splits - 1) / splits;
    plan.splits = (count + plan.chunk - 1) / plan.chunk;
  }
  return plan;
}

template <class Combine, class T>
LaunchResult reduce_as(const ReduceArgs& a, int processors, CUdeviceptr scratch, bool mean, CUstream stream) {
  using Acc = Accumulator<T>;
  const ReducePlan plan = plan_reduce(a, processors);
  const int64_t groups_per_block = kThreads / plan.group;
  if (plan.splits == 1) {
    return launch(reduce_kernel<Combine, T, Acc, InputSource<T, Acc>>, dim3(grid_for(a.out_count, groups_per_block)),
                  dim3(kThreads), stream, a, InputSource<T, Acc>{}, plan.group, a.reduce_count, int64_t{1},
                  a.reduce_count, mean, CUdeviceptr{0});
  }
  const LaunchResult first =
      launch(reduce_kernel<Combine, T, Acc, InputSource<T, Acc>>,
             dim3(grid_for(a.out_count * plan.splits, groups_per_block)), dim3(kThreads), stream, a,
             InputSource<T, Acc>{}, plan.group, a.reduce_count, plan.splits, plan.chunk, mean, scratch);
  if (!first.ok()) return first;
  const int group = plan.splits <= 1024 ? 32 : kThreads;
  return launch(reduce_kernel<Combine, T, Acc, PartialSource<Acc>>, dim3(grid_for(a.out_count, kThreads / group)),
                dim3(kThreads), stream, a, PartialSource<Acc>{scratch, plan.splits}, group, plan.splits, int64_t{1},
                plan.splits, mean, CUdeviceptr{0});
}

// Softmax of one slice per group: the maximum (NaN wins), then the sum of e^(x - max), then the outputs
// (log_softmax: (x - max) - log(sum)). A slice whose maximum is NaN or +inf is all NaN; one of only -inf
// gives NaN through -inf - -inf; an -inf element of a finite slice gives 0 (log_softmax: -inf).
template <class T>
__global__ void softmax_kernel(SoftmaxArgs a, int group, bool log) {
  using C = Accumulator<T>;
  __shared__ C shared[kThreads];
  const int lane = static_cast<int>(threadIdx.x) % group;
  const int64_t groups_per_block = blockDim.x / group;
  for (int64_t first = blockIdx.x * groups_per_block; first < a.slice_count; first += gridDim.x * groups_per_block) {
    const int64_t slice = first + threadIdx.x / group;
    const bool active = slice < a.slice_count;
    const int64_t in_base = active ? offset_of(slice, a.outer_rank, a.outer_dims, a.in_outer_strides) : 0;
    const int64_t out_base = active ? offset_of(slice, a.outer_rank, a.outer_dims, a.out_outer_strides) : 0;
    const auto x = [&](int64_t r) { return Arith<T>::up(load<T>(a.in, in_base + r * a.in_axis_stride)); };

    C top = MaxCombine::identity<C>();
    for (int64_t r = lane; active && r < a.length; r += group) top = MaxCombine{}(top, x(r));
    top = group_reduce<MaxCombine>(top, group, shared);
    C sum = C(0);
    for (int64_t r = lane; active && r < a.length; r += group) sum += math_exp(x(r) - top);
    sum = group_reduce<SumCombine>(sum, group, shared);

    const bool all_nan = is_nan(top) || top == -MaxCombine::identity<C>();
    const C log_sum = math_log(sum);
    for (int64_t r = lane; active && r < a.length; r += group) {
      C y = C(NAN);
      if (!all_nan) y = log ? (x(r) - top) - log_sum : math_exp(x(r) - top) / sum;
      store(a.out, out_base + r * a.out_axis_stride, Arith<T>::down(y));
    }
  }
}

// argmax/argmin of one output per group along the one reduced axis: each thread keeps its best (value,
// position), then the group combines pairs; a tie (neither beats the other) goes to the lower position.
template <bool kMax, class T>
__global__ void arg_kernel(ReduceArgs a, int group) {
  using C = Accumulator<T>;
  __shared__ C values[kThreads];
  __shared__ int64_t positions[kThreads];
  const int lane = static_cast<int>(threadIdx.x) % group;
  const int64_t groups_per_block = blockDim.x / group;
  const int64_t count = a.reduced_dims[0];
  const int64_t stride = a.in_reduced_strides[0];
  for (int64_t first = blockIdx.x * groups_per_block; first < a.out_count; first += gridDim.x * groups_per_block) {
    const int64_t item = first + threadIdx.x / group;
    C best = C(0);
    int64_t position = -1;  // nothing seen yet
    if (item < a.out_count) {
      const int64_t base = offset_of(item, a.kept_rank, a.kept_dims, a.in_kept_strides);
      for (int64_t r = lane; r < count; r += group) {
        const C value = Arith<T>::up(load<T>(a.in, base + r * stride));
        if (position < 0 || arg_beats<kMax>(value, best)) {
          best = value;
          position = r;
        }
      }
    }
    values[threadIdx.x] = best;
    positions[threadIdx.x] = position;
    __syncthreads();
    for (int half = group / 2; half > 0; half /= 2) {
      const unsigned other = threadIdx.x + half;
      if (lane < half && positions[other] >= 0) {
        const bool take = positions[threadIdx.x] < 0 || arg_beats<kMax>(values[other], values[threadIdx.x]) ||
                          (!arg_beats<kMax>(values[threadIdx.x], values[other]) &&
                           positions[other] < positions[threadIdx.x]);
        if (take) {
          values[threadIdx.x] = values[other];
          positions[threadIdx.x] = positions[other];
        }
      }
      __syncthreads();
    }
    if (item < a.out_count && lane == 0) {
      store(a.out, offset_of(item, a.kept_rank, a.kept_dims, a.out_kept_strides), positions[threadIdx.x]);
    }
    __syncthreads();
  }
}

}  // namespace

uint64_t reduce_scratch_bytes(ReduceOp op, keel_dtype_t dtype, const ReduceArgs& args, int processors) {
  const ReducePlan plan = plan_reduce(args, processors);
  if (plan.splits == 1) return 0;
  // Accumulators are 8 bytes for f64 and i64 and 4 for every other dtype.
  const bool wide = dtype == KEEL_DTYPE_F64 || dtype == KEEL_DTYPE_I64;
  (void)op;
  return static_cast<uint64_t>(args.out_count) * static_cast<uint64_t>(plan.splits) * (wide ? 8u : 4u);
}

LaunchResult launch_reduce(ReduceOp op, keel_dtype_t dtype, const ReduceArgs& args, int processors,
                           CUdeviceptr scratch, CUstream stream) {
  if (args.out_count == 0) return {};
  switch (op) {
    case ReduceOp::kSum:
      return dispatch<TypeSet::kNumeric>(dtype, [&](auto tag) {
        return reduce_as<SumCombine, typename decltype(tag)::type>(args, processors, scratch, false, stream);
      });
    case ReduceOp::kMean:
      return dispatch<TypeSet::kFloat>(dtype, [&](auto tag) {
        return reduce_as<SumCombine, typename decltype(tag)::type>(args, processors, scratch, true, stream);
      });
    case ReduceOp::kMax:
      return dispatch<TypeSet::kNumeric>(dtype, [&](auto tag) {
        return reduce_as<MaxCombine, typename decltype(tag)::type>(args, processors, scratch, false, stream);
      });
    case ReduceOp::kMin:
      return dispatch<TypeSet::kNumeric>(dtype, [&](auto tag) {
        return reduce_as<MinCombine, typename decltype(tag)::type>(args, processors, scratch, false, stream);
      });
    case ReduceOp::kProd:
      return dispatch<TypeSet::kNumeric>(dtype, [&](auto tag) {
        return reduce_as<ProdCombine, typename decltype(tag)::type>(args, processors, scratch, false, stream);
      });
  }
  return unsupported_dtype();
}

LaunchResult launch_arg_reduce(bool max, keel_dtype_t dtype, const ReduceArgs& args, CUstream stream) {
  if (args.out_count == 0) return {};
  const int group = args.reduced_dims[0] <= 16 ? 1 : (args.reduced_dims[0] <= 1024 ? 32 : kThreads);
  return dispatch<TypeSet::kNumeric>(dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    const dim3 grid(grid_for(args.out_count, kThreads / group));
    if (max) return launch(arg_kernel<true, T>, grid, dim3(kThreads), stream, args, group);
    return launch(arg_kernel<false, T>, grid, dim3(kThreads), stream, args, group);
  });
}

LaunchResult launch_softmax(keel_dtype_t dtype, bool log, const SoftmaxArgs& args, CUstream stream) {
  if (args.slice_count == 0 || args.length == 0) return {};
  const int group = args.length >= 1024 ? kThreads : 32;
  return dispatch<TypeSet::kFloat>(dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    return launch(softmax_kernel<T>, dim3(grid_for(args.slice_count, kThreads / group)), dim3(kThreads), stream,
                  args, group, log);
  });
}

}  // namespace keel::cuda::gpu
