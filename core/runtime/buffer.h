// Buffers, queues and events: thin owners of plugin handles that keep their runtime alive.
#pragma once

#include <cstdint>

#include "keel/keel_plugin.h"
#include "runtime/device.h"

struct keel_buffer_s {
  keel_device_s* device;
  keel_plugin_buffer_t* handle;
  void* host_ptr; // NULL unless the memory space is host-accessible
  uint64_t size;
  uint32_t memory_space;

  keel_buffer_s(keel_device_s* owner, keel_plugin_buffer_t* plugin_buffer, void* host, uint64_t bytes,
                uint32_t space);
  ~keel_buffer_s();
  keel_buffer_s(const keel_buffer_s&) = delete;
  keel_buffer_s& operator=(const keel_buffer_s&) = delete;
};
