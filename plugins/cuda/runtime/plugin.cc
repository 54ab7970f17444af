#include "runtime/plugin.h"

#include "runtime/handles.h"
#include "runtime/slots.h"

namespace keel::cuda {

Plugin::Plugin(const Host& host) : host_(host), driver_(Driver::open()) {
  int count = 0;
  if (const CUresult result = driver_->cuDeviceGetCount(&count); result != CUDA_SUCCESS) {
    fail(KEEL_STATUS_UNAVAILABLE, "cuDeviceGetCount: ", driver_->describe(result));
  }
  if (count == 0) fail(KEEL_STATUS_UNAVAILABLE, "no CUDA device (the driver reports none)");

  // Only now, with devices to use it on: loading cuBLAS takes a while.
  cublas_ = Cublas::open(&cublas_problem_);
  if (!cublas_) {
    host_.log(KEEL_LOG_WARNING, "cuBLAS is unavailable, matmul uses the plugin's own kernel: " + cublas_problem_);
  }
  environment_ = DeviceEnvironment{&host_, driver_.get(), cublas_.get(), cublas_problem_};
  std::string problems;
  for (int ordinal = 0; ordinal < count; ++ordinal) {
    try {
      devices_.push_back(std::make_unique<Device>(environment_, ordinal));
    } catch (const Error& error) {
      // A device this build cannot use is left out; the others still work.
      host_.log(KEEL_LOG_WARNING, error.message());
      problems += (problems.empty() ? "" : "; ") + error.message();
    }
  }
  if (devices_.empty()) fail(KEEL_STATUS_UNAVAILABLE, "no usable CUDA device: ", problems);
}

Plugin::~Plugin() {
  devices_.clear();  // before the driver they call into
}

std::string Plugin::summary() const {
  std::string text = concat(devices_.size(), " CUDA device(s) through ", driver_->library(), " (CUDA ",
                            cuda_version_text(driver_->version()), "):");
  for (const auto& device : devices_) text += " " + device->label() + ";";
  text += cublas_ ? " cuBLAS " + cublas_->description() : " no cuBLAS (" + cublas_problem_ + ")";
  return text;
}

}  // namespace keel::cuda

using keel::cuda::fail;
using keel::cuda::Plugin;
using keel::cuda::to_handle;

extern "C" void keel_cuda_shutdown(void* plugin_ctx) { delete static_cast<Plugin*>(plugin_ctx); }

extern "C" keel_status_t keel_cuda_device_count(void* plugin_ctx, size_t* out_count) {
  const Plugin& plugin = *static_cast<Plugin*>(plugin_ctx);
  return plugin.host().guard("device_count", [&] {
    if (out_count == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "out_count is NULL");
    *out_count = plugin.device_count();
  });
}

extern "C" keel_status_t keel_cuda_device_get(void* plugin_ctx, size_t index, keel_plugin_device_t** out_device) {
  Plugin& plugin = *static_cast<Plugin*>(plugin_ctx);
  return plugin.host().guard("device_get", [&] {
    if (out_device == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "out_device is NULL");
    if (index >= plugin.device_count()) {
      fail(KEEL_STATUS_OUT_OF_RANGE, "device ", index, " does not exist (the plugin has ", plugin.device_count(), ")");
    }
    *out_device = to_handle(&plugin.device(index));
  });
}
