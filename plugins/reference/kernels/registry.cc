#include "registry.h"

#include <array>

#include "dtype.h"
#include "handles.h"
#include "kernels.h"
#include "queue.h"

namespace keel::reference {
namespace {

// The spec's type sets (spec.yaml), every dtype of which this plugin computes.
constexpr std::array<keel_dtype_t, 4> kFloat = {KEEL_DTYPE_F32, KEEL_DTYPE_F16, KEEL_DTYPE_BF16, KEEL_DTYPE_F64};
constexpr std::array<keel_dtype_t, 2> kInt = {KEEL_DTYPE_I32, KEEL_DTYPE_I64};
constexpr std::array<keel_dtype_t, 6> kNumeric = {KEEL_DTYPE_F32, KEEL_DTYPE_F16, KEEL_DTYPE_BF16,
                                                  KEEL_DTYPE_F64, KEEL_DTYPE_I32, KEEL_DTYPE_I64};
constexpr std::array<keel_dtype_t, 7> kAll = {KEEL_DTYPE_BOOL, KEEL_DTYPE_I32, KEEL_DTYPE_I64, KEEL_DTYPE_F32,
                                              KEEL_DTYPE_F16, KEEL_DTYPE_BF16, KEEL_DTYPE_F64};
// Operators that only move data: all, plus the int8 profile's i8 and u8.
constexpr std::array<keel_dtype_t, 9> kData = {KEEL_DTYPE_BOOL, KEEL_DTYPE_I8,  KEEL_DTYPE_U8,
                                               KEEL_DTYPE_I32,  KEEL_DTYPE_I64, KEEL_DTYPE_F32,
                                               KEEL_DTYPE_F16,  KEEL_DTYPE_BF16, KEEL_DTYPE_F64};
constexpr std::array<keel_dtype_t, 1> kBool = {KEEL_DTYPE_BOOL};
// max_pool's list: numeric plus the int8 profile's i8 and u8.
constexpr std::array<keel_dtype_t, 8> kNumericInt8 = {KEEL_DTYPE_F32, KEEL_DTYPE_F16, KEEL_DTYPE_BF16, KEEL_DTYPE_F64,
                                                      KEEL_DTYPE_I32, KEEL_DTYPE_I64, KEEL_DTYPE_I8,  KEEL_DTYPE_U8};

// Every primitive operator of the spec (and two composites, relu and not_equal, that are as easy to run
// directly), in the spec's order of groups. The dtypes are those the spec allows for the primary type
// variable.
constexpr std::array<OpKernel, 87> kOpKernels = {{
    {"sigmoid", kFloat, compute_sigmoid},
    {"relu", kNumeric, compute_relu},  // a composite, also run directly
    {"cast", kAll, compute_cast},  // the primary type variable is the input's (T1)
    {"equal", kAll, compute_equal},
    {"not_equal", kAll, compute_not_equal},  // a composite, also run directly
    {"less", kNumeric, compute_less},
    {"less_equal", kNumeric, compute_less_equal},
    {"greater", kNumeric, compute_greater},
    {"greater_equal", kNumeric, compute_greater_equal},
    {"conv", kFloat, compute_conv},
    {"conv_transpose", kFloat, compute_conv_transpose},
    {"full", kAll, compute_full},  // the primary type variable is the output's
    {"arange", kNumeric, compute_arange},  // the primary type variable is the output's
    {"add", kNumeric, compute_add},
    {"sub", kNumeric, compute_sub},
    {"mul", kNumeric, compute_mul},
    {"div", kNumeric, compute_div},
    {"pow", kFloat, compute_pow},
    {"maximum", kNumeric, compute_maximum},
    {"minimum", kNumeric, compute_minimum},
    {"fmod", kNumeric, compute_fmod},
    {"remainder", kNumeric, compute_remainder},
    {"neg", kNumeric, compute_neg},
    {"abs", kNumeric, compute_abs},
    {"sign", kNumeric, compute_sign},
    {"exp", kFloat, compute_exp},
    {"log", kFloat, compute_log},
    {"sqrt", kFloat, compute_sqrt},
    {"tanh", kFloat, compute_tanh},
    {"reciprocal", kFloat, compute_reciprocal},
    {"rsqrt", kFloat, compute_rsqrt},
    {"sin", kFloat, compute_sin},
    {"cos", kFloat, compute_cos},
    {"erf", kFloat, compute_erf},
    {"floor", kFloat, compute_floor},
    {"ceil", kFloat, compute_ceil},
    {"round", kFloat, compute_round},
    {"isnan", kFloat, compute_isnan},
    {"isinf", kFloat, compute_isinf},
    {"gather", kData, compute_gather},
    {"gather_elements", kData, compute_gather_elements},
    {"gather_nd", kData, compute_gather_nd},
    {"scatter_elements", kData, compute_scatter_elements},
    {"scatter_nd", kData, compute_scatter_nd},
    {"one_hot", kInt, compute_one_hot},  // the primary type variable is the indices' (Tind)
    {"nonzero", kData, compute_nonzero},
    {"split", kData, compute_split},
    {"tile", kData, compute_tile},
    {"flip", kData, compute_flip},
    {"shape", kData, compute_shape},
    {"trilu", kData, compute_trilu},
    {"copy", kData, compute_copy},
    {"matmul", kFloat, compute_matmul},
    {"logical_not", kBool, compute_logical_not},
    {"logical_and", kBool, compute_logical_and},
    {"logical_or", kBool, compute_logical_or},
    {"logical_xor", kBool, compute_logical_xor},
    {"max_pool", kNumericInt8, compute_max_pool},
    {"avg_pool", kFloat, compute_avg_pool},
    {"rng_uniform", kFloat, compute_rng_uniform},  // the primary type variable is the output's
    {"rng_normal", kFloat, compute_rng_normal},  // the primary type variable is the output's
    {"bernoulli", kFloat, compute_bernoulli},
    {"dropout", kFloat, compute_dropout},
    {"reduce_sum", kNumeric, compute_reduce_sum},
    {"reduce_mean", kFloat, compute_reduce_mean},
    {"reduce_max", kNumeric, compute_reduce_max},
    {"reduce_min", kNumeric, compute_reduce_min},
    {"reduce_prod", kNumeric, compute_reduce_prod},
    {"argmax", kNumeric, compute_argmax},
    {"argmin", kNumeric, compute_argmin},
    {"resize", kFloat, compute_resize},
    {"pad", kData, compute_pad},
    {"cumsum", kNumeric, compute_cumsum},
    {"topk", kNumeric, compute_topk},
    {"where", kData, compute_where},
    {"reshape", kData, compute_reshape},
    {"permute", kData, compute_permute},
    {"concat", kData, compute_concat},
    {"slice", kData, compute_slice},
    {"expand", kData, compute_expand},
    {"squeeze", kData, compute_squeeze},
    {"unsqueeze", kData, compute_unsqueeze},
    {"softmax", kFloat, compute_softmax},
    {"log_softmax", kFloat, compute_log_softmax},
    {"conv_backward_weight", kFloat, compute_conv_backward_weight},
    {"avg_pool_backward", kFloat, compute_avg_pool_backward},
    {"embedding_backward", kFloat, compute_embedding_backward},
}};

// The registration's dtype list only covers the primary type variable; every other tensor is checked here
// (an absent optional input, dtype KEEL_DTYPE_INVALID, is fine).
void check_dtypes(const keel_tensor_desc_t* tensors, size_t count, const char* role, bool absent_allowed) {
  for (size_t i = 0; i < count; ++i) {
    if (absent_allowed && tensors[i].dtype == KEEL_DTYPE_INVALID) continue;
    if (!dtype_implemented(tensors[i].dtype)) {
      fail(KEEL_STATUS_UNIMPLEMENTED, role, " ", i, " has dtype ", tensors[i].dtype,
           ", which the reference plugin does not know");
    }
  }
}

}  // namespace

std::span<const OpKernel> op_kernels() { return kOpKernels; }

}  // namespace keel::reference

