#include "kernels/registry.h"

#include <array>

#include "device.h"
#include "handles.h"
#include "kernels/dtype.h"
#include "kernels/ops.h"
#include "queue.h"

namespace keel::opencl {
namespace {

// The spec's type sets without the dtypes this plugin does not compute (f16, bf16). f64 is registered and
// refused by supports() on devices without cl_khr_fp64.
constexpr std::array<keel_dtype_t, 2> kFloat = {KEEL_DTYPE_F32, KEEL_DTYPE_F64};
constexpr std::array<keel_dtype_t, 4> kNumeric = {KEEL_DTYPE_F32, KEEL_DTYPE_F64, KEEL_DTYPE_I32, KEEL_DTYPE_I64};
constexpr std::array<keel_dtype_t, 1> kBool = {KEEL_DTYPE_BOOL};
constexpr std::array<keel_dtype_t, 2> kIndex = {KEEL_DTYPE_I32, KEEL_DTYPE_I64};
constexpr std::array<keel_dtype_t, 5> kAll = {KEEL_DTYPE_BOOL, KEEL_DTYPE_I32, KEEL_DTYPE_I64, KEEL_DTYPE_F32,
                                              KEEL_DTYPE_F64};

constexpr std::array<OpKernel, 87> kOpKernels = {{
    {"neg", kNumeric, plan_elementwise},
    {"abs", kNumeric, plan_elementwise},
    {"sign", kNumeric, plan_elementwise},
    {"exp", kFloat, plan_elementwise},
    {"log", kFloat, plan_elementwise},
    {"sqrt", kFloat, plan_elementwise},
    {"tanh", kFloat, plan_elementwise},
    {"sigmoid", kFloat, plan_elementwise},
    {"relu", kNumeric, plan_elementwise},
    {"reciprocal", kFloat, plan_elementwise},
    {"rsqrt", kFloat, plan_elementwise},
    {"sin", kFloat, plan_elementwise},
    {"cos", kFloat, plan_elementwise},
    {"erf", kFloat, plan_elementwise},
    {"floor", kFloat, plan_elementwise},
    {"ceil", kFloat, plan_elementwise},
    {"round", kFloat, plan_elementwise},
    {"isnan", kFloat, plan_elementwise},
    {"isinf", kFloat, plan_elementwise},
    {"logical_not", kBool, plan_elementwise},
    {"add", kNumeric, plan_elementwise},
    {"sub", kNumeric, plan_elementwise},
    {"mul", kNumeric, plan_elementwise},
    {"div", kNumeric, plan_elementwise},
    {"pow", kFloat, plan_elementwise},
    {"fmod", kNumeric, plan_elementwise},
    {"remainder", kNumeric, plan_elementwise},
    {"maximum", kNumeric, plan_elementwise},
    {"minimum", kNumeric, plan_elementwise},
    {"equal", kAll, plan_elementwise},
    {"not_equal", kAll, plan_elementwise},
    {"less", kNumeric, plan_elementwise},
    {"less_equal", kNumeric, plan_elementwise},
    {"greater", kNumeric, plan_elementwise},
    {"greater_equal", kNumeric, plan_elementwise},
    {"logical_and", kBool, plan_elementwise},
    {"logical_or", kBool, plan_elementwise},
    {"logical_xor", kBool, plan_elementwise},
    {"where", kAll, plan_elementwise},
    {"cast", kAll, plan_cast},  // the primary type variable is the input's (T1)
    {"reduce_sum", kNumeric, plan_reduce},
    {"reduce_mean", kFloat, plan_reduce},
    {"reduce_max", kNumeric, plan_reduce},
    {"reduce_min", kNumeric, plan_reduce},
    {"reduce_prod", kNumeric, plan_reduce},
    {"argmax", kNumeric, plan_arg_reduce},
    {"argmin", kNumeric, plan_arg_reduce},
    {"matmul", kFloat, plan_matmul},
    {"softmax", kFloat, plan_softmax},
    {"log_softmax", kFloat, plan_softmax},
    {"reshape", kAll, plan_reshape},
    {"permute", kAll, plan_permute},
    {"concat", kAll, plan_concat},
    {"slice", kAll, plan_slice},
    {"copy", kAll, plan_copy},
    {"flip", kAll, plan_flip},
    {"expand", kAll, plan_expand},
    {"squeeze", kAll, plan_squeeze},
    {"unsqueeze", kAll, plan_unsqueeze},
    {"tile", kAll, plan_tile},
    {"split", kAll, plan_split},
    {"trilu", kAll, plan_trilu},
    {"gather", kAll, plan_gather},
    {"gather_elements", kAll, plan_gather},
    {"gather_nd", kAll, plan_gather_nd},
    {"scatter_elements", kAll, plan_scatter_elements},
    {"scatter_nd", kAll, plan_scatter_nd},
    {"one_hot", kIndex, plan_one_hot},  // the primary type variable is the indices' (Tind)
    {"pad", kAll, plan_pad},
    {"resize", kFloat, plan_resize},
    {"max_pool", kNumeric, plan_pool},
    {"avg_pool", kFloat, plan_pool},
    {"avg_pool_backward", kFloat, plan_avg_pool_backward},
    {"conv", kFloat, plan_conv},
    {"conv_transpose", kFloat, plan_conv},
    {"conv_backward_weight", kFloat, plan_conv},
    {"cumsum", kNumeric, plan_cumsum},
    {"nonzero", kAll, plan_nonzero},
    {"topk", kNumeric, plan_topk},
    {"embedding_backward", kFloat, plan_embedding_backward},
    {"shape", kAll, plan_shape},
    {"full", kAll, plan_full},
    {"arange", kNumeric, plan_arange},
    {"rng_uniform", kFloat, plan_rng_uniform},
    {"rng_normal", kFloat, plan_rng_normal},
    {"bernoulli", kFloat, plan_bernoulli},  // the primary type variable is p's (T)
    {"dropout", kFloat, plan_dropout},
}};

const keel_kernel_call_t& checked(const keel_kernel_call_t* call) {
  if (call == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "call is NULL");
  if (!KEEL_STRUCT_HAS(call->struct_size, keel_kernel_call_t, output_count)) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "the call struct has size ", call->struct_size, "; ABI 1.0 needs ",
         KEEL_STRUCT_SIZE_UNTIL(keel_kernel_call_t, output_count));
  }
  if (call->device == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "the call names no device");
  return *call;
}

