#include "plugin.h"

#include "cl/info.h"
#include "handles.h"
#include "slots.h"

namespace keel::opencl {

Plugin::Plugin(const Host& host) : host_(host) {
  const std::vector<cl_platform_id> platforms = opencl::platforms();
  if (platforms.empty()) {
    fail(KEEL_STATUS_UNAVAILABLE,
         "no OpenCL platform: the ICD loader found no driver (install one, e.g. pocl-opencl-icd, or check "
         "/etc/OpenCL/vendors and OCL_ICD_VENDORS)");
  }
  std::string skipped;
  for (cl_platform_id platform : platforms) {
    for (cl_device_id id : devices_of(platform)) {
      try {
        DeviceInfo info = DeviceInfo::query(platform, id);
        if (const std::string reason = info.unsupported_reason(); !reason.empty()) {
          skipped += concat("; ", info.name, ": ", reason);
          continue;
        }
        devices_.push_back(std::make_unique<Device>(host_, worker_, std::move(info)));
      } catch (const Error& error) {
        skipped += concat("; a device of platform ", platform_string(platform, CL_PLATFORM_NAME), ": ",
                          error.message());
      }
    }
  }
  for (const auto& device : devices_) {
    host_.log(KEEL_LOG_INFO, concat("device ", device->info().name, " (", device->info().platform_name, ", ",
                                    device->info().device_version, ")"));
  }
  if (!skipped.empty()) host_.log(KEEL_LOG_INFO, "skipped OpenCL devices" + skipped);
  if (devices_.empty()) {
    fail(KEEL_STATUS_UNAVAILABLE, "no usable OpenCL device among ", platforms.size(), " platform(s)",
         skipped.empty() ? std::string(" (the platforms report no devices)") : skipped);
  }
}

Plugin::~Plugin() = default;

void Plugin::register_kernels() { keel::opencl::register_kernels(host_, kernels_); }

}  // namespace keel::opencl

using keel::opencl::fail;
using keel::opencl::Plugin;
using keel::opencl::to_handle;

extern "C" void opencl_shutdown(void* plugin_ctx) { delete static_cast<Plugin*>(plugin_ctx); }

extern "C" keel_status_t opencl_device_count(void* plugin_ctx, size_t* out_count) {
  const Plugin& plugin = *static_cast<Plugin*>(plugin_ctx);
  return plugin.host().guard("device_count", [&] {
    if (out_count == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "out_count is NULL");
    *out_count = plugin.device_count();
  });
}

extern "C" keel_status_t opencl_device_get(void* plugin_ctx, size_t index, keel_plugin_device_t** out_device) {
  Plugin& plugin = *static_cast<Plugin*>(plugin_ctx);
  return plugin.host().guard("device_get", [&] {
    if (out_device == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "out_device is NULL");
    if (index >= plugin.device_count()) {
      fail(KEEL_STATUS_OUT_OF_RANGE, "device ", index, " does not exist (the plugin has ", plugin.device_count(), ")");
    }
    *out_device = to_handle(&plugin.device(index));
  });
}
