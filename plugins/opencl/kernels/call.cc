#include "kernels/call.h"

#include "device.h"
#include "handles.h"
#include "memory.h"

namespace keel::opencl {

const keel_tensor_desc_t& input_desc(const keel_kernel_call_t& call, size_t index) {
  if (index >= call.input_count || call.inputs == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "input ", index, " is missing");
  return call.inputs[index];
}

const keel_tensor_desc_t& output_desc(const keel_kernel_call_t& call, size_t index) {
  if (index >= call.output_count || call.outputs == nullptr) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "output ", index, " is missing");
  }
  return call.outputs[index];
}

cl_mem buffer_of(const keel_tensor_desc_t& desc) {
  if (desc.buffer == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "a tensor has no buffer");
  return from_handle(desc.buffer)->mem();
}

Device& device_of(const keel_kernel_call_t& call) { return *from_handle(call.device); }

}  // namespace keel::opencl
