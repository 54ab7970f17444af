// CUDA, CUDA runtime and cuBLAS results as Keel status codes.
//
// Sticky errors (an illegal address, a failed launch, a hardware exception...) leave the CUDA context
// unusable: every later call in it fails. They map to DEVICE_LOST, and the device stays lost until the
// plugin is shut down. Out of memory is RESOURCE_EXHAUSTED; a device or driver that cannot run the plugin
// is UNAVAILABLE; anything else is INTERNAL (the host validated the call, so it is the plugin's bug).
#pragma once

#include <cublas_api.h>
#include <cuda.h>

#include "keel/keel_status.h"

namespace keel::cuda {

keel_status_code_t status_code_of(CUresult result);
bool is_sticky(CUresult result);

// For cudaError_t values (the runtime's launch results), which share the driver's numbers for every error
// that matters here.
keel_status_code_t status_code_of_runtime(int error);
bool is_sticky_runtime(int error);

keel_status_code_t status_code_of(cublasStatus_t status);

}  // namespace keel::cuda
