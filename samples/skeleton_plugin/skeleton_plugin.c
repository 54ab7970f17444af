/* The two exported entry points, the plugin table, and the status helpers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skeleton.h"

keel_status_t skeleton_error(const keel_plugin_device_t* device, keel_status_code_t code, const char* message) {
  const keel_host_api_t* host = device->plugin->host;
  return host->status_create(host->host_ctx, code, message);
}

void skeleton_copy_out(void* inout, const void* full, size_t full_size) {
  size_t caller_size;
  memcpy(&caller_size, inout, sizeof caller_size);
  memcpy(inout, full, caller_size < full_size ? caller_size : full_size);
  memcpy(inout, &caller_size, sizeof caller_size);
}

static void skeleton_shutdown(void* plugin_ctx) {
  skeleton_plugin_t* plugin = plugin_ctx;
  skeleton_device_destroy(&plugin->device);
  free(plugin);
}

/* The plugin table. The optional slots left out here stay NULL. */
static const keel_plugin_api_t skeleton_api = {
    .struct_size = sizeof(keel_plugin_api_t),
    .shutdown = skeleton_shutdown,
    .device_count = skeleton_device_count,
    .device_get = skeleton_device_get,
    .device_properties = skeleton_device_properties,
    .device_attributes = skeleton_device_attributes,
    .memory_space_properties = skeleton_memory_space_properties,
    .buffer_allocate = skeleton_buffer_allocate,
    .buffer_release = skeleton_buffer_release,
    .buffer_write = skeleton_buffer_write,
    .buffer_read = skeleton_buffer_read,
    .buffer_copy = skeleton_buffer_copy,
    .memory_stats = skeleton_memory_stats,
    .memory_reset_peak = skeleton_memory_reset_peak,
    .queue_create = skeleton_queue_create,
    .queue_release = skeleton_queue_release,
    .queue_write = skeleton_queue_write,
    .queue_read = skeleton_queue_read,
    .queue_copy = skeleton_queue_copy,
    .queue_fill = skeleton_queue_fill,
    .queue_host_callback = skeleton_queue_host_callback,
    .queue_signal = skeleton_queue_signal,
    .queue_wait = skeleton_queue_wait,
    .queue_synchronize = skeleton_queue_synchronize,
    .event_create = skeleton_event_create,
    .event_release = skeleton_event_release,
    .event_signal = skeleton_event_signal,
    .event_query = skeleton_event_query,
    .event_host_wait = skeleton_event_host_wait,
    .event_fail = skeleton_event_fail,
    /* TODO(vendor): .buffer_import_host, if your device can wrap caller memory (KEEL_CAP_IMPORT_HOST_PTR). */
};

/* 0 = cannot run here. TODO(vendor): check cheaply for your driver and device (dlopen the runtime, look
 * for the device node) without initializing anything; return a higher score from a better build (an ISA
 * variant) so it wins over a generic one. */
KEEL_PLUGIN_EXPORT int32_t keel_plugin_probe(void) { return 1; }

static keel_status_t host_error(const keel_host_api_t* host, keel_status_code_t code, const char* message) {
  return host->status_create(host->host_ctx, code, message);
}

KEEL_PLUGIN_EXPORT keel_status_t keel_plugin_init(const keel_host_api_t* host, keel_plugin_init_args_t* args) {
  skeleton_plugin_t* plugin;
  keel_status_t status;
  char message[SKELETON_MESSAGE_SIZE];

  if (!KEEL_STRUCT_HAS(args->struct_size, keel_plugin_init_args_t, api)) {
    return host_error(host, KEEL_STATUS_INVALID_ARGUMENT, "skeleton: init args are older than ABI 1.0");
  }
  /* Say who we are first, so the loader can report it even when init fails. */
  args->plugin_abi_version = KEEL_ABI_VERSION;
  args->plugin_name = SKELETON_PLUGIN_NAME;
  args->plugin_version = SKELETON_VERSION;
  args->api = NULL;
  if (!keel_abi_compatible(args->host_abi_min, args->host_abi_max, KEEL_ABI_VERSION)) {
    snprintf(message, sizeof message, "skeleton implements Keel ABI %u.%u; the host offers %u.%u to %u.%u",
             (unsigned)KEEL_ABI_VERSION_MAJOR, (unsigned)KEEL_ABI_VERSION_MINOR,
             (unsigned)KEEL_VERSION_MAJOR(args->host_abi_min), (unsigned)KEEL_VERSION_MINOR(args->host_abi_min),
             (unsigned)KEEL_VERSION_MAJOR(args->host_abi_max), (unsigned)KEEL_VERSION_MINOR(args->host_abi_max));
    return host_error(host, KEEL_STATUS_FAILED_PRECONDITION, message);
  }

  plugin = calloc(1, sizeof *plugin);
  if (plugin == NULL) return host_error(host, KEEL_STATUS_RESOURCE_EXHAUSTED, "skeleton: out of memory");
  plugin->host = host;
  /* TODO(vendor): initialize your driver and create one device per physical device. If there is no usable
   * device, free what you made and return UNAVAILABLE with a message that says what is missing. */
  skeleton_device_init(plugin, &plugin->device);

  status = skeleton_register_kernels(plugin);
  if (status != NULL) {
    skeleton_shutdown(plugin);
    return status;
  }
  args->plugin_ctx = plugin;
  args->api = &skeleton_api;
  return NULL;
}
