#pragma once

#include "keel/keel_plugin.h"
#include "runtime/device.h"

struct keel_event_s {
  keel_device_s* device;
  keel_plugin_event_t* handle;

  keel_event_s(keel_device_s* owner, keel_plugin_event_t* plugin_event);
  ~keel_event_s();
  keel_event_s(const keel_event_s&) = delete;
  keel_event_s& operator=(const keel_event_s&) = delete;
};
