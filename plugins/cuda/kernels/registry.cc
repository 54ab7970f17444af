#include "kernels/registry.h"

#include <array>

#include "kernels/call.h"
#include "kernels/ops.h"
#include "runtime/device.h"
#include "runtime/handles.h"
#include "runtime/queue.h"

namespace keel::cuda {
namespace {

// The spec's type sets (spec.yaml); the plugin computes every dtype in them.
constexpr std::array<keel_dtype_t, 4> kFloat = {KEEL_DTYPE_F32, KEEL_DTYPE_F16, KEEL_DTYPE_BF16, KEEL_DTYPE_F64};
constexpr std::array<keel_dtype_t, 6> kNumeric = {KEEL_DTYPE_F32, KEEL_DTYPE_F16, KEEL_DTYPE_BF16,
                                                  KEEL_DTYPE_F64, KEEL_DTYPE_I32, KEEL_DTYPE_I64};
constexpr std::array<keel_dtype_t, 2> kInt = {KEEL_DTYPE_I32, KEEL_DTYPE_I64};
constexpr std::array<keel_dtype_t, 1> kBool = {KEEL_DTYPE_BOOL};
// Operators that only move data also take the int8 dtypes.
constexpr std::array<keel_dtype_t, 9> kData = {KEEL_DTYPE_BOOL, KEEL_DTYPE_I8,  KEEL_DTYPE_U8,
                                               KEEL_DTYPE_I32,  KEEL_DTYPE_I64, KEEL_DTYPE_F32,
                                               KEEL_DTYPE_F16,  KEEL_DTYPE_BF16, KEEL_DTYPE_F64};
constexpr std::array<keel_dtype_t, 7> kAll = {KEEL_DTYPE_BOOL, KEEL_DTYPE_I32,  KEEL_DTYPE_I64, KEEL_DTYPE_F32,
                                              KEEL_DTYPE_F16,  KEEL_DTYPE_BF16, KEEL_DTYPE_F64};

using gpu::BinaryOp;
using gpu::CompareOp;
using gpu::MathOp;
using gpu::UnaryOp;

// By spec group. cuBLAS takes the matmuls and gemms it can express; the plugin's own kernel takes the rest.
constexpr OpKernel kOpKernels[] = {
    // activations
    {"sigmoid", "", 0, kFloat, compute_unary<UnaryOp::kSigmoid>, nullptr},
    {"relu", "", 0, kNumeric, compute_unary<UnaryOp::kRelu>, nullptr},
    {"leaky_relu", "", 0, kFloat, compute_leaky_relu, nullptr},
    {"elu", "", 0, kFloat, compute_elu, nullptr},
    {"celu", "", 0, kFloat, compute_celu, nullptr},
    {"selu", "", 0, kFloat, compute_selu, nullptr},
    {"gelu", "", 0, kFloat, compute_gelu, nullptr},
    {"silu", "", 0, kFloat, compute_math<MathOp::kSilu>, nullptr},
    {"softplus", "", 0, kFloat, compute_math<MathOp::kSoftplus>, nullptr},
    {"softsign", "", 0, kFloat, compute_math<MathOp::kSoftsign>, nullptr},
    {"hardsigmoid", "", 0, kFloat, compute_hardsigmoid, nullptr},
    {"hardswish", "", 0, kFloat, compute_math<MathOp::kHardswish>, nullptr},
    {"prelu", "", 0, kFloat, compute_binary<BinaryOp::kPrelu>, nullptr},
    // cast, comparison, logical, selection
    {"cast", "", 0, kAll, compute_cast, nullptr},  // the primary type variable is the input's (T1)
    {"equal", "", 0, kAll, compute_compare<CompareOp::kEqual>, nullptr},
    {"not_equal", "", 0, kAll, compute_compare<CompareOp::kNotEqual>, nullptr},
    {"less", "", 0, kNumeric, compute_compare<CompareOp::kLess>, nullptr},
    {"less_equal", "", 0, kNumeric, compute_compare<CompareOp::kLessEqual>, nullptr},
    {"greater", "", 0, kNumeric, compute_compare<CompareOp::kGreater>, nullptr},
    {"greater_equal", "", 0, kNumeric, compute_compare<CompareOp::kGreaterEqual>, nullptr},
    {"logical_not", "", 0, kBool, compute_unary<UnaryOp::kLogicalNot>, nullptr},
    {"logical_and", "", 0, kBool, compute_binary<BinaryOp::kLogicalAnd>, nullptr},
    {"logical_or", "", 0, kBool, compute_binary<BinaryOp::kLogicalOr>, nullptr},
    {"logical_xor", "", 0, kBool, compute_binary<BinaryOp::kLogicalXor>, nullptr},
    {"where", "", 0, kData, compute_where, nullptr},
    {"clamp", "", 0, kNumeric, compute_clamp, nullptr},
    // creation
    {"full", "", 0, kAll, compute_full, nullptr},
    {"arange", "", 0, kNumeric, compute_arange, nullptr},
    {"eye", "", 0, kAll, compute_eye, nullptr},
    // binary arithmetic
    {"add", "", 0, kNumeric, compute_binary<BinaryOp::kAdd>, nullptr},
    {"sub", "", 0, kNumeric, compute_binary<BinaryOp::kSub>, nullptr},
    {"mul", "", 0, kNumeric, compute_binary<BinaryOp::kMul>, nullptr},
    {"div", "", 0, kNumeric, compute_binary<BinaryOp::kDiv>, nullptr},
    {"pow", "", 0, kFloat, compute_binary<BinaryOp::kPow>, nullptr},
    {"maximum", "", 0, kNumeric, compute_binary<BinaryOp::kMaximum>, nullptr},
    {"minimum", "", 0, kNumeric, compute_binary<BinaryOp::kMinimum>, nullptr},
    {"fmod", "", 0, kNumeric, compute_binary<BinaryOp::kFmod>, nullptr},
    {"remainder", "", 0, kNumeric, compute_binary<BinaryOp::kRemainder>, nullptr},
    // unary math
    {"neg", "", 0, kNumeric, compute_unary<UnaryOp::kNeg>, nullptr},
    {"abs", "", 0, kNumeric, compute_unary<UnaryOp::kAbs>, nullptr},
    {"sign", "", 0, kNumeric, compute_unary<UnaryOp::kSign>, nullptr},
    {"exp", "", 0, kFloat, compute_unary<UnaryOp::kExp>, nullptr},
    {"log", "", 0, kFloat, compute_unary<UnaryOp::kLog>, nullptr},
    {"sqrt", "", 0, kFloat, compute_unary<UnaryOp::kSqrt>, nullptr},
    {"tanh", "", 0, kFloat, compute_unary<UnaryOp::kTanh>, nullptr},
    {"reciprocal", "", 0, kFloat, compute_math<MathOp::kReciprocal>, nullptr},
    {"rsqrt", "", 0, kFloat, compute_math<MathOp::kRsqrt>, nullptr},
    {"sin", "", 0, kFloat, compute_math<MathOp::kSin>, nullptr},
    {"cos", "", 0, kFloat, compute_math<MathOp::kCos>, nullptr},
    {"tan", "", 0, kFloat, compute_math<MathOp::kTan>, nullptr},
    {"erf", "", 0, kFloat, compute_math<MathOp::kErf>, nullptr},
    {"floor", "", 0, kFloat, compute_math<MathOp::kFloor>, nullptr},
    {"ceil", "", 0, kFloat, compute_math<MathOp::kCeil>, nullptr},
    {"round", "", 0, kFloat, compute_math<MathOp::kRound>, nullptr},
    {"isnan", "", 0, kFloat, compute_isnan, nullptr},
    {"isinf", "", 0, kFloat, compute_isinf, nullptr},
    // linear algebra
    {"matmul", "cublas", 10, kFloat, compute_matmul_cublas, supports_matmul_cublas},
    {"matmul", "", 0, kFloat, compute_matmul, nullptr},
    {"gemm", "cublas", 10, kFloat, compute_gemm_cublas, supports_gemm_cublas},
    {"gemm", "", 0, kFloat, compute_gemm, nullptr},
    // reductions
    {"reduce_sum", "", 0, kNumeric, compute_reduce_sum, nullptr},
    {"reduce_mean", "", 0, kFloat, compute_reduce_mean, nullptr},
    {"reduce_max", "", 0, kNumeric, compute_reduce_max, nullptr},
    {"reduce_min", "", 0, kNumeric, compute_reduce_min, nullptr},
    {"reduce_prod", "", 0, kNumeric, compute_reduce_prod, nullptr},
    {"argmax", "", 0, kNumeric, compute_argmax, nullptr},
    {"argmin", "", 0, kNumeric, compute_argmin, nullptr},
    // softmax
    {"softmax", "", 0, kFloat, compute_softmax, nullptr},
    {"log_softmax", "", 0, kFloat, compute_log_softmax, nullptr},
    // normalization, scans, indexing
    {"layer_norm", "", 0, kFloat, compute_layer_norm, nullptr},
    {"rms_norm", "", 0, kFloat, compute_rms_norm, nullptr},
    {"cumsum", "", 0, kNumeric, compute_cumsum, nullptr},
    {"gather", "", 0, kData, compute_gather, nullptr},
    {"one_hot", "", 0, kInt, compute_one_hot, nullptr},  // the primary type variable is the indices' (Tind)
    // random numbers (Philox4x32-10, the spec's exact bits)
    {"rng_uniform", "", 0, kFloat, compute_rng_uniform, nullptr},
    {"rng_normal", "", 0, kFloat, compute_rng_normal, nullptr},
    {"bernoulli", "", 0, kFloat, compute_bernoulli, nullptr},
    {"dropout", "", 0, kFloat, compute_dropout, nullptr},
    // shape and layout
    {"reshape", "", 0, kData, compute_reshape, nullptr},
    {"flatten", "", 0, kData, compute_reshape, nullptr},
    {"squeeze", "", 0, kData, compute_reshape, nullptr},
    {"unsqueeze", "", 0, kData, compute_reshape, nullptr},
    {"copy", "", 0, kData, compute_reshape, nullptr},
    {"permute", "", 0, kData, compute_permute, nullptr},
    {"expand", "", 0, kData, compute_expand, nullptr},
    {"flip", "", 0, kData, compute_flip, nullptr},
    {"concat", "", 0, kData, compute_concat, nullptr},
    {"split", "", 0, kData, compute_split, nullptr},
    {"slice", "", 0, kData, compute_slice, nullptr},
    {"tile", "", 0, kData, compute_tile, nullptr},
    {"trilu", "", 0, kData, compute_trilu, nullptr},
    {"shape", "", 0, kData, compute_shape, nullptr},
};

}  // namespace

std::span<const OpKernel> op_kernels() { return kOpKernels; }

}  // namespace keel::cuda

