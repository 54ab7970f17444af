// Reading the tensors of a keel_kernel_call_t: views for planning, buffers and offsets at run time.
#pragma once

#include <CL/cl.h>

#include "keel/keel_plugin.h"
#include "kernels/view.h"

namespace keel::opencl {

class Device;

// The call's input or output descriptor; INVALID_ARGUMENT when it is missing.
const keel_tensor_desc_t& input_desc(const keel_kernel_call_t& call, size_t index);
const keel_tensor_desc_t& output_desc(const keel_kernel_call_t& call, size_t index);

// The cl_mem behind a descriptor (NULL for a 0-byte buffer); INVALID_ARGUMENT without a buffer.
cl_mem buffer_of(const keel_tensor_desc_t& desc);

// The device a call runs on.
Device& device_of(const keel_kernel_call_t& call);

}  // namespace keel::opencl
