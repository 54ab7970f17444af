#include "runtime/plugin_api.h"

#include "runtime/slots.h"

namespace keel::cuda {
namespace {

constexpr keel_plugin_api_t kPluginApi = {
    .struct_size = sizeof(keel_plugin_api_t),
    .next = nullptr,
    .shutdown = keel_cuda_shutdown,

    .device_count = keel_cuda_device_count,
    .device_get = keel_cuda_device_get,
    .device_properties = keel_cuda_device_properties,
    .device_attributes = keel_cuda_device_attributes,

    .memory_space_properties = keel_cuda_memory_space_properties,
    .buffer_allocate = keel_cuda_buffer_allocate,
    .buffer_release = keel_cuda_buffer_release,
    .buffer_write = keel_cuda_buffer_write,
    .buffer_read = keel_cuda_buffer_read,
    .buffer_copy = keel_cuda_buffer_copy,
    .memory_stats = keel_cuda_memory_stats,
    .memory_reset_peak = keel_cuda_memory_reset_peak,

    .queue_create = keel_cuda_queue_create,
    .queue_release = keel_cuda_queue_release,
    .queue_write = keel_cuda_queue_write,
    .queue_read = keel_cuda_queue_read,
    .queue_copy = keel_cuda_queue_copy,
    .queue_fill = keel_cuda_queue_fill,
    .queue_host_callback = keel_cuda_queue_host_callback,
    .queue_signal = keel_cuda_queue_signal,
    .queue_wait = keel_cuda_queue_wait,
    .queue_synchronize = keel_cuda_queue_synchronize,

    .event_create = keel_cuda_event_create,
    .event_release = keel_cuda_event_release,
    .event_signal = keel_cuda_event_signal,
    .event_query = keel_cuda_event_query,
    .event_host_wait = keel_cuda_event_host_wait,
    .event_fail = keel_cuda_event_fail,

    // Not offered: wrapping caller memory would need cuMemHostRegister, whose alignment rules and cost make
    // it a poor fit for the ABI's "no copy" promise. The device does not claim KEEL_CAP_IMPORT_HOST_PTR.
    .buffer_import_host = nullptr,
};

// A slot appended in a later ABI minor would be missing from the initializer above; this catches it.
static_assert(sizeof(keel_plugin_api_t) == KEEL_PLUGIN_API_SIZE_V1_0, "fill the new keel_plugin_api_t slots");

}  // namespace

const keel_plugin_api_t* plugin_api() { return &kPluginApi; }

}  // namespace keel::cuda
