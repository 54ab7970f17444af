// matmul and gemm: cuBLAS (cublasGemmStridedBatchedEx) for every call whose matrices it can address, the
// plugin's own kernel (gpu/matmul.cu) for the rest. Both accumulate in at least f32 (f64 for f64).
//
// cuBLAS is column-major. A row-major product C = A·B is computed as the column-major product Cᵀ = Bᵀ·Aᵀ
// when C has unit column stride; with unit row stride it is computed directly. Each operand then needs one
// unit stride (the other becomes the leading dimension, with a transpose flag when needed), the batch
// dimensions must merge into one with a constant stride per operand (0 for a broadcast operand), and every
// size must fit cuBLAS's int arguments.
#include <climits>
#include <string>
#include <optional>

#include "driver/errors.h"
#include "gpu/numeric.h"
#include "keel/keel_ops.h"
#include "kernels/layout.h"
#include "kernels/ops.h"
#include "runtime/device.h"

namespace keel::cuda {
namespace {

// The product as strides in elements: c[batch, m, n] = sum_k a[batch, m, k] · b[batch, k, n].
struct Product {
  int64_t m = 1, n = 1, k = 1;
  int batch_rank = 0;
  int64_t batch_dims[gpu::kMaxBatchRank] = {};
  int64_t a_batch[gpu::kMaxBatchRank] = {}, b_batch[gpu::kMaxBatchRank] = {}, c_batch[gpu::kMaxBatchRank] = {};
  int64_t a_row = 0, a_col = 0, b_row = 0, b_col = 0, c_row = 0, c_col = 0;

  int64_t batch_count() const {
    int64_t count = 1;
    for (int d = 0; d < batch_rank; ++d) count *= batch_dims[d];
    return count;
  }
};

// A 1-D a is a row [1, K] and a 1-D b a column [K, 1]; the dropped dimensions get stride 0.
Product product_of(const Tensor& a, const Tensor& b, const Tensor& c) {
  Product p;
  const bool a_vector = a.rank == 1;
  const bool b_vector = b.rank == 1;
  p.k = a.shape[a.rank - 1];
  p.a_col = a.strides[a.rank - 1];
  if (!a_vector) {
    p.m = a.shape[a.rank - 2];
    p.a_row = a.strides[a.rank - 2];
  }
  if (b_vector) {
    p.b_row = b.strides[0];
  } else {
    p.n = b.shape[b.rank - 1];
    p.b_row = b.strides[b.rank - 2];
    p.b_col = b.strides[b.rank - 1];
  }
  const uint32_t matrix_dims = (a_vector ? 0u : 1u) + (b_vector ? 0u : 1u);
  if (c.rank < matrix_dims || c.rank - matrix_dims > gpu::kMaxBatchRank) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "output y has rank ", c.rank, ", which does not fit a matmul of these inputs");
  }
  if (!b_vector) p.c_col = c.strides[c.rank - 1];
  if (!a_vector) p.c_row = c.strides[c.rank - matrix_dims];
  const uint32_t batch_rank = c.rank - matrix_dims;
  // Batch dimensions of a and b are broadcast against c's.
  Tensor a_batch, b_batch;
  a_batch.rank = a.rank >= 2 ? a.rank - 2 : 0;
  b_batch.rank = b.rank >= 2 ? b.rank - 2 : 0;
  for (uint32_t d = 0; d < a_batch.rank; ++d) {
    a_batch.shape[d] = a.shape[d];
    a_batch.strides[d] = a.strides[d];
  }
  for (uint32_t d = 0; d < b_batch.rank; ++d) {
    b_batch.shape[d] = b.shape[d];
    b_batch.strides[d] = b.strides[d];
  }
  if (a_batch.rank > batch_rank || b_batch.rank > batch_rank) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "output y has fewer batch dimensions than the inputs");
  }
  broadcast_strides(a_batch, batch_rank, c.shape, p.a_batch);
  broadcast_strides(b_batch, batch_rank, c.shape, p.b_batch);
  for (uint32_t d = 0; d < batch_rank; ++d) {
    p.batch_dims[d] = c.shape[d];
    p.c_batch[d] = c.strides[d];
  }
  int64_t* strides[3] = {p.a_batch, p.b_batch, p.c_batch};
  p.batch_rank = batch_rank == 0 ? 0 : simplify(static_cast<int>(batch_rank), p.batch_dims, strides, 3);
  if (p.batch_rank == 1 && p.batch_dims[0] == 1) p.batch_rank = 0;
  return p;
}