// The registration's dtype list only covers the primary type variable: every other tensor (a cast to f16,
// an f64 tensor on a device without cl_khr_fp64) is checked here.
void check_dtypes(const DeviceInfo& device, const keel_tensor_desc_t* tensors, size_t count, const char* role) {
  for (size_t i = 0; i < count; ++i) {
    if (tensors[i].dtype == KEEL_DTYPE_INVALID) continue;  // an absent optional input
    if (const std::string why = dtype_refusal(tensors[i].dtype, device); !why.empty()) {
      fail(KEEL_STATUS_UNIMPLEMENTED, role, " ", i, ": ", why);
    }
  }
}

}  // namespace

std::span<const OpKernel> op_kernels() { return kOpKernels; }

}  // namespace keel::opencl

using keel::opencl::Device;
using keel::opencl::fail;
using keel::opencl::from_handle;
using keel::opencl::KernelContext;
using keel::opencl::Plan;

extern "C" {

// The host files the answer under this kernel's name, so the message does not repeat it.
static keel_status_t opencl_kernel_supports(void* kernel_ctx, const keel_kernel_call_t* call) {
  const auto& kernel = *static_cast<const KernelContext*>(kernel_ctx);
  return kernel.host.guard("", [&] {
    const keel_kernel_call_t& c = keel::opencl::checked(call);
    const Device& device = *from_handle(c.device);
    keel::opencl::check_dtypes(device.info(), c.inputs, c.input_count, "input");
    keel::opencl::check_dtypes(device.info(), c.outputs, c.output_count, "output");
  });
}

static keel_status_t opencl_kernel_create(void* kernel_ctx, const keel_kernel_call_t* call, void** out_state) {
  const auto& kernel = *static_cast<const KernelContext*>(kernel_ctx);
  return kernel.host.guard(kernel.name.c_str(), [&] {
    if (out_state == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "out_state is NULL");
    const keel_kernel_call_t& c = keel::opencl::checked(call);
    *out_state = kernel.op->plan(*from_handle(c.device), c).release();
  });
}

static keel_status_t opencl_kernel_compute(void* kernel_ctx, void* state, keel_plugin_queue_t* queue,
                                           const keel_kernel_call_t* call) {
  const auto& kernel = *static_cast<const KernelContext*>(kernel_ctx);
  return kernel.host.guard(kernel.name.c_str(), [&] {
    const keel_kernel_call_t& c = keel::opencl::checked(call);
    if (queue == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "queue is NULL");
    std::unique_ptr<Plan> made;  // without create() (a host that skips it), plan this call alone
    const Plan* plan = static_cast<const Plan*>(state);
    if (plan == nullptr) {
      made = kernel.op->plan(*from_handle(c.device), c);
      plan = made.get();
    }
    plan->run(*from_handle(queue), c);
  });
}

static void opencl_kernel_release_state(void* /*kernel_ctx*/, void* state) { delete static_cast<Plan*>(state); }

}  // extern "C"

namespace keel::opencl {
namespace {

// Shared by every registration; kernel_ctx tells the operators apart.
constexpr keel_kernel_api_t kKernelApi = {
    .struct_size = sizeof(keel_kernel_api_t),
    .supports = opencl_kernel_supports,
    .create = opencl_kernel_create,
    .compute = opencl_kernel_compute,
    .release_state = opencl_kernel_release_state,
};

}  // namespace

void register_kernels(const Host& host, std::vector<KernelContext>& contexts) {
  const auto register_slot = host.kernel_register_slot();
  // All contexts exist before the first registration, so the pointers handed to the host never move.
  contexts.clear();
  contexts.reserve(kOpKernels.size());
  for (const OpKernel& op : kOpKernels) contexts.push_back(KernelContext{host, &op, concat("opencl.", op.op_name)});
  size_t registered = 0;
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
      Error error = host.consume(status, concat("registering ", context.name));
      if (error.code() != KEEL_STATUS_NOT_FOUND) throw error;
      host.log(KEEL_LOG_DEBUG, error.message() + " (skipped: the host's spec lacks the operator)");
      continue;
    }
    registered += 1;
  }
  host.log(KEEL_LOG_DEBUG, concat("registered ", registered, " kernels"));
}

}  // namespace keel::opencl
