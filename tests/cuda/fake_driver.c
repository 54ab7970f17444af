/* A stand-in for libcuda.so.1, so the CUDA plugin's refusals can be tested on any machine. Built once per
 * FAKE_MODE (tests/cuda/CMakeLists.txt), each answering one way:
 *   1  cuInit fails with CUDA_ERROR_NO_DEVICE
 *   2  the driver initializes but reports no device
 *   3  the driver supports only CUDA 12.4
 *   4  like 2, but built without fake_driver_host_func.c: cuLaunchHostFunc is missing (a driver older than
 *      the plugin needs)
 * Only the functions the plugin calls before giving up have real signatures; the others exist so the
 * plugin's symbol lookup finds them (plugins/cuda/driver/driver.h lists them; the symbols are the versioned
 * names cuda.h maps them to). */
#include "fake_driver.h"

enum { kSuccess = 0, kNoDevice = 100 };
enum { kModeNoDevice = 1, kModeZeroDevices = 2, kModeOldDriver = 3 };

FAKE_EXPORT int cuInit(unsigned flags) {
  (void)flags;
  return FAKE_MODE == kModeNoDevice ? kNoDevice : kSuccess;
}

FAKE_EXPORT int cuDriverGetVersion(int* version) {
  *version = FAKE_MODE == kModeOldDriver ? 12040 : 13000;
  return kSuccess;
}

FAKE_EXPORT int cuDeviceGetCount(int* count) {
  *count = 0;
  return kSuccess;
}

FAKE_EXPORT int cuGetErrorName(int error, const char** name) {
  *name = error == kNoDevice ? "CUDA_ERROR_NO_DEVICE" : "CUDA_ERROR_UNKNOWN";
  return kSuccess;
}

FAKE_EXPORT int cuGetErrorString(int error, const char** text) {
  *text = error == kNoDevice ? "no CUDA-capable device is detected" : "unknown error";
  return kSuccess;
}

FAKE_UNSUPPORTED(cuDeviceGet)
FAKE_UNSUPPORTED(cuDeviceGetName)
FAKE_UNSUPPORTED(cuDeviceGetUuid_v2)
FAKE_UNSUPPORTED(cuDeviceGetPCIBusId)
FAKE_UNSUPPORTED(cuDeviceTotalMem_v2)
FAKE_UNSUPPORTED(cuDeviceGetAttribute)
FAKE_UNSUPPORTED(cuDevicePrimaryCtxRetain)
FAKE_UNSUPPORTED(cuDevicePrimaryCtxRelease_v2)
FAKE_UNSUPPORTED(cuCtxPushCurrent_v2)
FAKE_UNSUPPORTED(cuCtxPopCurrent_v2)
FAKE_UNSUPPORTED(cuCtxSetCurrent)
FAKE_UNSUPPORTED(cuCtxGetStreamPriorityRange)
FAKE_UNSUPPORTED(cuStreamCreateWithPriority)
FAKE_UNSUPPORTED(cuStreamDestroy_v2)
FAKE_UNSUPPORTED(cuStreamSynchronize)
FAKE_UNSUPPORTED(cuStreamWaitEvent)
FAKE_UNSUPPORTED(cuEventCreate)
FAKE_UNSUPPORTED(cuEventDestroy_v2)
FAKE_UNSUPPORTED(cuEventRecord)
FAKE_UNSUPPORTED(cuEventSynchronize)
FAKE_UNSUPPORTED(cuMemAlloc_v2)
FAKE_UNSUPPORTED(cuMemFree_v2)
FAKE_UNSUPPORTED(cuMemHostAlloc)
FAKE_UNSUPPORTED(cuMemFreeHost)
FAKE_UNSUPPORTED(cuMemcpyAsync)
FAKE_UNSUPPORTED(cuMemsetD8Async)
FAKE_UNSUPPORTED(cuMemsetD16Async)
FAKE_UNSUPPORTED(cuMemsetD32Async)
FAKE_UNSUPPORTED(cuPointerGetAttribute)