// How cuBLAS addresses a (rows × cols) matrix with the given strides: column-major as is (N) or as the
// transpose of a column-major matrix (T), with its leading dimension.
struct BlasMatrix {
  cublasOperation_t op;
  int64_t ld;
};

std::optional<BlasMatrix> blas_matrix(int64_t rows, int64_t cols, int64_t row_stride, int64_t col_stride) {
  const int64_t min_rows = rows > 1 ? rows : 1;
  const int64_t min_cols = cols > 1 ? cols : 1;
  if ((row_stride == 1 || rows == 1) && (cols == 1 || col_stride >= min_rows)) {
    return BlasMatrix{CUBLAS_OP_N, cols == 1 ? min_rows : col_stride};
  }
  if ((col_stride == 1 || cols == 1) && (rows == 1 || row_stride >= min_cols)) {
    return BlasMatrix{CUBLAS_OP_T, rows == 1 ? min_cols : row_stride};
  }
  return std::nullopt;
}

bool fits_int(int64_t value) { return value >= 0 && value <= INT_MAX; }

// One cublasGemmStridedBatchedEx call: the column-major C(m × n) = op(A) · op(B).
struct Gemm {
  cublasOperation_t op_a, op_b;
  int m, n, k, lda, ldb, ldc, batch;
  int64_t stride_a, stride_b, stride_c;
  bool swap;  // A and B are the call's b and a (Cᵀ = Bᵀ·Aᵀ)
};

// The cuBLAS call for `p`, or why there is none.
std::optional<Gemm> plan_gemm(const Product& p, std::string* why) {
  if (p.batch_rank > 1) {
    *why = "the batch dimensions do not merge into one with a constant stride per operand";
    return std::nullopt;
  }
  if (p.batch_rank == 1 && p.c_batch[0] == 0 && p.batch_dims[0] > 1) {
    *why = "the output repeats across the batch (stride 0)";
    return std::nullopt;
  }
  // Column-major C(rows × cols) with strides (rs, cs) = A(rows × k) · B(k × cols).
  struct View {
    int64_t rows, cols, rs, cs;
  };
  const auto try_plan = [&](View c, View a, View b, bool swap) -> std::optional<Gemm> {
    if (!(c.rs == 1 || c.rows == 1) || !(c.cols == 1 || c.cs >= (c.rows > 1 ? c.rows : 1))) return std::nullopt;
    const auto ma = blas_matrix(a.rows, a.cols, a.rs, a.cs);
    const auto mb = blas_matrix(b.rows, b.cols, b.rs, b.cs);
    if (!ma || !mb) return std::nullopt;
    const int64_t ldc = c.cols == 1 ? (c.rows > 1 ? c.rows : 1) : c.cs;
    const int64_t batch = p.batch_rank == 1 ? p.batch_dims[0] : 1;
    if (!fits_int(c.rows) || !fits_int(c.cols) || !fits_int(a.cols) || !fits_int(ma->ld) || !fits_int(mb->ld) ||
        !fits_int(ldc) || !fits_int(batch)) {
      return std::nullopt;
    }
    const int64_t sa = p.batch_rank == 1 ? (swap ? p.b_batch[0] : p.a_batch[0]) : 0;
    const int64_t sb = p.batch_rank == 1 ? (swap ? p.a_batch[0] : p.b_batch[0]) : 0;
    const int64_t sc = p.batch_rank == 1 ? p.c_batch[0] : 0;
    return Gemm{ma->op, mb->op, static_cast<int>(c.rows), static_cast<int>(c.cols), static_cast<int>(a.cols),
                static_cast<int>(ma->ld), static_cast<int>(mb->ld), static_cast<int>(ldc), static_cast<int>(batch),
                sa, sb, sc, swap};
  };
  // C = A·B directly, or Cᵀ = Bᵀ·Aᵀ (transposing swaps each operand's row and column strides).
  if (auto gemm = try_plan({p.m, p.n, p.c_row, p.c_col}, {p.m, p.k, p.a_row, p.a_col}, {p.k, p.n, p.b_row, p.b_col},
                           false)) {
    return gemm;
  }
  if (auto gemm = try_plan({p.n, p.m, p.c_col, p.c_row}, {p.n, p.k, p.b_col, p.b_row}, {p.k, p.m, p.a_col, p.a_row},
                           true)) {
    return gemm;
  }
  *why = "cuBLAS cannot address these strides (each matrix needs one unit stride and the other at least its "
         "extent, non-negative) or a size exceeds its int arguments";
  return std::nullopt;
}

