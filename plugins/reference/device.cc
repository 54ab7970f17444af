#include "device.h"

#include <unistd.h>

#include <array>
#include <string_view>

#include "handles.h"
#include "slots.h"

namespace keel::reference {
namespace {

constexpr const char* kDeviceName = "Keel reference CPU";
constexpr const char* kVendor = "Keel";

// Queue calls finish before they return (no KEEL_CAP_ASYNC). Every dtype of the spec is computed.
constexpr uint64_t kCapabilities =
    KEEL_CAP_UNIFIED | KEEL_CAP_IMPORT_HOST_PTR | KEEL_CAP_F16 | KEEL_CAP_BF16 | KEEL_CAP_F64 | KEEL_CAP_INT8;

constexpr std::array<keel_attribute_t, 4> kAttributes = {{
    {"execution", "synchronous"},  // every queue call runs to completion on the calling thread
    {"role", "oracle"},            // the plugin other plugins are checked against
    {"accumulation", "f64"},       // sums, means and matmul accumulate in double (softmax in long double)
    {"threads", "1"},
}};

// Physical RAM, or 0 when the system does not say.
uint64_t physical_memory_bytes() {
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page_size = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page_size <= 0) return 0;
  return static_cast<uint64_t>(pages) * static_cast<uint64_t>(page_size);
}

// FNV-1a over `text`, starting from `seed`.
uint64_t fnv1a(std::string_view text, uint64_t seed) {
  uint64_t hash = seed;
  for (const char c : text) {
    hash ^= static_cast<uint8_t>(c);
    hash *= 0x100000001b3u;
  }
  return hash;
}

// A UUID derived from the device name alone, so it is the same in every process and on every machine
// (there is one reference device per process, whatever the hardware). Marked as an RFC 9562 version 8
// (custom) UUID.
std::array<uint8_t, 16> name_uuid(std::string_view name) {
  const uint64_t high = fnv1a(name, 0xcbf29ce484222325u);
  const uint64_t low = fnv1a(name, high);
  std::array<uint8_t, 16> uuid{};
  for (int i = 0; i < 8; ++i) {
    uuid[i] = static_cast<uint8_t>(high >> (56 - 8 * i));
    uuid[8 + i] = static_cast<uint8_t>(low >> (56 - 8 * i));
  }
  uuid[6] = static_cast<uint8_t>((uuid[6] & 0x0f) | 0x80);  // version 8
  uuid[8] = static_cast<uint8_t>((uuid[8] & 0x3f) | 0x80);  // RFC variant
  return uuid;
}

}  // namespace

Device::Device(const Host& host) : host_(host), memory_(physical_memory_bytes()) {}

void Device::properties(keel_device_properties_t& inout) const {
  using P = keel_device_properties_t;
  const size_t size = inout.struct_size;
  if (KEEL_STRUCT_HAS(size, P, name)) inout.name = kDeviceName;
  if (KEEL_STRUCT_HAS(size, P, vendor)) inout.vendor = kVendor;
  if (KEEL_STRUCT_HAS(size, P, type)) inout.type = KEEL_DEVICE_TYPE_CPU;
  if (KEEL_STRUCT_HAS(size, P, uuid)) {
    const std::array<uint8_t, 16> uuid = name_uuid(kDeviceName);
    for (size_t i = 0; i < uuid.size(); ++i) inout.uuid[i] = uuid[i];
  }
  if (KEEL_STRUCT_HAS(size, P, uuid_is_set)) inout.uuid_is_set = 1;
  if (KEEL_STRUCT_HAS(size, P, pci_bus_id_is_set)) inout.pci_bus_id_is_set = 0;
  if (KEEL_STRUCT_HAS(size, P, pci_bus_id)) inout.pci_bus_id[0] = '\0';
  if (KEEL_STRUCT_HAS(size, P, memory_bytes)) inout.memory_bytes = memory_.capacity();
  if (KEEL_STRUCT_HAS(size, P, capabilities)) inout.capabilities = kCapabilities;
  if (KEEL_STRUCT_HAS(size, P, compute_units)) inout.compute_units = 1;
  if (KEEL_STRUCT_HAS(size, P, memory_space_count)) inout.memory_space_count = 1;
}

std::span<const keel_attribute_t> Device::attributes() const { return kAttributes; }

MemorySpace& Device::memory_space(uint32_t index) {
  if (index != 0) fail(KEEL_STATUS_OUT_OF_RANGE, "memory space ", index, " does not exist (the device has 1)");
  return memory_;
}

}  // namespace keel::reference

using keel::reference::Device;
using keel::reference::fail;
using keel::reference::from_handle;

extern "C" keel_status_t reference_device_properties(keel_plugin_device_t* handle,
                                                     keel_device_properties_t* inout_properties) {
  const Device& device = *from_handle(handle);
  return device.host().guard("device_properties", [&] {
    if (inout_properties == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "inout_properties is NULL");
    device.properties(*inout_properties);
  });
}

extern "C" keel_status_t reference_device_attributes(keel_plugin_device_t* handle, keel_attribute_t* out_attributes,
                                                     size_t* inout_count) {
  const Device& device = *from_handle(handle);
  return device.host().guard("device_attributes", [&] {
    if (inout_count == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "inout_count is NULL");
    const auto attributes = device.attributes();
    if (out_attributes == nullptr) {
      *inout_count = attributes.size();
      return;
    }
    const size_t filled = *inout_count < attributes.size() ? *inout_count : attributes.size();
    for (size_t i = 0; i < filled; ++i) out_attributes[i] = attributes[i];
    *inout_count = filled;
  });
}

extern "C" keel_status_t reference_memory_space_properties(keel_plugin_device_t* handle, uint32_t memory_space,
                                                           keel_memory_space_properties_t* inout_properties) {
  Device& device = *from_handle(handle);
  return device.host().guard("memory_space_properties", [&] {
    if (inout_properties == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "inout_properties is NULL");
    device.memory_space(memory_space).properties(*inout_properties);
  });
}

extern "C" keel_status_t reference_memory_stats(keel_plugin_device_t* handle, uint32_t memory_space,
                                                keel_memory_stats_t* inout_stats) {
  Device& device = *from_handle(handle);
  return device.host().guard("memory_stats", [&] {
    if (inout_stats == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "inout_stats is NULL");
    device.memory_space(memory_space).stats(*inout_stats);
  });
}

extern "C" keel_status_t reference_memory_reset_peak(keel_plugin_device_t* handle, uint32_t memory_space) {
  Device& device = *from_handle(handle);
  return device.host().guard("memory_reset_peak", [&] { device.memory_space(memory_space).reset_peak(); });
}
