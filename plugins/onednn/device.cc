#include "device.h"

#include <oneapi/dnnl/dnnl.hpp>
#include <string_view>

#include "error.h"
#include "handles.h"
#include "slots.h"

namespace keel::onednn {
namespace {

// Queue calls finish before they return: no KEEL_CAP_ASYNC. The f16/bf16/f64 profiles are not complete
// (bf16 is limited to matmul and casts, see the "bf16" attribute), so their bits stay clear.
constexpr uint64_t kCapabilities = KEEL_CAP_UNIFIED | KEEL_CAP_IMPORT_HOST_PTR;

uint64_t fnv1a(std::string_view text, uint64_t seed) {
  uint64_t hash = seed;
  for (const char c : text) {
    hash ^= static_cast<uint8_t>(c);
    hash *= 0x100000001b3u;
  }
  return hash;
}

// A UUID that is the same in every process on one kind of machine: derived from the plugin name and the CPU
// model (an RFC 9562 version 8 UUID). It differs from other plugins' CPU devices on purpose: the two are
// different devices as far as kernels are concerned.
std::array<uint8_t, 16> make_uuid(std::string_view text) {
  const uint64_t high = fnv1a(text, 0xcbf29ce484222325u);
  const uint64_t low = fnv1a(text, high);
  std::array<uint8_t, 16> uuid{};
  for (int i = 0; i < 8; ++i) {
    uuid[i] = static_cast<uint8_t>(high >> (56 - 8 * i));
    uuid[8 + i] = static_cast<uint8_t>(low >> (56 - 8 * i));
  }
  uuid[6] = static_cast<uint8_t>((uuid[6] & 0x0f) | 0x80);
  uuid[8] = static_cast<uint8_t>((uuid[8] & 0x3f) | 0x80);
  return uuid;
}

std::string library_version() {
  const dnnl_version_t* version = dnnl_version();
  return concat("oneDNN ", version->major, ".", version->minor, ".", version->patch);
}

}  // namespace

Device::Device(const Host& host, CpuInfo cpu)
    : host_(host),
      cpu_(std::move(cpu)),
      name_(concat(cpu_.model_name, " (", cpu_.threads, " threads, oneDNN)")),
      uuid_(make_uuid("onednn:" + cpu_.model_name)),
      memory_(cpu_.memory_bytes) {
  attribute_text_ = {
      "library",   library_version(),
      "threading", "OpenMP (one pool shared with oneDNN; OMP_NUM_THREADS sets its size)",
      "threads",   std::to_string(cpu_.threads),
      "execution", "synchronous",
      "bf16",      "matmul (oneDNN, f32 accumulation), cast, data movement",
      "f16",       "cast, data movement",
  };
  for (size_t i = 0; i + 1 < attribute_text_.size(); i += 2) {
    attributes_.push_back({attribute_text_[i].c_str(), attribute_text_[i + 1].c_str()});
  }
}

Device::~Device() = default;

void Device::properties(keel_device_properties_t& inout) const {
  using P = keel_device_properties_t;
  const size_t size = inout.struct_size;
  if (KEEL_STRUCT_HAS(size, P, name)) inout.name = name_.c_str();
  if (KEEL_STRUCT_HAS(size, P, vendor)) inout.vendor = cpu_.vendor.c_str();
  if (KEEL_STRUCT_HAS(size, P, type)) inout.type = KEEL_DEVICE_TYPE_CPU;
  if (KEEL_STRUCT_HAS(size, P, uuid)) {
    for (size_t i = 0; i < uuid_.size(); ++i) inout.uuid[i] = uuid_[i];
  }
  if (KEEL_STRUCT_HAS(size, P, uuid_is_set)) inout.uuid_is_set = 1;
  if (KEEL_STRUCT_HAS(size, P, pci_bus_id_is_set)) inout.pci_bus_id_is_set = 0;
  if (KEEL_STRUCT_HAS(size, P, pci_bus_id)) inout.pci_bus_id[0] = '\0';
  if (KEEL_STRUCT_HAS(size, P, memory_bytes)) inout.memory_bytes = memory_.capacity();
  if (KEEL_STRUCT_HAS(size, P, capabilities)) inout.capabilities = kCapabilities;
  if (KEEL_STRUCT_HAS(size, P, compute_units)) inout.compute_units = cpu_.threads;
  if (KEEL_STRUCT_HAS(size, P, memory_space_count)) inout.memory_space_count = 1;
}

MemorySpace& Device::memory_space(uint32_t index) {
  if (index != 0) fail(KEEL_STATUS_OUT_OF_RANGE, "memory space ", index, " does not exist (the device has 1)");
  return memory_;
}

const dnnl::engine& Device::engine() const {
  std::call_once(engine_once_, [&] { engine_ = std::make_unique<dnnl::engine>(dnnl::engine::kind::cpu, 0); });
  return *engine_;
}

}  // namespace keel::onednn

using keel::onednn::Device;
using keel::onednn::fail;
using keel::onednn::from_handle;

extern "C" keel_status_t onednn_device_properties(keel_plugin_device_t* handle,
                                                  keel_device_properties_t* inout_properties) {
  const Device& device = *from_handle(handle);
  return device.host().guard("device_properties", [&] {
    if (inout_properties == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "inout_properties is NULL");
    device.properties(*inout_properties);
  });
}

extern "C" keel_status_t onednn_device_attributes(keel_plugin_device_t* handle, keel_attribute_t* out_attributes,
                                                  size_t* inout_count) {
  const Device& device = *from_handle(handle);
  return device.host().guard("device_attributes", [&] {
    if (inout_count == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "inout_count is NULL");
    const auto attributes = device.attributes();
    if (out_attributes == nullptr) {
      *inout_count = attributes.size();
      return;
    }
    const size_t filled = std::min(*inout_count, attributes.size());
    for (size_t i = 0; i < filled; ++i) out_attributes[i] = attributes[i];
    *inout_count = filled;
  });
}

extern "C" keel_status_t onednn_memory_space_properties(keel_plugin_device_t* handle, uint32_t memory_space,
                                                        keel_memory_space_properties_t* inout_properties) {
  Device& device = *from_handle(handle);
  return device.host().guard("memory_space_properties", [&] {
    if (inout_properties == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "inout_properties is NULL");
    device.memory_space(memory_space).properties(*inout_properties);
  });
}

extern "C" keel_status_t onednn_memory_stats(keel_plugin_device_t* handle, uint32_t memory_space,
                                             keel_memory_stats_t* inout_stats) {
  Device& device = *from_handle(handle);
  return device.host().guard("memory_stats", [&] {
    if (inout_stats == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "inout_stats is NULL");
    device.memory_space(memory_space).stats(*inout_stats);
  });
}

extern "C" keel_status_t onednn_memory_reset_peak(keel_plugin_device_t* handle, uint32_t memory_space) {
  Device& device = *from_handle(handle);
  return device.host().guard("memory_reset_peak", [&] { device.memory_space(memory_space).reset_peak(); });
}
