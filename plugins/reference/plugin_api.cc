#include "plugin_api.h"

#include "slots.h"

namespace keel::reference {
namespace {

constexpr keel_plugin_api_t kPluginApi = {
    .struct_size = sizeof(keel_plugin_api_t),
    .next = nullptr,
    .shutdown = reference_shutdown,

    .device_count = reference_device_count,
    .device_get = reference_device_get,
    .device_properties = reference_device_properties,
    .device_attributes = reference_device_attributes,

    .memory_space_properties = reference_memory_space_properties,
    .buffer_allocate = reference_buffer_allocate,
    .buffer_release = reference_buffer_release,
    .buffer_write = reference_buffer_write,
    .buffer_read = reference_buffer_read,
    .buffer_copy = reference_buffer_copy,
    .memory_stats = reference_memory_stats,
    .memory_reset_peak = reference_memory_reset_peak,

    .queue_create = reference_queue_create,
    .queue_release = reference_queue_release,
    .queue_write = reference_queue_write,
    .queue_read = reference_queue_read,
    .queue_copy = reference_queue_copy,
    .queue_fill = reference_queue_fill,
    .queue_host_callback = reference_queue_host_callback,
    .queue_signal = reference_queue_signal,
    .queue_wait = reference_queue_wait,
    .queue_synchronize = reference_queue_synchronize,

    .event_create = reference_event_create,
    .event_release = reference_event_release,
    .event_signal = reference_event_signal,
    .event_query = reference_event_query,
    .event_host_wait = reference_event_host_wait,
    .event_fail = reference_event_fail,

    .buffer_import_host = reference_buffer_import_host,
};

// A slot appended in a later ABI minor would be missing from the initializer above; this catches it.
static_assert(sizeof(keel_plugin_api_t) == KEEL_PLUGIN_API_SIZE_V1_0, "fill the new keel_plugin_api_t slots");

}  // namespace

const keel_plugin_api_t* plugin_api() { return &kPluginApi; }

}  // namespace keel::reference
