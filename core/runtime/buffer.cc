#include "runtime/buffer.h"

#include "runtime/plugin.h"
#include "runtime/runtime.h"

keel_buffer_s::keel_buffer_s(keel_device_s* owner, keel_plugin_buffer_t* plugin_buffer, void* host,
                             uint64_t bytes, uint32_t space)
    : device(owner), handle(plugin_buffer), host_ptr(host), size(bytes), memory_space(space) {
  device->runtime->retain();
}

keel_buffer_s::~keel_buffer_s() {
  device->plugin->api->buffer_release(handle);
  device->runtime->release();
}
