#include "runtime/device.h"

#include "runtime/plugin.h"
#include "status/status.h"

namespace keel {

keel_status_t describe_device(keel_device_s& device) {
  const keel_plugin_api_t& api = *device.plugin->api;
  device.properties = {};
  device.properties.struct_size = sizeof(keel_device_properties_t);
  KEEL_RETURN_IF_ERROR(annotate(api.device_properties(device.handle, &device.properties), "device_properties"));
  if (device.properties.name == nullptr) {
    device.properties.name = "";
  }
  if (device.properties.vendor == nullptr) {
    device.properties.vendor = "";
  }
  if (device.properties.memory_space_count == 0) {
    return make_status(KEEL_STATUS_FAILED_PRECONDITION, "device reports no memory space");
  }
  for (uint32_t space = 0; space < device.properties.memory_space_count; ++space) {
    keel_memory_space_properties_t props{};
    props.struct_size = sizeof(props);
    KEEL_RETURN_IF_ERROR(annotate(api.memory_space_properties(device.handle, space, &props),
                                  "memory_space_properties(" + std::to_string(space) + ")"));
    if (props.name == nullptr) {
      props.name = "";
    }
    device.memory_spaces.push_back(props);
  }
  return nullptr;
}

}  // namespace keel
