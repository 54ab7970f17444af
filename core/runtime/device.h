// A device: one of a plugin's devices, named "<plugin>:<index>", with its properties read once at load.
#pragma once

#include <string>
#include <vector>

#include "dispatch/state_cache.h"
#include "keel/keel_plugin.h"
#include "keel/keel_runtime.h"

struct keel_runtime_s;
struct keel_plugin_s;

struct keel_device_s {
  keel_runtime_s* runtime = nullptr;
  keel_plugin_s* plugin = nullptr;
  keel_plugin_device_t* handle = nullptr;
  size_t index_in_plugin = 0;
  std::string name;
  keel_device_properties_t properties{};                     // strings owned by the plugin
  std::vector<keel_memory_space_properties_t> memory_spaces; // strings owned by the plugin
  keel::dispatch::StateCache states;                          // kernel states created for this device

  bool is_async() const { return (properties.capabilities & KEEL_CAP_ASYNC) != 0; }
};

namespace keel {

// Reads the device's properties and memory spaces through the plugin table.
keel_status_t describe_device(keel_device_s& device);

}  // namespace keel
