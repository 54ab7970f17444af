// The boundary between the host code (built by the C++ compiler) and the kernels (built by nvcc). The host
// side describes a computation with the plain structs below, already simplified (dimensions merged, strides
// in bytes, broadcasting as stride 0), and calls one launch function; each returns the CUDA runtime's verdict
// on the launch. Only the .cu files include CUDA runtime headers.
#pragma once

#include <cuda.h>

#include <cstddef>
#include <cstdint>

#include "keel/keel_types.h"

namespace keel::cuda::gpu {

inline constexpr int kMaxRank = KEEL_MAX_RANK;
inline constexpr int kMaxMapInputs = 3;

// What a launch returned: 0 (cudaSuccess) or a cudaError_t with its name and description (static strings).
struct LaunchResult {
  int code = 0;
  const char* name = "cudaSuccess";
  const char* text = "no error";
  bool ok() const { return code == 0; }
};

// An operand: the address of its element (0, ..., 0) and a byte stride per dimension of the iteration shape.
struct Operand {
  CUdeviceptr base = 0;
  int64_t strides[kMaxRank] = {};
};

// One pass over `count` elements in row-major order of `dims`. Every operand is addressed with the same
// coordinates (broadcast inputs have stride 0).
struct MapArgs {
  int32_t rank = 0;
  int64_t dims[kMaxRank] = {};
  int64_t count = 0;
  Operand out;
  Operand in[kMaxMapInputs];
};

enum class UnaryOp : uint32_t { kNeg, kAbs, kSign, kExp, kLog, kSqrt, kTanh, kSigmoid, kRelu, kLogicalNot };
enum class BinaryOp : uint32_t {
  kAdd, kSub, kMul, kDiv, kPow, kMaximum, kMinimum, kFmod, kRemainder, kPrelu, kLogicalAnd, kLogicalOr, kLogicalXor
};
enum class CompareOp : uint32_t { kEqual, kNotEqual, kLess, kLessEqual, kGreater, kGreaterEqual };
// Float-only unary functions (math.cu); the activations among them read MathParams.
enum class MathOp : uint32_t {
  kReciprocal, kRsqrt, kSin, kCos, kTan, kErf, kFloor, kCeil, kRound, kSilu, kSoftplus, kSoftsign, kHardswish,
  kLeakyRelu, kElu, kCelu, kSelu, kGelu, kGeluTanh, kHardsigmoid
};
struct MathParams {
  double alpha = 0;
  double beta = 0;
  double gamma = 0;
};
enum class ClassifyOp : uint32_t { kIsNan, kIsInf };

// Elementwise maps; `dtype` is the inputs' dtype. binary: `aux` is the div rounding mode.
LaunchResult launch_unary(UnaryOp op, keel_dtype_t dtype, const MapArgs& args, CUstream stream);
LaunchResult launch_binary(BinaryOp op, keel_dtype_t dtype, uint32_t aux, const MapArgs& args, CUstream stream);
LaunchResult launch_compare(CompareOp op, keel_dtype_t dtype, const MapArgs& args, CUstream stream);
LaunchResult launch_math(MathOp op, keel_dtype_t dtype, const MathParams& params, const MapArgs& args,
                         CUstream stream);
// A bool per element: isnan, or isinf for the signs selected.
LaunchResult launch_classify(ClassifyOp op, keel_dtype_t dtype, bool positive, bool negative, const MapArgs& args,
                             CUstream stream);
// y = clamp(x, lo, hi) with in[0] = x, in[1] = lo, in[2] = hi (both bounds present).
LaunchResult launch_clamp(keel_dtype_t dtype, const MapArgs& args, CUstream stream);
// y = cond ? a : b with in[0] = cond (bool), in[1] = a, in[2] = b; elements copied as `element_size` bytes.
LaunchResult launch_where(size_t element_size, const MapArgs& args, CUstream stream);
LaunchResult launch_cast(keel_dtype_t from, keel_dtype_t to, const MapArgs& args, CUstream stream);
// Every element of `out` set to the `element_size`-byte pattern.
LaunchResult launch_fill(size_t element_size, uint64_t pattern, const MapArgs& args, CUstream stream);

// Element i (row-major) of `src` to element i of `dst`; the two sides may have different shapes.
struct CopyArgs {
  int64_t count = 0;
  int32_t src_rank = 0;
  int64_t src_dims[kMaxRank] = {};
  Operand src;
  int32_t dst_rank = 0;
  int64_t dst_dims[kMaxRank] = {};
  Operand dst;
};
LaunchResult launch_copy(size_t element_size, const CopyArgs& args, CUstream stream);

// `size` bytes at `dst` (any alignment) set to the repeated pattern of 1, 2, 4 or 8 bytes.
LaunchResult launch_fill_bytes(CUdeviceptr dst, uint64_t size, uint64_t pattern, uint32_t pattern_size,
                               CUstream stream);

// y[i] = start + i * delta in f64 (multiply and add rounded separately), cast to `dtype`; args.in unused.
LaunchResult launch_arange(keel_dtype_t dtype, double start, double delta, const MapArgs& args, CUstream stream);

// Maps that look at the output position i (row-major over the output's shape, whose last two dimensions
// are `rows` × `cols`):
// trilu keeps in[0]'s element where j - i >= k (upper) or <= k (lower) and writes zero bytes elsewhere.
LaunchResult launch_trilu(size_t element_size, int64_t rows, int64_t cols, bool upper, int64_t k,
                          const MapArgs& args, CUstream stream);
// eye writes `one` (the bits of 1 in the dtype) where j - i == k and zero bytes elsewhere.
LaunchResult launch_eye(size_t element_size, uint64_t one, int64_t cols, int64_t k, const MapArgs& args,
                        CUstream stream);
// tile: out[j] = in[j mod in_dims] (per dimension); the map's out operand is the output.
struct TileSource {
  int32_t rank = 0;
  int64_t out_dims[kMaxRank] = {};
  int64_t in_dims[kMaxRank] = {};
  int64_t in_strides[kMaxRank] = {};  // bytes
  CUdeviceptr in = 0;
};
LaunchResult launch_tile(size_t element_size, const TileSource& source, const MapArgs& args, CUstream stream);

// ---- Random numbers (random_ops.h) -----------------------------------------------------------------------------

// Output element e is the map's row-major position i.
LaunchResult launch_rng_uniform(keel_dtype_t dtype, uint64_t seed, uint64_t offset, double low, double high,
                                const MapArgs& args, CUstream stream);
LaunchResult launch_rng_normal(keel_dtype_t dtype, uint64_t seed, uint64_t offset, double mean, double std,
                               const MapArgs& args, CUstream stream);
// bernoulli: in[0] = p (dtype `p_dtype`); the output gets `one` (the bits of 1) or zero bytes.
LaunchResult launch_bernoulli(keel_dtype_t p_dtype, size_t out_size, uint64_t one, uint64_t seed, uint64_t offset,
                              const MapArgs& args, CUstream stream);
// dropout's y (in[0] = x, same dtype) and, separately, its mask (bool, no input).
LaunchResult launch_dropout(keel_dtype_t dtype, uint64_t seed, uint64_t offset, double ratio, const MapArgs& args,
                            CUstream stream);
LaunchResult launch_dropout_mask(uint64_t seed, uint64_t offset, double ratio, const MapArgs& args, CUstream stream);

// ---- Reductions ---------------------------------------------------------------------------------------------

enum class ReduceOp : uint32_t { kSum, kMean, kMax, kMin, kProd };

// out[o] = reduce over r of in[o, r]: `kept` dims address the outputs (in the input and in the output),
// `reduced` dims the elements combined into one output.
struct ReduceArgs {
  int64_t out_count = 0;
  int64_t reduce_count = 0;
  int32_t kept_rank = 0;
  int64_t kept_dims[kMaxRank] = {};
  int64_t in_kept_strides[kMaxRank] = {};
  int64_t out_kept_strides[kMaxRank] = {};
  int32_t reduced_rank = 0;
  int64_t reduced_dims[kMaxRank] = {};
  int64_t in_reduced_strides[kMaxRank] = {};
  CUdeviceptr in = 0;
  CUdeviceptr out = 0;
};

// Bytes of scratch launch_reduce needs for `args` (0 when it reduces in one pass); `processors` is the
// device's multiprocessor count, which decides how a long reduction is split.
uint64_t reduce_scratch_bytes(ReduceOp op, keel_dtype_t dtype, const ReduceArgs& args, int processors);
LaunchResult launch_reduce(ReduceOp op, keel_dtype_t dtype, const ReduceArgs& args, int processors,
                           CUdeviceptr scratch, CUstream stream);

// Softmax along one axis: `outer` dims enumerate the slices (in the input and in the output).
struct SoftmaxArgs {
  int64_t slice_count = 0;
  int64_t length = 0;  // elements along the axis
  int32_t outer_rank = 0;
  int64_t outer_dims[kMaxRank] = {};
  int64_t in_outer_strides[kMaxRank] = {};
  int64_t out_outer_strides[kMaxRank] = {};
  int64_t in_axis_stride = 0;
  int64_t out_axis_stride = 0;
  CUdeviceptr in = 0;
  CUdeviceptr out = 0;
};
// softmax, or log_softmax with `log`.
LaunchResult launch_softmax(keel_dtype_t dtype, bool log, const SoftmaxArgs& args, CUstream stream);

// argmax/argmin along one axis: the i64 position of the winner per output. The reduced part of `args` is
// that one axis (reduced_rank 1).
LaunchResult launch_arg_reduce(bool max, keel_dtype_t dtype, const ReduceArgs& args, CUstream stream);

// ---- Normalization and scans (norm.cu) --------------------------------------------------------------------

// layer_norm / rms_norm over the trailing block of each row: `outer` dims enumerate the rows (strides for x,
// y, mean, inv_std), `inner` dims the n elements of a row (strides for x, y, scale, bias). Absent operands
// have address 0.
struct NormArgs {
  int64_t rows = 0;
  int64_t n = 0;
  int32_t outer_rank = 0;
  int64_t outer_dims[kMaxRank] = {};
  int64_t outer_strides[4][kMaxRank] = {};  // x, y, mean, inv_std
  int32_t inner_rank = 0;
  int64_t inner_dims[kMaxRank] = {};
  int64_t inner_strides[4][kMaxRank] = {};  // x, y, scale, bias
  CUdeviceptr x = 0, y = 0, mean = 0, inv_std = 0, scale = 0, bias = 0;
  double epsilon = 0;
  bool rms = false;
};
LaunchResult launch_norm(keel_dtype_t dtype, const NormArgs& args, CUstream stream);

// cumsum along the axis described like softmax's (one slice per thread, in order).
LaunchResult launch_cumsum(keel_dtype_t dtype, bool exclusive, bool reverse, const SoftmaxArgs& args,
                           CUstream stream);

// ---- Indexing (index.cu) --------------------------------------------------------------------------------------

// gather: the map's position i in y = [outer..., index..., inner...] reads x[outer, idx, inner] with
// idx = indices[index] (in [-axis_size, axis_size), else zero bytes).
struct GatherSource {
  int64_t index_count = 1, inner_count = 1, axis_size = 0, x_axis_stride = 0;
  int32_t outer_rank = 0, index_rank = 0, inner_rank = 0;
  int64_t outer_dims[kMaxRank] = {}, x_outer[kMaxRank] = {};
  int64_t index_dims[kMaxRank] = {}, index_strides[kMaxRank] = {};
  int64_t inner_dims[kMaxRank] = {}, x_inner[kMaxRank] = {};
  CUdeviceptr x = 0, indices = 0;
};
LaunchResult launch_gather(keel_dtype_t index_dtype, size_t element_size, const GatherSource& source,
                           const MapArgs& args, CUstream stream);
// one_hot: the map's position i in y has coordinate (i / inner) % depth along the new axis and reads
// indices at position (i / (inner · depth)) · inner + i % inner.
struct OneHotSource {
  int64_t depth = 0, inner = 1;
  int32_t index_rank = 0;
  int64_t index_dims[kMaxRank] = {}, index_strides[kMaxRank] = {};
  CUdeviceptr indices = 0;
  uint64_t on = 0, off = 0;  // bits in the output dtype
};
LaunchResult launch_one_hot(keel_dtype_t index_dtype, size_t element_size, const OneHotSource& source,
                            const MapArgs& args, CUstream stream);

// ---- Matmul without cuBLAS ----------------------------------------------------------------------------------

inline constexpr int kMaxBatchRank = kMaxRank - 2;

// c[b, m, n] = alpha · sum_k a[b, m, k] · b[b, k, n] + beta · addend[b, m, n] for any strides (bytes); batch
// dims already broadcast. Without an addend (0) the sum is stored as is (alpha and beta unused).
struct MatmulArgs {
  int64_t m = 0, n = 0, k = 0;
  int32_t batch_rank = 0;
  int64_t batch_dims[kMaxBatchRank] = {};
  int64_t batch_count = 0;
  int64_t a_batch[kMaxBatchRank] = {}, b_batch[kMaxBatchRank] = {}, c_batch[kMaxBatchRank] = {};
  int64_t a_row = 0, a_col = 0, b_row = 0, b_col = 0, c_row = 0, c_col = 0;
  CUdeviceptr a = 0, b = 0, c = 0;
  double alpha = 1, beta = 0;
  bool scaled = false;  // apply alpha (and beta with the addend)
  CUdeviceptr addend = 0;
  int64_t addend_batch[kMaxBatchRank] = {}, addend_row = 0, addend_col = 0;
};
LaunchResult launch_matmul(keel_dtype_t dtype, const MatmulArgs& args, CUstream stream);

// ---- Capability checks --------------------------------------------------------------------------------------

// Whether the kernels can run on the current context's device: fails with cudaErrorNoKernelImageForDevice
// (or similar) when the build holds no code for its architecture.
LaunchResult check_kernel_image();

}  // namespace keel::cuda::gpu
