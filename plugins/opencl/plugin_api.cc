#include "plugin_api.h"

#include "slots.h"

namespace keel::opencl {
namespace {

constexpr keel_plugin_api_t kPluginApi = {
    .struct_size = sizeof(keel_plugin_api_t),
    .next = nullptr,
    .shutdown = opencl_shutdown,

    .device_count = opencl_device_count,
    .device_get = opencl_device_get,
    .device_properties = opencl_device_properties,
    .device_attributes = opencl_device_attributes,

    .memory_space_properties = opencl_memory_space_properties,
    .buffer_allocate = opencl_buffer_allocate,
    .buffer_release = opencl_buffer_release,
    .buffer_write = opencl_buffer_write,
    .buffer_read = opencl_buffer_read,
    .buffer_copy = opencl_buffer_copy,
    .memory_stats = opencl_memory_stats,
    .memory_reset_peak = opencl_memory_reset_peak,

    .queue_create = opencl_queue_create,
    .queue_release = opencl_queue_release,
    .queue_write = opencl_queue_write,
    .queue_read = opencl_queue_read,
    .queue_copy = opencl_queue_copy,
    .queue_fill = opencl_queue_fill,
    .queue_host_callback = opencl_queue_host_callback,
    .queue_signal = opencl_queue_signal,
    .queue_wait = opencl_queue_wait,
    .queue_synchronize = opencl_queue_synchronize,

    .event_create = opencl_event_create,
    .event_release = opencl_event_release,
    .event_signal = opencl_event_signal,
    .event_query = opencl_event_query,
    .event_host_wait = opencl_event_host_wait,
    .event_fail = opencl_event_fail,

    // Device memory is not host memory: no import (the devices do not declare KEEL_CAP_IMPORT_HOST_PTR).
    .buffer_import_host = nullptr,
};

// A slot appended in a later ABI minor would be missing from the initializer above; this catches it.
static_assert(sizeof(keel_plugin_api_t) == KEEL_PLUGIN_API_SIZE_V1_0, "fill the new keel_plugin_api_t slots");

}  // namespace

const keel_plugin_api_t* plugin_api() { return &kPluginApi; }

}  // namespace keel::opencl
