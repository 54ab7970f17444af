// C entry points: timeline events.
#include <string>

#include "capi/capi_util.h"
#include "keel/keel_runtime.h"
#include "runtime/event.h"
#include "runtime/plugin.h"

using keel::capi::null_argument;

extern "C" {

keel_status_t keel_event_create(keel_device_t* device, uint64_t initial_value, keel_event_t** out_event) {
  return keel::guarded("keel_event_create", [&]() -> keel_status_t {
    if (device == nullptr) return null_argument("keel_event_create", "device");
    if (out_event == nullptr) return null_argument("keel_event_create", "out_event");
    *out_event = nullptr;
    keel_plugin_event_t* handle = nullptr;
    KEEL_RETURN_IF_ERROR(keel::annotate(device->plugin->api->event_create(device->handle, initial_value, &handle),
                                        device->name + ": event_create"));
    if (handle == nullptr) {
      return keel::make_status(KEEL_STATUS_INTERNAL, device->name + ": event_create returned OK with a NULL event");
    }
    *out_event = new keel_event_s(device, handle);
    return nullptr;
  });
}

void keel_event_release(keel_event_t* event) { delete event; }

keel_status_t keel_event_signal(keel_event_t* event, uint64_t value) {
  return keel::guarded("keel_event_signal", [&]() -> keel_status_t {
    if (event == nullptr) return null_argument("keel_event_signal", "event");
    return event->device->plugin->api->event_signal(event->handle, value);
  });
}

keel_status_t keel_event_query(keel_event_t* event, uint64_t* out_value) {
  return keel::guarded("keel_event_query", [&]() -> keel_status_t {
    if (event == nullptr) return null_argument("keel_event_query", "event");
    if (out_value == nullptr) return null_argument("keel_event_query", "out_value");
    return event->device->plugin->api->event_query(event->handle, out_value);
  });
}

keel_status_t keel_event_host_wait(keel_event_t* event, uint64_t value, uint64_t timeout_ns, uint8_t* out_reached) {
  return keel::guarded("keel_event_host_wait", [&]() -> keel_status_t {
    if (event == nullptr) return null_argument("keel_event_host_wait", "event");
    if (out_reached == nullptr) return null_argument("keel_event_host_wait", "out_reached");
    *out_reached = 0;
    return event->device->plugin->api->event_host_wait(event->handle, value, timeout_ns, out_reached);
  });
}

keel_status_t keel_event_fail(keel_event_t* event, keel_status_code_t code, const char* message) {
  return keel::guarded("keel_event_fail", [&]() -> keel_status_t {
    if (event == nullptr) return null_argument("keel_event_fail", "event");
    if (code == KEEL_STATUS_OK) {
      return keel::make_status(KEEL_STATUS_INVALID_ARGUMENT, "keel_event_fail: code must not be OK");
    }
    return event->device->plugin->api->event_fail(event->handle, code, message != nullptr ? message : "");
  });
}

}  // extern "C"
