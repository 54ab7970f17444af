// C entry points: devices, their properties, attributes and memory statistics.
#include <string>

#include "capi/capi_util.h"
#include "keel/keel_runtime.h"
#include "runtime/plugin.h"
#include "runtime/runtime.h"

using keel::capi::fill_sized;
using keel::capi::null_argument;

namespace {

keel_status_t check_space(const char* function, const keel_device_t* device, uint32_t memory_space) {
  if (device == nullptr) {
    return null_argument(function, "device");
  }
  if (memory_space >= device->memory_spaces.size()) {
    return keel::make_status(KEEL_STATUS_OUT_OF_RANGE, std::string(function) + ": memory space " +
                                                           std::to_string(memory_space) + " does not exist on " +
                                                           device->name);
  }
  return nullptr;
}

}  // namespace

extern "C" {

size_t keel_runtime_device_count(const keel_runtime_t* runtime) {
  return runtime == nullptr ? 0 : runtime->devices.size();
}

keel_device_t* keel_runtime_device(const keel_runtime_t* runtime, size_t index) {
  return runtime == nullptr || index >= runtime->devices.size() ? nullptr : runtime->devices[index].get();
}

keel_status_t keel_runtime_find_device(const keel_runtime_t* runtime, const char* name, keel_device_t** out_device) {
  return keel::guarded("keel_runtime_find_device", [&]() -> keel_status_t {
    if (runtime == nullptr) return null_argument("keel_runtime_find_device", "runtime");
    if (name == nullptr) return null_argument("keel_runtime_find_device", "name");
    if (out_device == nullptr) return null_argument("keel_runtime_find_device", "out_device");
    *out_device = nullptr;
    const std::string wanted(name);
    std::string known;
    for (const auto& device : runtime->devices) {
      if (device->name == wanted || (device->plugin->name == wanted && device->index_in_plugin == 0)) {
        *out_device = device.get();
        return nullptr;
      }
      known += (known.empty() ? "" : ", ") + device->name;
    }
    return keel::make_status(KEEL_STATUS_NOT_FOUND, "no device named '" + wanted + "'; devices: " +
                                                        (known.empty() ? std::string("none") : known));
  });
}

const char* keel_device_name(const keel_device_t* device) { return device == nullptr ? "" : device->name.c_str(); }

keel_plugin_t* keel_device_plugin(const keel_device_t* device) { return device == nullptr ? nullptr : device->plugin; }

keel_status_t keel_device_properties(const keel_device_t* device, keel_device_properties_t* inout_properties) {
  return keel::guarded("keel_device_properties", [&]() -> keel_status_t {
    if (device == nullptr) return null_argument("keel_device_properties", "device");
    return fill_sized("keel_device_properties", "inout_properties", inout_properties, device->properties);
  });
}

keel_status_t keel_device_attributes(const keel_device_t* device, keel_attribute_t* out_attributes, size_t* inout_count) {
  return keel::guarded("keel_device_attributes", [&]() -> keel_status_t {
    if (device == nullptr) return null_argument("keel_device_attributes", "device");
    if (inout_count == nullptr) return null_argument("keel_device_attributes", "inout_count");
    auto attributes = device->plugin->slot(&keel_plugin_api_t::device_attributes);
    if (attributes == nullptr) {
      *inout_count = 0;
      return nullptr;
    }
    return keel::annotate(attributes(device->handle, out_attributes, inout_count), device->name + ": device_attributes");
  });
}

keel_status_t keel_device_memory_space_properties(const keel_device_t* device, uint32_t memory_space,
                                                  keel_memory_space_properties_t* inout_properties) {
  return keel::guarded("keel_device_memory_space_properties", [&]() -> keel_status_t {
    KEEL_RETURN_IF_ERROR(check_space("keel_device_memory_space_properties", device, memory_space));
    return fill_sized("keel_device_memory_space_properties", "inout_properties", inout_properties,
                      device->memory_spaces[memory_space]);
  });
}

keel_status_t keel_device_memory_stats(const keel_device_t* device, uint32_t memory_space, keel_memory_stats_t* inout_stats) {
  return keel::guarded("keel_device_memory_stats", [&]() -> keel_status_t {
    KEEL_RETURN_IF_ERROR(check_space("keel_device_memory_stats", device, memory_space));
    keel_memory_stats_t stats{};
    stats.struct_size = sizeof(stats);
    KEEL_RETURN_IF_ERROR(keel::annotate(device->plugin->api->memory_stats(device->handle, memory_space, &stats),
                                        device->name + ": memory_stats"));
    return fill_sized("keel_device_memory_stats", "inout_stats", inout_stats, stats);
  });
}

keel_status_t keel_device_memory_reset_peak(const keel_device_t* device, uint32_t memory_space) {
  return keel::guarded("keel_device_memory_reset_peak", [&]() -> keel_status_t {
    KEEL_RETURN_IF_ERROR(check_space("keel_device_memory_reset_peak", device, memory_space));
    return keel::annotate(device->plugin->api->memory_reset_peak(device->handle, memory_space),
                          device->name + ": memory_reset_peak");
  });
}

}  // extern "C"
