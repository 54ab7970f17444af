#include "driver/errors.h"

#include <driver_types.h>

namespace keel::cuda {

bool is_sticky(CUresult result) {
  switch (result) {
    case CUDA_ERROR_ECC_UNCORRECTABLE:
    case CUDA_ERROR_NVLINK_UNCORRECTABLE:
    case CUDA_ERROR_CONTAINED:
    case CUDA_ERROR_ILLEGAL_ADDRESS:
    case CUDA_ERROR_LAUNCH_TIMEOUT:
    case CUDA_ERROR_CONTEXT_IS_DESTROYED:
    case CUDA_ERROR_ASSERT:
    case CUDA_ERROR_HARDWARE_STACK_ERROR:
    case CUDA_ERROR_ILLEGAL_INSTRUCTION:
    case CUDA_ERROR_MISALIGNED_ADDRESS:
    case CUDA_ERROR_INVALID_ADDRESS_SPACE:
    case CUDA_ERROR_INVALID_PC:
    case CUDA_ERROR_LAUNCH_FAILED:
    case CUDA_ERROR_TENSOR_MEMORY_LEAK:
    case CUDA_ERROR_EXTERNAL_DEVICE:
    case CUDA_ERROR_DEINITIALIZED:
      return true;
    default:
      return false;
  }
}

keel_status_code_t status_code_of(CUresult result) {
  if (result == CUDA_SUCCESS) return KEEL_STATUS_OK;
  if (is_sticky(result)) return KEEL_STATUS_DEVICE_LOST;
  switch (result) {
    case CUDA_ERROR_OUT_OF_MEMORY:
    case CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES:
      return KEEL_STATUS_RESOURCE_EXHAUSTED;
    case CUDA_ERROR_INVALID_VALUE:
      return KEEL_STATUS_INVALID_ARGUMENT;
    case CUDA_ERROR_NOT_PERMITTED:
      return KEEL_STATUS_PERMISSION_DENIED;
    case CUDA_ERROR_NO_DEVICE:
    case CUDA_ERROR_STUB_LIBRARY:
    case CUDA_ERROR_DEVICE_UNAVAILABLE:
    case CUDA_ERROR_DEVICE_NOT_LICENSED:
    case CUDA_ERROR_NO_BINARY_FOR_GPU:
    case CUDA_ERROR_NOT_SUPPORTED:
    case CUDA_ERROR_SYSTEM_NOT_READY:
    case CUDA_ERROR_SYSTEM_DRIVER_MISMATCH:
    case CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE:
    case CUDA_ERROR_CALL_REQUIRES_NEWER_DRIVER:
      return KEEL_STATUS_UNAVAILABLE;
    default:
      return KEEL_STATUS_INTERNAL;
  }
}

keel_status_code_t status_code_of_runtime(int error) {
  switch (static_cast<cudaError_t>(error)) {
    case cudaSuccess: return KEEL_STATUS_OK;
    case cudaErrorMemoryAllocation:
    case cudaErrorLaunchOutOfResources:
      return KEEL_STATUS_RESOURCE_EXHAUSTED;
    case cudaErrorInsufficientDriver:
    case cudaErrorNoDevice:
    case cudaErrorNoKernelImageForDevice:
    case cudaErrorInvalidDeviceFunction:
    case cudaErrorUnsupportedPtxVersion:
      return KEEL_STATUS_UNAVAILABLE;
    default:
      break;
  }
  // The remaining runtime errors that can follow a launch share the driver's numbers.
  return is_sticky_runtime(error) ? KEEL_STATUS_DEVICE_LOST : KEEL_STATUS_INTERNAL;
}

bool is_sticky_runtime(int error) { return is_sticky(static_cast<CUresult>(error)); }

keel_status_code_t status_code_of(cublasStatus_t status) {
  switch (status) {
    case CUBLAS_STATUS_SUCCESS: return KEEL_STATUS_OK;
    case CUBLAS_STATUS_ALLOC_FAILED: return KEEL_STATUS_RESOURCE_EXHAUSTED;
    case CUBLAS_STATUS_NOT_INITIALIZED:
    case CUBLAS_STATUS_ARCH_MISMATCH:
    case CUBLAS_STATUS_NOT_SUPPORTED:
      return KEEL_STATUS_UNAVAILABLE;
    case CUBLAS_STATUS_INVALID_VALUE: return KEEL_STATUS_INVALID_ARGUMENT;
    default: return KEEL_STATUS_INTERNAL;
  }
}

}  // namespace keel::cuda