struct BlasTypes {
  cudaDataType data;
  cublasComputeType_t compute;
};

BlasTypes blas_types(keel_dtype_t dtype) {
  switch (dtype) {
    case KEEL_DTYPE_F64: return {CUDA_R_64F, CUBLAS_COMPUTE_64F};
    case KEEL_DTYPE_F16: return {CUDA_R_16F, CUBLAS_COMPUTE_32F};
    case KEEL_DTYPE_BF16: return {CUDA_R_16BF, CUBLAS_COMPUTE_32F};
    default: return {CUDA_R_32F, CUBLAS_COMPUTE_32F};
  }
}

gpu::MatmulArgs kernel_args(const Product& p, const Tensor& a, const Tensor& b, const Tensor& c) {
  gpu::MatmulArgs args;
  args.m = p.m;
  args.n = p.n;
  args.k = p.k;
  args.batch_rank = p.batch_rank;
  args.batch_count = p.batch_count();
  const auto sa = static_cast<int64_t>(a.element_size);
  for (int d = 0; d < p.batch_rank; ++d) {
    args.batch_dims[d] = p.batch_dims[d];
    args.a_batch[d] = p.a_batch[d] * sa;
    args.b_batch[d] = p.b_batch[d] * sa;
    args.c_batch[d] = p.c_batch[d] * sa;
  }
  args.a_row = p.a_row * sa;
  args.a_col = p.a_col * sa;
  args.b_row = p.b_row * sa;
  args.b_col = p.b_col * sa;
  args.c_row = p.c_row * sa;
  args.c_col = p.c_col * sa;
  args.a = a.base;
  args.b = b.base;
  args.c = c.base;
  return args;
}

void zero_fill(Launch& launch, const Tensor& c) {
  launch.check(gpu::launch_fill(c.element_size, 0, map_args(c, {}), launch.stream()), "fill kernel");
}

bool hazard(const KernelCall& call) { return output_hazard(call.output(0), call.inputs(), /*pointwise=*/false); }

}  // namespace

void supports_matmul_cublas(const KernelCall& call, const Device& device) {
  if (device.cublas() == nullptr) fail(KEEL_STATUS_UNAVAILABLE, "cuBLAS is unavailable: ", device.cublas_problem());
  std::string why;
  if (!plan_gemm(product_of(call.input(0), call.input(1), call.output(0)), &why)) fail(KEEL_STATUS_UNIMPLEMENTED, why);
}

