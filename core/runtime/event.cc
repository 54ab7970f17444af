#include "runtime/event.h"

#include "runtime/plugin.h"
#include "runtime/runtime.h"

keel_event_s::keel_event_s(keel_device_s* owner, keel_plugin_event_t* plugin_event)
    : device(owner), handle(plugin_event) {
  device->runtime->retain();
}

keel_event_s::~keel_event_s() {
  device->plugin->api->event_release(handle);
  device->runtime->release();
}