using keel::cuda::Device;
using keel::cuda::fail;
using keel::cuda::from_handle;
using keel::cuda::KernelCall;
using keel::cuda::KernelContext;

extern "C" {

// The host files the answer under this kernel's name, so the message does not repeat it.
static keel_status_t keel_cuda_kernel_supports(void* kernel_ctx, const keel_kernel_call_t* call) {
  const auto& kernel = *static_cast<const KernelContext*>(kernel_ctx);
  return kernel.host.guard("", [&] {
    if (call == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "call is NULL");
    const KernelCall checked(*call);  // UNIMPLEMENTED for a tensor of a dtype the plugin does not compute
    if (kernel.op->supports != nullptr) kernel.op->supports(checked, *from_handle(call->device));
  });
}

static keel_status_t keel_cuda_kernel_compute(void* kernel_ctx, void* /*state*/, keel_plugin_queue_t* queue,
                                              const keel_kernel_call_t* call) {
  const auto& kernel = *static_cast<const KernelContext*>(kernel_ctx);
  return kernel.host.guard(kernel.name.c_str(), [&] {
    if (call == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "call is NULL");
    const KernelCall checked(*call);
    kernel.op->compute(checked, *from_handle(queue)->queue);
  });
}

}  // extern "C"

namespace keel::cuda {
namespace {

// Shared by every registration; kernel_ctx tells them apart. No state between calls: each compute builds
// its launch arguments from the call (cheap next to a launch).
constexpr keel_kernel_api_t kKernelApi = {
    .struct_size = sizeof(keel_kernel_api_t),
    .supports = keel_cuda_kernel_supports,
    .create = nullptr,
    .compute = keel_cuda_kernel_compute,
    .release_state = nullptr,
};

}  // namespace

void register_kernels(const Host& host, std::vector<KernelContext>& contexts) {
  const auto register_slot = host.kernel_register_slot();
  contexts.clear();
  contexts.reserve(op_kernels().size());
  for (const OpKernel& op : op_kernels()) {
    std::string name = concat("cuda.", op.op_name, op.variant[0] != '\0' ? "." : "", op.variant);
    contexts.push_back(KernelContext{host, &op, std::move(name)});
  }
  size_t skipped = 0;
  for (KernelContext& context : contexts) {
    const OpKernel& op = *context.op;
    const keel_kernel_registration_t registration = {
        .struct_size = sizeof(keel_kernel_registration_t),
        .next = nullptr,
        .op_name = op.op_name,
        .op_version_min = 1,
        .op_version_max = 1,
        .kernel_name = context.name.c_str(),
        .priority = op.priority,
        .dtypes = op.dtypes.data(),
        .dtype_count = op.dtypes.size(),
        .layout_flags = KEEL_KERNEL_ANY_STRIDES,
        .api = &kKernelApi,
        .kernel_ctx = &context,
    };
    keel_status_t status = register_slot(host.context(), &registration);
    if (status == nullptr) continue;
    Error error = host.consume(status, concat("registering ", context.name));
    if (error.code() != KEEL_STATUS_NOT_FOUND) throw error;
    ++skipped;  // an operator newer than the host's spec
    host.log(KEEL_LOG_INFO, error.message());
  }
  if (skipped > 0) {
    host.log(KEEL_LOG_INFO, concat(skipped, " kernel(s) were not registered: the host's operator spec lacks them"));
  }
}

}  // namespace keel::cuda
