// OpenCL error codes as Keel statuses: names for messages, the status code each maps to, and check(), which
// turns a failed OpenCL call into an Error.
#pragma once

#include <CL/cl.h>

#include <string>

#include "host.h"

namespace keel::opencl {

// "CL_OUT_OF_RESOURCES" etc.; "CL_ERROR(<n>)" for codes this plugin does not know.
std::string cl_error_name(cl_int error);

// The Keel code for an OpenCL error: allocation failures are RESOURCE_EXHAUSTED, a lost device DEVICE_LOST,
// malformed arguments INVALID_ARGUMENT and everything else INTERNAL (a plugin bug or a driver failure).
keel_status_code_t status_code_of(cl_int error);

// Throws an Error naming `what` and the OpenCL error unless `error` is CL_SUCCESS.
inline void check(cl_int error, const char* what) {
  if (error != CL_SUCCESS) fail(status_code_of(error), what, " failed: ", cl_error_name(error));
}

}  // namespace keel::opencl
