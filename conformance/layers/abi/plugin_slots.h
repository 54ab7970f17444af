// The slots of keel_plugin_api_t v1.0 by name and offset, for walking a plugin's table.
#pragma once

#include <cstddef>
#include <cstring>

#include "keel/keel_plugin.h"

namespace keel::conform {

struct PluginApiSlot {
  const char* name;
  size_t offset;
  bool optional;
};

inline constexpr PluginApiSlot kPluginApiSlotsV1_0[] = {
    {"shutdown", offsetof(keel_plugin_api_t, shutdown), false},
    {"device_count", offsetof(keel_plugin_api_t, device_count), false},
    {"device_get", offsetof(keel_plugin_api_t, device_get), false},
    {"device_properties", offsetof(keel_plugin_api_t, device_properties), false},
    {"device_attributes", offsetof(keel_plugin_api_t, device_attributes), true},
    {"memory_space_properties", offsetof(keel_plugin_api_t, memory_space_properties), false},
    {"buffer_allocate", offsetof(keel_plugin_api_t, buffer_allocate), false},
    {"buffer_release", offsetof(keel_plugin_api_t, buffer_release), false},
    {"buffer_write", offsetof(keel_plugin_api_t, buffer_write), false},
    {"buffer_read", offsetof(keel_plugin_api_t, buffer_read), false},
    {"buffer_copy", offsetof(keel_plugin_api_t, buffer_copy), false},
    {"memory_stats", offsetof(keel_plugin_api_t, memory_stats), false},
    {"memory_reset_peak", offsetof(keel_plugin_api_t, memory_reset_peak), false},
    {"queue_create", offsetof(keel_plugin_api_t, queue_create), false},
    {"queue_release", offsetof(keel_plugin_api_t, queue_release), false},
    {"queue_write", offsetof(keel_plugin_api_t, queue_write), false},
    {"queue_read", offsetof(keel_plugin_api_t, queue_read), false},
    {"queue_copy", offsetof(keel_plugin_api_t, queue_copy), false},
    {"queue_fill", offsetof(keel_plugin_api_t, queue_fill), false},
    {"queue_host_callback", offsetof(keel_plugin_api_t, queue_host_callback), false},
    {"queue_signal", offsetof(keel_plugin_api_t, queue_signal), false},
    {"queue_wait", offsetof(keel_plugin_api_t, queue_wait), false},
    {"queue_synchronize", offsetof(keel_plugin_api_t, queue_synchronize), false},
    {"event_create", offsetof(keel_plugin_api_t, event_create), false},
    {"event_release", offsetof(keel_plugin_api_t, event_release), false},
    {"event_signal", offsetof(keel_plugin_api_t, event_signal), false},
    {"event_query", offsetof(keel_plugin_api_t, event_query), false},
    {"event_host_wait", offsetof(keel_plugin_api_t, event_host_wait), false},
    {"event_fail", offsetof(keel_plugin_api_t, event_fail), false},
    {"buffer_import_host", offsetof(keel_plugin_api_t, buffer_import_host), true},
};

// Whether the slot at `slot.offset` of `api` is covered by its struct_size and non-NULL.
inline bool plugin_api_has_slot(const keel_plugin_api_t& api, const PluginApiSlot& slot) {
  if (api.struct_size < slot.offset + sizeof(void (*)(void))) return false;
  void (*pointer)(void) = nullptr;
  std::memcpy(&pointer, reinterpret_cast<const unsigned char*>(&api) + slot.offset, sizeof pointer);
  return pointer != nullptr;
}

}  // namespace keel::conform
