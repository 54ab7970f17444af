#include "driver/driver.h"

#include <dlfcn.h>

#include <cstdlib>

#include "runtime/host.h"

namespace keel::cuda {
namespace {

// Expands the macro in `name` before stringizing, so cuMemAlloc becomes "cuMemAlloc_v2".
#define KEEL_CUDA_SYMBOL(name) KEEL_CUDA_SYMBOL_TEXT(name)
#define KEEL_CUDA_SYMBOL_TEXT(name) #name

std::string library_to_open() {
  const char* chosen = std::getenv("KEEL_CUDA_DRIVER_LIBRARY");
  return chosen != nullptr && *chosen != '\0' ? chosen : Driver::kDefaultLibrary;
}

// Names for the codes that matter before a working driver can name them itself (a stub library answers
// cuGetErrorName with CUDA_ERROR_STUB_LIBRARY too).
const char* known_name(CUresult result) {
  switch (result) {
    case CUDA_ERROR_NOT_INITIALIZED: return "CUDA_ERROR_NOT_INITIALIZED";
    case CUDA_ERROR_STUB_LIBRARY: return "CUDA_ERROR_STUB_LIBRARY (a stub library was loaded instead of the driver)";
    case CUDA_ERROR_DEVICE_UNAVAILABLE: return "CUDA_ERROR_DEVICE_UNAVAILABLE";
    case CUDA_ERROR_NO_DEVICE: return "CUDA_ERROR_NO_DEVICE (no CUDA-capable device is detected)";
    case CUDA_ERROR_SYSTEM_DRIVER_MISMATCH: return "CUDA_ERROR_SYSTEM_DRIVER_MISMATCH";
    case CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE: return "CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE";
    case CUDA_ERROR_OPERATING_SYSTEM: return "CUDA_ERROR_OPERATING_SYSTEM";
    case CUDA_ERROR_UNKNOWN: return "CUDA_ERROR_UNKNOWN";
    default: return nullptr;
  }
}

std::string dl_error() {
  const char* text = dlerror();
  return text != nullptr ? text : "unknown dlopen error";
}

}  // namespace

std::string cuda_version_text(int version) { return concat(version / 1000, ".", (version % 1000) / 10); }

std::unique_ptr<Driver> Driver::open() {
  std::unique_ptr<Driver> driver(new Driver());
  driver->library_ = library_to_open();
  driver->handle_ = dlopen(driver->library_.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (driver->handle_ == nullptr) {
    fail(KEEL_STATUS_UNAVAILABLE, "no CUDA driver (", driver->library_, " not found): ", dl_error());
  }
#define KEEL_CUDA_DRIVER_RESOLVE(name)                                                                   \
  driver->name = reinterpret_cast<decltype(driver->name)>(dlsym(driver->handle_, KEEL_CUDA_SYMBOL(name))); \
  if (driver->name == nullptr) {                                                                          \
    fail(KEEL_STATUS_UNAVAILABLE, "the CUDA driver ", driver->library_, " lacks ", KEEL_CUDA_SYMBOL(name),  \
         ": it is older than this plugin needs (built with CUDA ", cuda_version_text(CUDA_VERSION), ")");   \
  }
  KEEL_CUDA_DRIVER_FUNCTIONS(KEEL_CUDA_DRIVER_RESOLVE)
#undef KEEL_CUDA_DRIVER_RESOLVE

  if (const CUresult result = driver->cuInit(0); result != CUDA_SUCCESS) {
    if (result == CUDA_ERROR_NO_DEVICE) {
      fail(KEEL_STATUS_UNAVAILABLE, "no CUDA device (cuInit: ", driver->describe(result), ")");
    }
    fail(KEEL_STATUS_UNAVAILABLE, "the CUDA driver ", driver->library_, " failed to initialize: cuInit: ",
         driver->describe(result));
  }
  if (const CUresult result = driver->cuDriverGetVersion(&driver->version_); result != CUDA_SUCCESS) {
    fail(KEEL_STATUS_UNAVAILABLE, "cuDriverGetVersion: ", driver->describe(result));
  }
  // The kernels run on the CUDA runtime this plugin was built with, which needs a driver at least as new.
  if (driver->version_ < CUDA_VERSION) {
    fail(KEEL_STATUS_UNAVAILABLE, "the CUDA driver supports CUDA ", cuda_version_text(driver->version_),
         " but this plugin was built with CUDA ", cuda_version_text(CUDA_VERSION), ": update the driver");
  }
  return driver;
}

Driver::~Driver() {
  if (handle_ != nullptr) dlclose(handle_);
}

std::string Driver::describe(CUresult result) const {
  const char* name = nullptr;
  const char* text = nullptr;
  if (cuGetErrorName == nullptr || cuGetErrorName(result, &name) != CUDA_SUCCESS || name == nullptr) {
    if (const char* known = known_name(result)) return known;
    return concat("CUresult ", static_cast<int>(result));
  }
  if (cuGetErrorString == nullptr || cuGetErrorString(result, &text) != CUDA_SUCCESS || text == nullptr) {
    return name;
  }
  return concat(name, " (", text, ")");
}

}  // namespace keel::cuda