void compute_matmul_cublas(const KernelCall& call, Queue& queue) {
  const Tensor a = call.input(0);
  const Tensor b = call.input(1);
  const Tensor c = call.output(0);
  if (c.empty()) return;
  enqueue_output(queue, c, hazard(call), "matmul (cuBLAS)", [a, b](Launch& launch, const Tensor& out) {
    const Product p = product_of(a, b, out);
    if (p.k == 0) return zero_fill(launch, out);
    std::string why;
    const std::optional<Gemm> gemm = plan_gemm(p, &why);
    if (!gemm) fail(KEEL_STATUS_INTERNAL, "matmul (cuBLAS): ", why);  // supports() said it could
    const Cublas& cublas = *launch.device().cublas();
    const BlasTypes types = blas_types(a.dtype);
    const double one64 = 1.0, zero64 = 0.0;
    const float one32 = 1.0f, zero32 = 0.0f;
    const bool wide = types.compute == CUBLAS_COMPUTE_64F;
    const Tensor& first = gemm->swap ? b : a;
    const Tensor& second = gemm->swap ? a : b;
    const cublasStatus_t status = cublas.cublasGemmStridedBatchedEx(
        launch.cublas(), gemm->op_a, gemm->op_b, gemm->m, gemm->n, gemm->k, wide ? static_cast<const void*>(&one64) : &one32,
        reinterpret_cast<const void*>(first.base), types.data, gemm->lda, gemm->stride_a,
        reinterpret_cast<const void*>(second.base), types.data, gemm->ldb, gemm->stride_b,
        wide ? static_cast<const void*>(&zero64) : &zero32, reinterpret_cast<void*>(out.base), types.data, gemm->ldc,
        gemm->stride_c, gemm->batch, types.compute, CUBLAS_GEMM_DEFAULT);
    if (status != CUBLAS_STATUS_SUCCESS) {
      fail(status_code_of(status), launch.device().label(), ": cublasGemmStridedBatchedEx: ", cublas.describe(status));
    }
  });
}

void compute_matmul(const KernelCall& call, Queue& queue) {
  const Tensor a = call.input(0);
  const Tensor b = call.input(1);
  const Tensor c = call.output(0);
  if (c.empty()) return;
  enqueue_output(queue, c, hazard(call), "matmul kernel", [a, b](Launch& launch, const Tensor& out) {
    const Product p = product_of(a, b, out);
    launch.check(gpu::launch_matmul(a.dtype, kernel_args(p, a, b, out), launch.stream()), "matmul kernel");
  });
}


namespace {

// gemm's operands: op(a) and op(b) as views (a transpose swaps the strides), alpha and beta as the dtype has
// them, and c (absent or broadcast to [M, N]).
struct GemmCall {
  Tensor a, b, c;
  double alpha = 1, beta = 0;
};

Tensor transposed_if(const Tensor& t, bool transpose) {
  if (t.rank != 2) fail(KEEL_STATUS_INVALID_ARGUMENT, "gemm: the operands are not 2-D");
  Tensor view = t;
  if (transpose) {
    std::swap(view.shape[0], view.shape[1]);
    std::swap(view.strides[0], view.strides[1]);
  }
  return view;
}

double as_dtype(keel_dtype_t dtype, double value) {
  switch (dtype) {
    case KEEL_DTYPE_F16: return half_to_float(convert<Half>(value));
    case KEEL_DTYPE_BF16: return bfloat16_to_float(convert<BFloat16>(value));
    case KEEL_DTYPE_F32: return convert<float>(value);
    default: return value;
  }
}

GemmCall gemm_call(const KernelCall& call) {
  constexpr keel_gemm_attrs_t kDefaults = KEEL_GEMM_ATTRS_INIT;
  using A = keel_gemm_attrs_t;
  const A attrs = read_attrs(call.attrs(), kDefaults, &A::alpha, &A::beta, &A::trans_a, &A::trans_b);
  GemmCall gemm;
  gemm.a = transposed_if(call.input(0), attrs.trans_a != 0);
  gemm.b = transposed_if(call.input(1), attrs.trans_b != 0);
  gemm.c = call.input(2);
  gemm.alpha = as_dtype(gemm.a.dtype, attrs.alpha);
  gemm.beta = as_dtype(gemm.a.dtype, attrs.beta);
  return gemm;
}

// c broadcast to the output's [M, N].
Tensor addend_view(const Tensor& c, const Tensor& out) {
  Tensor view = c;
  view.rank = 2;
  view.shape[0] = out.shape[0];
  view.shape[1] = out.shape[1];
  broadcast_strides(c, 2, out.shape, view.strides);
  return view;
}

}  // namespace

