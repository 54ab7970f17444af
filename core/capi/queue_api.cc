// C entry points: queues.
#include <string>

#include "capi/capi_util.h"
#include "keel/keel_runtime.h"
#include "runtime/buffer.h"
#include "runtime/event.h"
#include "runtime/plugin.h"
#include "runtime/queue.h"

using keel::capi::null_argument;
using keel::capi::range_fits;

namespace {

// The buffer must be on the queue's device and hold the range.
keel_status_t check_buffer(const char* function, const keel_queue_t* queue, const keel_buffer_t* buffer,
                           const char* argument, uint64_t offset, uint64_t size) {
  if (buffer == nullptr) {
    return null_argument(function, argument);
  }
  if (buffer->device != queue->device) {
    return keel::make_status(KEEL_STATUS_INVALID_ARGUMENT, std::string(function) + ": " + argument + " lives on " +
                                                               buffer->device->name + ", the queue on " +
                                                               queue->device->name);
  }
  if (!range_fits(offset, size, buffer->size)) {
    return keel::make_status(KEEL_STATUS_OUT_OF_RANGE, std::string(function) + ": " + argument + " range [" +
                                                           std::to_string(offset) + ", +" + std::to_string(size) +
                                                           ") lies outside its " + std::to_string(buffer->size) +
                                                           " bytes");
  }
  return nullptr;
}

keel_status_t check_event(const char* function, const keel_queue_t* queue, const keel_event_t* event) {
  if (event == nullptr) {
    return null_argument(function, "event");
  }
  if (event->device->plugin != queue->device->plugin) {
    return keel::make_status(KEEL_STATUS_UNIMPLEMENTED,
                             std::string(function) + ": the event belongs to plugin '" + event->device->plugin->name +
                                 "' and the queue to '" + queue->device->plugin->name +
                                 "'; ABI 1.0 has no cross-plugin queue waits (wait on the host instead)");
  }
  return nullptr;
}

const keel_plugin_api_t& api_of(const keel_queue_t* queue) { return *queue->device->plugin->api; }

}  // namespace

