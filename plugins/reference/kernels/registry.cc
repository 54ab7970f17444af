#include "registry.h"

#include <array>

#include "dtype.h"
#include "handles.h"
#include "kernels.h"
#include "queue.h"

namespace keel::reference {
namespace {

// The spec's type sets without the dtypes this plugin does not compute (f16, bf16).
constexpr std::array<keel_dtype_t, 2> kFloat = {KEEL_DTYPE_F32, KEEL_DTYPE_F64};
constexpr std::array<keel_dtype_t, 4> kNumeric = {KEEL_DTYPE_F32, KEEL_DTYPE_F64, KEEL_DTYPE_I32, KEEL_DTYPE_I64};
constexpr std::array<keel_dtype_t, 5> kAll = {KEEL_DTYPE_BOOL, KEEL_DTYPE_I32, KEEL_DTYPE_I64, KEEL_DTYPE_F32,
                                              KEEL_DTYPE_F64};

constexpr std::array<OpKernel, 35> kOpKernels = {{
    {"neg", kNumeric, compute_neg},
    {"abs", kNumeric, compute_abs},
    {"sign", kNumeric, compute_sign},
    {"exp", kFloat, compute_exp},
    {"log", kFloat, compute_log},
    {"sqrt", kFloat, compute_sqrt},
    {"tanh", kFloat, compute_tanh},
    {"sigmoid", kFloat, compute_sigmoid},
    {"relu", kNumeric, compute_relu},
    {"add", kNumeric, compute_add},
    {"sub", kNumeric, compute_sub},
    {"mul", kNumeric, compute_mul},
    {"div", kNumeric, compute_div},
    {"pow", kFloat, compute_pow},
    {"maximum", kNumeric, compute_maximum},
    {"minimum", kNumeric, compute_minimum},
    {"equal", kAll, compute_equal},
    {"not_equal", kAll, compute_not_equal},
    {"less", kNumeric, compute_less},
    {"less_equal", kNumeric, compute_less_equal},
    {"greater", kNumeric, compute_greater},
    {"greater_equal", kNumeric, compute_greater_equal},
    {"where", kAll, compute_where},
    {"cast", kAll, compute_cast},  // the primary type variable is the input's (T1)
    {"reduce_sum", kNumeric, compute_reduce_sum},
    {"reduce_mean", kFloat, compute_reduce_mean},
    {"reduce_max", kNumeric, compute_reduce_max},
    {"matmul", kFloat, compute_matmul},
    {"softmax", kFloat, compute_softmax},
    {"reshape", kAll, compute_reshape},
    {"permute", kAll, compute_permute},
    {"concat", kAll, compute_concat},
    {"slice", kAll, compute_slice},
    {"full", kAll, compute_full},
    {"arange", kNumeric, compute_arange},
}};

// The registration's dtype list only covers the primary type variable. Other tensors can still carry a dtype
// this plugin does not compute (cast to f16, full with dtype bf16), so every tensor is checked here.
void check_dtypes(const keel_tensor_desc_t* tensors, size_t count, const char* role) {
  for (size_t i = 0; i < count; ++i) {
    if (!dtype_implemented(tensors[i].dtype)) {
      fail(KEEL_STATUS_UNIMPLEMENTED, role, " ", i, " is ", dtype_name(tensors[i].dtype),
           ", which the reference plugin does not implement (it computes bool, i32, i64, f32 and f64)");
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
    keel::reference::check_dtypes(call->inputs, call->input_count, "input");
    keel::reference::check_dtypes(call->outputs, call->output_count, "output");
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
