#include "runner/target_info.h"

#include <cstdio>
#include <set>
#include <string>

namespace keel::conform {
namespace {

const char* device_type_name(keel_device_type_t type) {
  switch (type) {
    case KEEL_DEVICE_TYPE_CPU: return "cpu";
    case KEEL_DEVICE_TYPE_GPU: return "gpu";
    case KEEL_DEVICE_TYPE_IGPU: return "igpu";
    case KEEL_DEVICE_TYPE_NPU: return "npu";
    case KEEL_DEVICE_TYPE_ACCEL: return "accel";
    default: return "unknown";
  }
}

const char* memory_kind_name(keel_memory_kind_t kind) {
  switch (kind) {
    case KEEL_MEMORY_KIND_DEVICE: return "device";
    case KEEL_MEMORY_KIND_HOST_PINNED: return "host_pinned";
    case KEEL_MEMORY_KIND_UNIFIED: return "unified";
    default: return "unknown";
  }
}

std::string uuid_text(const uint8_t* uuid) {
  std::string text;
  for (int i = 0; i < 16; ++i) {
    char hex[3];
    std::snprintf(hex, sizeof(hex), "%02x", uuid[i]);
    text += hex;
    if (i == 3 || i == 5 || i == 7 || i == 9) text += "-";
  }
  return text;
}

// The spec operators the plugin registers kernels for, sorted, once each.
nlohmann::json kernel_ops(keel_plugin_t* plugin, size_t kernel_count) {
  std::set<std::string> names;
  for (size_t i = 0; i < kernel_count; ++i) {
    keel_kernel_info_t kernel{};
    kernel.struct_size = sizeof(kernel);
    keel_status_t status = keel_plugin_kernel_info(plugin, i, &kernel);
    if (status == nullptr && kernel.op_name != nullptr) names.insert(kernel.op_name);
    keel_status_release(status);
  }
  return names;
}

nlohmann::json plugin_json(keel_plugin_t* plugin) {
  const keel_plugin_info_t info = plugin_info(plugin);
  return {{"name", info.name},
          {"kernel_ops", kernel_ops(plugin, info.kernel_count)},
          {"version", info.version},
          {"path", info.path},
          {"abi_version", version_text(info.abi_version)},
          {"negotiated_abi_version", version_text(info.negotiated_abi_version)},
          {"probe_score", info.probe_score},
          {"kernel_count", info.kernel_count}};
}

}  // namespace

std::vector<std::string> capability_names(uint64_t capabilities) {
  static const std::pair<uint64_t, const char*> kNames[] = {
      {KEEL_CAP_ASYNC, "async"},   {KEEL_CAP_HOST_PINNED, "host_pinned"}, {KEEL_CAP_UNIFIED, "unified"},
      {KEEL_CAP_IMPORT_HOST_PTR, "import_host_ptr"}, {KEEL_CAP_GRAPHS, "graphs"}, {KEEL_CAP_COLLECTIVES, "collectives"},
      {KEEL_CAP_F16, "f16"},       {KEEL_CAP_BF16, "bf16"},               {KEEL_CAP_F64, "f64"},
      {KEEL_CAP_INT8, "int8"}};
  std::vector<std::string> names;
  for (const auto& [bit, name] : kNames) {
    if (capabilities & bit) names.emplace_back(name);
  }
  return names;
}

nlohmann::json describe_target(const WorkerContext& context) {
  const Device device = context.dut();
  const keel_device_properties_t props = device.properties();
  nlohmann::json spaces = nlohmann::json::array();
  for (uint32_t i = 0; i < props.memory_space_count; ++i) {
    const keel_memory_space_properties_t space = device.memory_space(i);
    spaces.push_back({{"name", space.name ? space.name : ""},
                      {"kind", memory_kind_name(space.kind)},
                      {"host_accessible", space.host_accessible != 0},
                      {"capacity_bytes", space.capacity_bytes},
                      {"min_alignment", space.min_alignment}});
  }
  nlohmann::json attributes = nlohmann::json::object();
  for (const keel_attribute_t& attribute : device.attributes()) attributes[attribute.key] = attribute.value;
  nlohmann::json device_json = {
      {"index", context.options().device_index},
      {"keel_name", device.name()},
      {"name", props.name ? props.name : ""},
      {"vendor", props.vendor ? props.vendor : ""},
      {"type", device_type_name(props.type)},
      {"uuid", props.uuid_is_set ? uuid_text(props.uuid) : ""},
      {"pci_bus_id", props.pci_bus_id_is_set ? props.pci_bus_id : ""},
      {"memory_bytes", props.memory_bytes},
      {"capabilities", capability_names(props.capabilities)},
      {"capability_bits", props.capabilities},
      {"compute_units", props.compute_units},
      {"memory_spaces", spaces},
      {"attributes", attributes}};
  return {{"plugin", plugin_json(context.dut_plugin())},
          {"reference", plugin_json(context.reference_plugin())},
          {"device", device_json},
          {"host",
           {{"keel_version", keel_version_string()},
            {"abi_version", version_text(keel_abi_version())},
            {"spec_version", keel_spec_version_string()}}}};
}

}  // namespace keel::conform
