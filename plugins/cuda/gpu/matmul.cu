// Matmul and gemm for the calls cuBLAS cannot express (any strides, broadcast batches, negative or zero
// strides) and for machines without cuBLAS: one thread per output element, accumulating with fused
// multiply-adds in f32 (f16, bf16, f32) or f64, then gemm's alpha · sum + beta · c.
#include "gpu/device_common.cuh"

namespace keel::cuda::gpu {
namespace {

__device__ inline float multiply_add(float a, float b, float c) { return fmaf(a, b, c); }
__device__ inline double multiply_add(double a, double b, double c) { return fma(a, b, c); }

template <class T>
__global__ void matmul_kernel(MatmulArgs p) {
  using C = Accumulator<T>;
  const int64_t total = p.batch_count * p.m * p.n;
  for (int64_t i = global_thread(); i < total; i += grid_threads()) {
    const int64_t col = i % p.n;
    const int64_t row = (i / p.n) % p.m;
    int64_t batch = i / (p.n * p.m);
    int64_t a = row * p.a_row, b = col * p.b_col, c = row * p.c_row + col * p.c_col;
    for (int d = p.batch_rank - 1; d >= 0; --d) {
      const int64_t coordinate = batch % p.batch_dims[d];
      batch /= p.batch_dims[d];
      a += coordinate * p.a_batch[d];
      b += coordinate * p.b_batch[d];
      c += coordinate * p.c_batch[d];
    }
    C sum = C(0);
    for (int64_t k = 0; k < p.k; ++k) {
      sum = multiply_add(Arith<T>::up(load<T>(p.a, a + k * p.a_col)), Arith<T>::up(load<T>(p.b, b + k * p.b_row)), sum);
    }
    if (p.scaled) {
      sum = C(p.alpha) * sum;
      if (p.addend != 0) {
        int64_t addend = row * p.addend_row + col * p.addend_col;
        int64_t rest = i / (p.n * p.m);
        for (int d = p.batch_rank - 1; d >= 0; --d) {
          addend += (rest % p.batch_dims[d]) * p.addend_batch[d];
          rest /= p.batch_dims[d];
        }
        sum = sum + C(p.beta) * Arith<T>::up(load<T>(p.addend, addend));
      }
    }
    store(p.c, c, Arith<T>::down(sum));
  }
}

}  // namespace

LaunchResult launch_matmul(keel_dtype_t dtype, const MatmulArgs& args, CUstream stream) {
  const int64_t total = args.batch_count * args.m * args.n;
  if (total == 0) return {};
  return dispatch<TypeSet::kFloat>(dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    return launch(matmul_kernel<T>, dim3(grid_for(total)), dim3(kThreads), stream, args);
  });
}

}  // namespace keel::cuda::gpu
