#pragma once

#include "keel/keel_plugin.h"
#include "runtime/device.h"

struct keel_queue_s {
  keel_device_s* device;
  keel_plugin_queue_t* handle;

  keel_queue_s(keel_device_s* owner, keel_plugin_queue_t* plugin_queue);
  ~keel_queue_s(); // the plugin waits for the queue's work before freeing it
  keel_queue_s(const keel_queue_s&) = delete;
  keel_queue_s& operator=(const keel_queue_s&) = delete;
};