// cuBLAS takes gemm when it takes the product, K > 0, and c's scaling can be left to it: with beta = 0 the
// spec still adds 0 · c (a NaN in c shows), which cuBLAS would skip, so that case goes to the kernel.
void supports_gemm_cublas(const KernelCall& call, const Device& device) {
  if (device.cublas() == nullptr) fail(KEEL_STATUS_UNAVAILABLE, "cuBLAS is unavailable: ", device.cublas_problem());
  const GemmCall gemm = gemm_call(call);
  if (!gemm.c.absent && gemm.beta == 0) fail(KEEL_STATUS_UNIMPLEMENTED, "beta = 0 with c present");
  const Product p = product_of(gemm.a, gemm.b, call.output(0));
  if (p.k == 0) fail(KEEL_STATUS_UNIMPLEMENTED, "K = 0");
  std::string why;
  if (!plan_gemm(p, &why)) fail(KEEL_STATUS_UNIMPLEMENTED, why);
}

void compute_gemm_cublas(const KernelCall& call, Queue& queue) {
  const GemmCall gemm = gemm_call(call);
  const Tensor y = call.output(0);
  if (y.empty()) return;
  enqueue_output(queue, y, hazard(call), "gemm (cuBLAS)", [gemm](Launch& launch, const Tensor& out) {
    const Product p = product_of(gemm.a, gemm.b, out);
    std::string why;
    const std::optional<Gemm> plan = plan_gemm(p, &why);
    if (!plan) fail(KEEL_STATUS_INTERNAL, "gemm (cuBLAS): ", why);
    if (!gemm.c.absent) copy_tensor(launch, addend_view(gemm.c, out), out);  // cuBLAS then adds beta · C
    const Cublas& cublas = *launch.device().cublas();
    const BlasTypes types = blas_types(gemm.a.dtype);
    const bool wide = types.compute == CUBLAS_COMPUTE_64F;
    const double alpha64 = gemm.alpha, beta64 = gemm.c.absent ? 0.0 : gemm.beta;
    const auto alpha32 = static_cast<float>(alpha64), beta32 = static_cast<float>(beta64);
    const Tensor& first = plan->swap ? gemm.b : gemm.a;
    const Tensor& second = plan->swap ? gemm.a : gemm.b;
    const cublasStatus_t status = cublas.cublasGemmStridedBatchedEx(
        launch.cublas(), plan->op_a, plan->op_b, plan->m, plan->n, plan->k,
        wide ? static_cast<const void*>(&alpha64) : &alpha32, reinterpret_cast<const void*>(first.base), types.data,
        plan->lda, plan->stride_a, reinterpret_cast<const void*>(second.base), types.data, plan->ldb, plan->stride_b,
        wide ? static_cast<const void*>(&beta64) : &beta32, reinterpret_cast<void*>(out.base), types.data, plan->ldc,
        plan->stride_c, plan->batch, types.compute, CUBLAS_GEMM_DEFAULT);
    if (status != CUBLAS_STATUS_SUCCESS) {
      fail(status_code_of(status), launch.device().label(), ": cublasGemmStridedBatchedEx: ", cublas.describe(status));
    }
  });
}

void compute_gemm(const KernelCall& call, Queue& queue) {
  const GemmCall gemm = gemm_call(call);
  const Tensor y = call.output(0);
  if (y.empty()) return;
  enqueue_output(queue, y, hazard(call), "gemm kernel", [gemm](Launch& launch, const Tensor& out) {
    const Product p = product_of(gemm.a, gemm.b, out);
    gpu::MatmulArgs args = kernel_args(p, gemm.a, gemm.b, out);
    args.scaled = true;
    args.alpha = gemm.alpha;
    args.beta = gemm.beta;
    if (!gemm.c.absent) {
      const Tensor addend = addend_view(gemm.c, out);
      const auto size = static_cast<int64_t>(addend.element_size);
      args.addend = addend.base;
      args.addend_row = addend.strides[0] * size;
      args.addend_col = addend.strides[1] * size;
    }
    launch.check(gpu::launch_matmul(gemm.a.dtype, args, launch.stream()), "gemm kernel");
  });
}

}  // namespace keel::cuda
