#include "plugin_api.h"

#include "slots.h"

namespace keel::onednn {
namespace {

constexpr keel_plugin_api_t kPluginApi = {
    .struct_size = sizeof(keel_plugin_api_t),
    .next = nullptr,
    .shutdown = onednn_shutdown,

    .device_count = onednn_device_count,
    .device_get = onednn_device_get,
    .device_properties = onednn_device_properties,
    .device_attributes = onednn_device_attributes,

    .memory_space_properties = onednn_memory_space_properties,
    .buffer_allocate = onednn_buffer_allocate,
    .buffer_release = onednn_buffer_release,
    .buffer_write = onednn_buffer_write,
    .buffer_read = onednn_buffer_read,
    .buffer_copy = onednn_buffer_copy,
    .memory_stats = onednn_memory_stats,
    .memory_reset_peak = onednn_memory_reset_peak,

    .queue_create = onednn_queue_create,
    .queue_release = onednn_queue_release,
    .queue_write = onednn_queue_write,
    .queue_read = onednn_queue_read,
    .queue_copy = onednn_queue_copy,
    .queue_fill = onednn_queue_fill,
    .queue_host_callback = onednn_queue_host_callback,
    .queue_signal = onednn_queue_signal,
    .queue_wait = onednn_queue_wait,
    .queue_synchronize = onednn_queue_synchronize,

    .event_create = onednn_event_create,
    .event_release = onednn_event_release,
    .event_signal = onednn_event_signal,
    .event_query = onednn_event_query,
    .event_host_wait = onednn_event_host_wait,
    .event_fail = onednn_event_fail,

    .buffer_import_host = onednn_buffer_import_host,
};

// A slot appended by a later ABI minor would be missing above; this makes the build say so.
static_assert(sizeof(keel_plugin_api_t) == KEEL_PLUGIN_API_SIZE_V1_0, "fill the new keel_plugin_api_t slots");

}  // namespace

const keel_plugin_api_t* plugin_api() { return &kPluginApi; }

}  // namespace keel::onednn
