#include "runtime/queue.h"

#include "runtime/plugin.h"
#include "runtime/runtime.h"

keel_queue_s::keel_queue_s(keel_device_s* owner, keel_plugin_queue_t* plugin_queue)
    : device(owner), handle(plugin_queue) {
  device->runtime->retain();
}

keel_queue_s::~keel_queue_s() {
  device->plugin->api->queue_release(handle);
  device->runtime->release();
}
