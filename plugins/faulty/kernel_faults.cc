#include "kernel_faults.h"

#include <chrono>
#include <cmath>
#include <cstring>
#include <thread>

#include "faults.h"

namespace keel::faulty {
namespace {

size_t element_size(keel_dtype_t dtype) {
  switch (dtype) {
    case KEEL_DTYPE_BOOL:
    case KEEL_DTYPE_I8:
    case KEEL_DTYPE_U8: return 1;
    case KEEL_DTYPE_F16:
    case KEEL_DTYPE_BF16: return 2;
    case KEEL_DTYPE_I32:
    case KEEL_DTYPE_F32: return 4;
    default: return 8;
  }
}

keel_dtype_t primary_dtype(const keel_kernel_call_t& call) {
  for (size_t i = 0; i < call.input_count; ++i) {
    if (call.inputs[i].dtype != KEEL_DTYPE_INVALID) return call.inputs[i].dtype;
  }
  return call.output_count > 0 ? call.outputs[0].dtype : keel_dtype_t{KEEL_DTYPE_INVALID};
}

// Calls `visit(element)` for every element of a host-accessible tensor.
template <class Visit>
void for_each_element(const keel_tensor_desc_t& desc, Visit visit) {
  if (desc.data == nullptr) return;
  int64_t count = 1;
  for (uint32_t d = 0; d < desc.rank; ++d) count *= desc.shape[d];
  int64_t index[KEEL_MAX_RANK] = {};
  const int64_t size = static_cast<int64_t>(element_size(desc.dtype));
  for (int64_t n = 0; n < count; ++n) {
    int64_t at = 0;
    for (uint32_t d = 0; d < desc.rank; ++d) at += index[d] * desc.strides[d];
    visit(static_cast<unsigned char*>(desc.data) + at * size);
    for (uint32_t d = desc.rank; d-- > 0;) {
      if (++index[d] < desc.shape[d]) break;
      index[d] = 0;
    }
  }
}

// Replaces an element by a value that differs from it and lies far outside any tolerance.
void make_wrong(keel_dtype_t dtype, unsigned char* element) {
  switch (dtype) {
    case KEEL_DTYPE_F32: {
      float value;
      std::memcpy(&value, element, 4);
      value = value == 3.0e5f ? 4.0e5f : 3.0e5f;
      std::memcpy(element, &value, 4);
      break;
    }
    case KEEL_DTYPE_F64: {
      double value;
      std::memcpy(&value, element, 8);
      value = value == 3.0e5 ? 4.0e5 : 3.0e5;
      std::memcpy(element, &value, 8);
      break;
    }
    case KEEL_DTYPE_F16:
    case KEEL_DTYPE_BF16: {
      uint16_t bits;
      std::memcpy(&bits, element, 2);
      bits = bits == 0x4900 ? 0x4a00 : 0x4900;  // finite in both formats
      std::memcpy(element, &bits, 2);
      break;
    }
    case KEEL_DTYPE_BOOL: element[0] = element[0] != 0 ? 0 : 1; break;
    default: element[0] = static_cast<unsigned char>(element[0] + 1); break;  // little-endian: +1 with wrap
  }
}

// Moves a finite float `ulps` representable values away from zero (a zero becomes a subnormal).
template <class Bits, Bits kExponentMask>
void shift_away(unsigned char* element, int64_t ulps) {
  Bits bits;
  std::memcpy(&bits, element, sizeof(Bits));
  if ((bits & kExponentMask) == kExponentMask) return;  // inf or NaN
  bits = static_cast<Bits>(bits + static_cast<Bits>(ulps));  // the magnitude bits grow; the sign stays
  std::memcpy(element, &bits, sizeof(Bits));
}

void perturb(const KernelFaultRule& rule, const keel_kernel_call_t& call) {
  for (size_t o = 0; o < call.output_count; ++o) {
    const keel_tensor_desc_t& out = call.outputs[o];
    if (rule.fault == KernelFault::kWrongValues) {
      bool first = true;
      for_each_element(out, [&](unsigned char* element) {
        if (first) make_wrong(out.dtype, element);
        first = false;
      });
    } else if (out.dtype == KEEL_DTYPE_F32) {
      for_each_element(out, [&](unsigned char* e) { shift_away<uint32_t, 0x7f800000u>(e, rule.ulps); });
    } else if (out.dtype == KEEL_DTYPE_F64) {
      for_each_element(out, [&](unsigned char* e) {
        shift_away<uint64_t, 0x7ff0000000000000ull>(e, rule.ulps);
      });
    }
  }
}

extern "C" {

static keel_status_t wrapped_supports(void* kernel_ctx, const keel_kernel_call_t* call) {
  auto* kernel = static_cast<WrappedKernel*>(kernel_ctx);
  return kernel->inner->supports != nullptr ? kernel->inner->supports(kernel->inner_ctx, call) : nullptr;
}

static keel_status_t wrapped_create(void* kernel_ctx, const keel_kernel_call_t* call, void** out_state) {
  auto* kernel = static_cast<WrappedKernel*>(kernel_ctx);
  return kernel->inner->create(kernel->inner_ctx, call, out_state);
}

static void wrapped_release_state(void* kernel_ctx, void* state) {
  auto* kernel = static_cast<WrappedKernel*>(kernel_ctx);
  kernel->inner->release_state(kernel->inner_ctx, state);
}

static keel_status_t wrapped_compute(void* kernel_ctx, void* state, keel_plugin_queue_t* queue,
                                     const keel_kernel_call_t* call) {
  auto* kernel = static_cast<WrappedKernel*>(kernel_ctx);
  const KernelFaultRule* rule = call != nullptr ? kernel_fault(kernel->op, primary_dtype(*call)) : nullptr;
  if (rule != nullptr && rule->fault == KernelFault::kCrash) {
    volatile int* nowhere = nullptr;
    *nowhere = 1;  // the injected crash
  }
  if (rule != nullptr && rule->fault == KernelFault::kHang) {
    while (true) std::this_thread::sleep_for(std::chrono::seconds(1));  // the injected hang
  }
  keel_status_t status = kernel->inner->compute(kernel->inner_ctx, state, queue, call);
  if (status == nullptr && rule != nullptr) perturb(*rule, *call);  // the backend ran synchronously
  return status;
}

}  // extern "C"

constexpr keel_kernel_api_t kStateless = {sizeof(keel_kernel_api_t), wrapped_supports, nullptr, wrapped_compute, nullptr};
constexpr keel_kernel_api_t kWithState = {sizeof(keel_kernel_api_t), wrapped_supports, wrapped_create, wrapped_compute,
                                          wrapped_release_state};

}  // namespace

keel_status_t register_wrapped(Instance& instance, const keel_kernel_registration_t* registration) {
  const keel_host_api_t* host = instance.host;
  if (registration == nullptr || registration->api == nullptr) {
    return host->kernel_register(host->host_ctx, registration);  // let the host judge it
  }
  auto kernel = std::make_unique<WrappedKernel>();
  kernel->op = registration->op_name != nullptr ? registration->op_name : "";
  kernel->inner = registration->api;
  kernel->inner_ctx = registration->kernel_ctx;
  keel_kernel_registration_t wrapped = *registration;
  wrapped.api = registration->api->create != nullptr ? &kWithState : &kStateless;
  wrapped.kernel_ctx = kernel.get();
  keel_status_t status = host->kernel_register(host->host_ctx, &wrapped);
  if (status == nullptr) instance.kernels.push_back(std::move(kernel));
  return status;
}

}  // namespace keel::faulty
