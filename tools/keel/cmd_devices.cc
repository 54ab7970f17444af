// keel devices: the devices of the loaded plugins.
#include <cstdio>

#include "cli.h"

namespace keel::cli {
namespace {

std::string memory_kind_name(keel_memory_kind_t kind) {
  switch (kind) {
    case KEEL_MEMORY_KIND_DEVICE: return "device";
    case KEEL_MEMORY_KIND_HOST_PINNED: return "host-pinned";
    case KEEL_MEMORY_KIND_UNIFIED: return "unified";
    default: return "unknown";
  }
}

nlohmann::json device_json(const Device& device) {
  const keel_device_properties_t props = device.properties();
  nlohmann::json spaces = nlohmann::json::array();
  for (uint32_t i = 0; i < props.memory_space_count; ++i) {
    const keel_memory_space_properties_t space = device.memory_space(i);
    const keel_memory_stats_t stats = device.memory_stats(i);
    spaces.push_back({{"name", space.name},
                      {"kind", memory_kind_name(space.kind)},
                      {"host_accessible", space.host_accessible != 0},
                      {"capacity_bytes", space.capacity_bytes},
                      {"bytes_in_use", stats.bytes_in_use}});
  }
  nlohmann::json attributes = nlohmann::json::object();
  for (const keel_attribute_t& attribute : device.attributes()) attributes[attribute.key] = attribute.value;
  return {{"name", device.name()},
          {"plugin", plugin_info(keel_device_plugin(device.get())).name},
          {"description", props.name},
          {"vendor", props.vendor},
          {"type", device_type_name(props.type)},
          {"memory_bytes", props.memory_bytes},
          {"compute_units", props.compute_units},
          {"capabilities", capability_names(props.capabilities)},
          {"pci_bus_id", props.pci_bus_id_is_set ? std::string(props.pci_bus_id) : ""},
          {"memory_spaces", spaces},
          {"attributes", attributes}};
}

}  // namespace

int run_devices(const GlobalOptions& options) {
  Runtime runtime = Runtime::create(options.runtime);
  const std::vector<Device> devices = runtime.devices();
  if (options.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const Device& device : devices) list.push_back(device_json(device));
    print_json({{"devices", list}});
    return kExitOk;
  }
  if (devices.empty()) {
    std::printf("No devices: no plugin was loaded (see `keel plugins`).\n");
    return kExitOk;
  }
  Table table({"device", "plugin", "type", "memory", "units", "capabilities", "description"});
  for (const Device& device : devices) {
    const keel_device_properties_t props = device.properties();
    table.add({device.name(), plugin_info(keel_device_plugin(device.get())).name, device_type_name(props.type),
               bytes_text(props.memory_bytes), props.compute_units ? std::to_string(props.compute_units) : "-",
               capabilities_text(props.capabilities), props.name});
  }
  table.print();
  if (options.verbose) {
    for (const Device& device : devices) {
      std::printf("\n%s\n", device.name().c_str());
      const keel_device_properties_t props = device.properties();
      for (uint32_t i = 0; i < props.memory_space_count; ++i) {
        const keel_memory_space_properties_t space = device.memory_space(i);
        const keel_memory_stats_t stats = device.memory_stats(i);
        std::printf("  memory space %u: %s (%s%s), capacity %s, in use %s\n", i, space.name,
                    memory_kind_name(space.kind).c_str(), space.host_accessible ? ", host-accessible" : "",
                    bytes_text(space.capacity_bytes).c_str(), bytes_text(stats.bytes_in_use).c_str());
      }
      for (const keel_attribute_t& attribute : device.attributes()) {
        std::printf("  %s = %s\n", attribute.key, attribute.value);
      }
    }
  }
  return kExitOk;
}

}  // namespace keel::cli