using keel::reference::fail;
using keel::reference::KernelCall;
using keel::reference::KernelContext;

extern "C" {

// The host files the answer under this kernel's name, so the message does not repeat it.
static keel_status_t reference_kernel_supports(void* kernel_ctx, const keel_kernel_call_t* call) {
  const auto& kernel = *static_cast<const KernelContext*>(kernel_ctx);
  return kernel.host.guard("", [&] {
    if (call == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "call is NULL");
    const KernelCall checked(*call);
    keel::reference::check_dtypes(call->inputs, call->input_count, "input", true);
    keel::reference::check_dtypes(call->outputs, call->output_count, "output", false);
  });
}

static keel_status_t reference_kernel_compute(void* kernel_ctx, void* /*state*/, keel_plugin_queue_t* queue,
                                              const keel_kernel_call_t* call) {
  const auto& kernel = *static_cast<const KernelContext*>(kernel_ctx);
  return kernel.host.guard(kernel.name.c_str(), [&] {
    if (call == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "call is NULL");
    const KernelCall checked(*call);
    keel::reference::from_handle(queue)->run([&] { kernel.op->compute(checked); });
  });
}

}  // extern "C"

namespace keel::reference {
namespace {

// Shared by every registration; kernel_ctx tells the operators apart. No create/release_state: the kernels
// keep no state between calls.
constexpr keel_kernel_api_t kKernelApi = {
    .struct_size = sizeof(keel_kernel_api_t),
    .supports = reference_kernel_supports,
    .create = nullptr,
    .compute = reference_kernel_compute,
    .release_state = nullptr,
};

}  // namespace

void register_kernels(const Host& host, std::vector<KernelContext>& contexts) {
  const auto register_slot = host.kernel_register_slot();
  // All contexts exist before the first registration, so the pointers handed to the host never move.
  contexts.clear();
  contexts.reserve(kOpKernels.size());
  for (const OpKernel& op : kOpKernels) contexts.push_back(KernelContext{host, &op, concat("reference.", op.op_name)});
  for (KernelContext& context : contexts) {
    const OpKernel& op = *context.op;
    keel_kernel_registration_t registration = {
        .struct_size = sizeof(keel_kernel_registration_t),
        .next = nullptr,
        .op_name = op.op_name,
        .op_version_min = 1,
        .op_version_max = 1,
        .kernel_name = context.name.c_str(),
        .priority = 0,
        .dtypes = op.dtypes.data(),
        .dtype_count = op.dtypes.size(),
        .layout_flags = KEEL_KERNEL_ANY_STRIDES,
        .api = &kKernelApi,
        .kernel_ctx = &context,
    };
    if (keel_status_t status = register_slot(host.context(), &registration)) {
      throw host.consume(status, concat("registering ", context.name));
    }
  }
}

}  // namespace keel::reference