extern "C" {

keel_status_t keel_queue_create(keel_device_t* device, const keel_queue_create_args_t* args, keel_queue_t** out_queue) {
  return keel::guarded("keel_queue_create", [&]() -> keel_status_t {
    if (device == nullptr) return null_argument("keel_queue_create", "device");
    if (out_queue == nullptr) return null_argument("keel_queue_create", "out_queue");
    *out_queue = nullptr;
    keel_queue_create_args_t full{};
    full.struct_size = sizeof(full);
    if (args != nullptr && KEEL_STRUCT_HAS(args->struct_size, keel_queue_create_args_t, priority)) {
      full.flags = args->flags;
      full.priority = args->priority;
    }
    keel_plugin_queue_t* handle = nullptr;
    KEEL_RETURN_IF_ERROR(keel::annotate(device->plugin->api->queue_create(device->handle, &full, &handle),
                                        device->name + ": queue_create"));
    if (handle == nullptr) {
      return keel::make_status(KEEL_STATUS_INTERNAL, device->name + ": queue_create returned OK with a NULL queue");
    }
    *out_queue = new keel_queue_s(device, handle);
    return nullptr;
  });
}

void keel_queue_release(keel_queue_t* queue) { delete queue; }

keel_device_t* keel_queue_device(const keel_queue_t* queue) { return queue == nullptr ? nullptr : queue->device; }

keel_status_t keel_queue_write(keel_queue_t* queue, keel_buffer_t* buffer, uint64_t offset, const void* src,
                               uint64_t size) {
  return keel::guarded("keel_queue_write", [&]() -> keel_status_t {
    if (queue == nullptr) return null_argument("keel_queue_write", "queue");
    if (src == nullptr && size > 0) return null_argument("keel_queue_write", "src");
    KEEL_RETURN_IF_ERROR(check_buffer("keel_queue_write", queue, buffer, "buffer", offset, size));
    return api_of(queue).queue_write(queue->handle, buffer->handle, offset, src, size);
  });
}

keel_status_t keel_queue_read(keel_queue_t* queue, keel_buffer_t* buffer, uint64_t offset, void* dst, uint64_t size) {
  return keel::guarded("keel_queue_read", [&]() -> keel_status_t {
    if (queue == nullptr) return null_argument("keel_queue_read", "queue");
    if (dst == nullptr && size > 0) return null_argument("keel_queue_read", "dst");
    KEEL_RETURN_IF_ERROR(check_buffer("keel_queue_read", queue, buffer, "buffer", offset, size));
    return api_of(queue).queue_read(queue->handle, buffer->handle, offset, dst, size);
  });
}

keel_status_t keel_queue_copy(keel_queue_t* queue, keel_buffer_t* src, uint64_t src_offset, keel_buffer_t* dst,
                              uint64_t dst_offset, uint64_t size) {
  return keel::guarded("keel_queue_copy", [&]() -> keel_status_t {
    if (queue == nullptr) return null_argument("keel_queue_copy", "queue");
    KEEL_RETURN_IF_ERROR(check_buffer("keel_queue_copy", queue, src, "src", src_offset, size));
    KEEL_RETURN_IF_ERROR(check_buffer("keel_queue_copy", queue, dst, "dst", dst_offset, size));
    return api_of(queue).queue_copy(queue->handle, src->handle, src_offset, dst->handle, dst_offset, size);
  });
}

keel_status_t keel_queue_fill(keel_queue_t* queue, keel_buffer_t* buffer, uint64_t offset, uint64_t size,
                              const void* pattern, uint32_t pattern_size) {
  return keel::guarded("keel_queue_fill", [&]() -> keel_status_t {
    if (queue == nullptr) return null_argument("keel_queue_fill", "queue");
    if (pattern == nullptr) return null_argument("keel_queue_fill", "pattern");
    if (pattern_size != 1 && pattern_size != 2 && pattern_size != 4 && pattern_size != 8) {
      return keel::make_status(KEEL_STATUS_INVALID_ARGUMENT, "keel_queue_fill: pattern_size " +
                                                                 std::to_string(pattern_size) + " is not 1, 2, 4 or 8");
    }
    if (size % pattern_size != 0) {
      return keel::make_status(KEEL_STATUS_INVALID_ARGUMENT, "keel_queue_fill: size " + std::to_string(size) +
                                                                 " is not a multiple of pattern_size");
    }
    KEEL_RETURN_IF_ERROR(check_buffer("keel_queue_fill", queue, buffer, "buffer", offset, size));
    return api_of(queue).queue_fill(queue->handle, buffer->handle, offset, size, pattern, pattern_size);
  });
}

keel_status_t keel_queue_host_callback(keel_queue_t* queue, void (*callback)(void* user_data), void* user_data) {
  return keel::guarded("keel_queue_host_callback", [&]() -> keel_status_t {
    if (queue == nullptr) return null_argument("keel_queue_host_callback", "queue");
    if (callback == nullptr) return null_argument("keel_queue_host_callback", "callback");
    return api_of(queue).queue_host_callback(queue->handle, callback, user_data);
  });
}

keel_status_t keel_queue_signal(keel_queue_t* queue, keel_event_t* event, uint64_t value) {
  return keel::guarded("keel_queue_signal", [&]() -> keel_status_t {
    if (queue == nullptr) return null_argument("keel_queue_signal", "queue");
    KEEL_RETURN_IF_ERROR(check_event("keel_queue_signal", queue, event));
    return api_of(queue).queue_signal(queue->handle, event->handle, value);
  });
}

keel_status_t keel_queue_wait(keel_queue_t* queue, keel_event_t* event, uint64_t value) {
  return keel::guarded("keel_queue_wait", [&]() -> keel_status_t {
    if (queue == nullptr) return null_argument("keel_queue_wait", "queue");
    KEEL_RETURN_IF_ERROR(check_event("keel_queue_wait", queue, event));
    return api_of(queue).queue_wait(queue->handle, event->handle, value);
  });
}

keel_status_t keel_queue_synchronize(keel_queue_t* queue) {
  return keel::guarded("keel_queue_synchronize", [&]() -> keel_status_t {
    if (queue == nullptr) return null_argument("keel_queue_synchronize", "queue");
    return api_of(queue).queue_synchronize(queue->handle);
  });
}

}  // extern "C"
