// The CUDA driver API, resolved at run time. The plugin never links libcuda: it opens libcuda.so.1 with
// dlopen and looks up every entry point it calls, so the plugin library itself loads on a machine without a
// driver and can say why it cannot run (the approach of IREE's CUDA HAL).
#pragma once

#include <cuda.h>

#include <memory>
#include <string>

namespace keel::cuda {

// Every driver function the plugin calls. cuda.h maps some names to versioned symbols (#define cuMemAlloc
// cuMemAlloc_v2); the table resolves the symbol the name expands to, so each pointer has the ABI of the
// declaration it was compiled against.
#define KEEL_CUDA_DRIVER_FUNCTIONS(X) \
  X(cuInit)                           \
  X(cuDriverGetVersion)               \
  X(cuGetErrorName)                   \
  X(cuGetErrorString)                 \
  X(cuDeviceGetCount)                 \
  X(cuDeviceGet)                      \
  X(cuDeviceGetName)                  \
  X(cuDeviceGetUuid)                  \
  X(cuDeviceGetPCIBusId)              \
  X(cuDeviceTotalMem)                 \
  X(cuDeviceGetAttribute)             \
  X(cuDevicePrimaryCtxRetain)         \
  X(cuDevicePrimaryCtxRelease)        \
  X(cuCtxPushCurrent)                 \
  X(cuCtxPopCurrent)                  \
  X(cuCtxSetCurrent)                  \
  X(cuCtxGetStreamPriorityRange)      \
  X(cuStreamCreateWithPriority)       \
  X(cuStreamDestroy)                  \
  X(cuStreamSynchronize)              \
  X(cuStreamWaitEvent)                \
  X(cuLaunchHostFunc)                 \
  X(cuEventCreate)                    \
  X(cuEventDestroy)                   \
  X(cuEventRecord)                    \
  X(cuEventSynchronize)               \
  X(cuMemAlloc)                       \
  X(cuMemFree)                        \
  X(cuMemHostAlloc)                   \
  X(cuMemFreeHost)                    \
  X(cuMemcpyAsync)                    \
  X(cuMemsetD8Async)                  \
  X(cuMemsetD16Async)                 \
  X(cuMemsetD32Async)                 \
  X(cuPointerGetAttribute)

// The opened driver library and its entry points. Immutable after open(); shared by every device.
class Driver {
 public:
  // The library opened when KEEL_CUDA_DRIVER_LIBRARY is not set.
  static constexpr const char* kDefaultLibrary = "libcuda.so.1";

  // Opens the driver library (KEEL_CUDA_DRIVER_LIBRARY or libcuda.so.1), resolves every entry point and
  // initializes it. Throws UNAVAILABLE naming the cause: no driver library, a driver too old for this build,
  // a failed cuInit (no device, a stub library, a driver/kernel module mismatch).
  static std::unique_ptr<Driver> open();
  ~Driver();
  Driver(const Driver&) = delete;
  Driver& operator=(const Driver&) = delete;

#define KEEL_CUDA_DRIVER_MEMBER(name) decltype(&::name) name = nullptr;
  KEEL_CUDA_DRIVER_FUNCTIONS(KEEL_CUDA_DRIVER_MEMBER)
#undef KEEL_CUDA_DRIVER_MEMBER

  const std::string& library() const { return library_; }
  int version() const { return version_; }  // CUDA version the driver supports, e.g. 13000

  // "CUDA_ERROR_OUT_OF_MEMORY (out of memory)", also for codes a stub or an old driver cannot name.
  std::string describe(CUresult result) const;

 private:
  Driver() = default;

  void* handle_ = nullptr;
  std::string library_;
  int version_ = 0;
};

// "13.0" for 13000.
std::string cuda_version_text(int version);

}  // namespace keel::cuda
