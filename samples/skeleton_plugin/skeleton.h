/* The skeleton plugin's internal declarations: its handle structs and the functions its table points to.
 *
 * The skeleton is a complete, working Keel plugin for one device that computes nothing: memory is host
 * memory, queues run synchronously, and its one kernel answers UNIMPLEMENTED. Every place that a real
 * backend changes is marked TODO(vendor).
 *
 * The sources use POSIX threads and clocks; CMakeLists.txt defines _POSIX_C_SOURCE for them.
 */
#ifndef SKELETON_H_
#define SKELETON_H_

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "keel/keel_plugin.h"

#define SKELETON_PLUGIN_NAME "skeleton" /* TODO(vendor): your plugin's name, [a-z0-9_]+ */
#define SKELETON_MIN_ALIGNMENT 64u
#define SKELETON_MESSAGE_SIZE 256

typedef struct skeleton_plugin_t skeleton_plugin_t;

/* A device. TODO(vendor): add your driver's device handle, context, streams pool... */
struct keel_plugin_device_s {
  skeleton_plugin_t* plugin;
  uint64_t memory_bytes; /* what memory space 0 may hand out */
  uint32_t compute_units;
  pthread_mutex_t stats_mutex; /* guards stats */
  keel_memory_stats_t stats;   /* memory space 0 */
};

/* The plugin context handed to plugin-level calls (args->plugin_ctx). */
struct skeleton_plugin_t {
  const keel_host_api_t* host; /* valid until shutdown returns */
  keel_plugin_device_t device; /* TODO(vendor): one per device your driver reports */
};

struct keel_plugin_buffer_s {
  keel_plugin_device_t* device;
  uint64_t size;
  unsigned char* bytes; /* TODO(vendor): your device allocation */
};

/* A timeline event: a value that only grows, plus an error state that wins over it. */
struct keel_plugin_event_s {
  keel_plugin_device_t* device;
  pthread_mutex_t mutex;  /* guards everything below */
  pthread_cond_t changed; /* broadcast on every change of value or error */
  uint64_t value;
  keel_status_code_t error_code; /* KEEL_STATUS_OK until the event fails */
  char error_message[SKELETON_MESSAGE_SIZE];
};

/* A queue. Externally synchronized: the host never calls one queue from two threads at once. */
struct keel_plugin_queue_s {
  keel_plugin_device_t* device;
  keel_status_code_t error_code; /* the first error since the last queue_synchronize, or OK */
  char error_message[SKELETON_MESSAGE_SIZE];
};

/* ---- Helpers (skeleton_plugin.c) -------------------------------------------------------------------------- */

/* A status attributed to this plugin; the host owns the allocation. */
keel_status_t skeleton_error(const keel_plugin_device_t* device, keel_status_code_t code, const char* message);
/* Copies the part of `full` that the caller's struct covers, keeping the caller's struct_size. */
void skeleton_copy_out(void* inout, const void* full, size_t full_size);

/* ---- Devices (skeleton_device.c) ---------------------------------------------------------------------------- */

void skeleton_device_init(skeleton_plugin_t* plugin, keel_plugin_device_t* device);
void skeleton_device_destroy(keel_plugin_device_t* device);
keel_status_t skeleton_device_count(void* plugin_ctx, size_t* out_count);
keel_status_t skeleton_device_get(void* plugin_ctx, size_t index, keel_plugin_device_t** out_device);
keel_status_t skeleton_device_properties(keel_plugin_device_t* device, keel_device_properties_t* inout);
keel_status_t skeleton_device_attributes(keel_plugin_device_t* device, keel_attribute_t* out_attributes,
                                         size_t* inout_count);

/* ---- Memory (skeleton_memory.c) ----------------------------------------------------------------------------- */

keel_status_t skeleton_memory_space_properties(keel_plugin_device_t* device, uint32_t memory_space,
                                               keel_memory_space_properties_t* inout);
keel_status_t skeleton_buffer_allocate(keel_plugin_device_t* device, const keel_buffer_allocate_args_t* args,
                                       keel_plugin_buffer_t** out_buffer, void** out_host_ptr);
void skeleton_buffer_release(keel_plugin_buffer_t* buffer);
keel_status_t skeleton_buffer_write(keel_plugin_buffer_t* buffer, uint64_t offset, const void* src, uint64_t size);
keel_status_t skeleton_buffer_read(keel_plugin_buffer_t* buffer, uint64_t offset, void* dst, uint64_t size);
keel_status_t skeleton_buffer_copy(keel_plugin_buffer_t* src, uint64_t src_offset, keel_plugin_buffer_t* dst,
                                   uint64_t dst_offset, uint64_t size);
keel_status_t skeleton_memory_stats(keel_plugin_device_t* device, uint32_t memory_space, keel_memory_stats_t* inout);
keel_status_t skeleton_memory_reset_peak(keel_plugin_device_t* device, uint32_t memory_space);

/* ---- Queues (skeleton_queue.c) ------------------------------------------------------------------------------ */

keel_status_t skeleton_queue_create(keel_plugin_device_t* device, const keel_queue_create_args_t* args,
                                    keel_plugin_queue_t** out_queue);
void skeleton_queue_release(keel_plugin_queue_t* queue);
keel_status_t skeleton_queue_write(keel_plugin_queue_t* queue, keel_plugin_buffer_t* buffer, uint64_t offset,
                                   const void* src, uint64_t size);
keel_status_t skeleton_queue_read(keel_plugin_queue_t* queue, keel_plugin_buffer_t* buffer, uint64_t offset, void* dst,
                                  uint64_t size);
keel_status_t skeleton_queue_copy(keel_plugin_queue_t* queue, keel_plugin_buffer_t* src, uint64_t src_offset,
                                  keel_plugin_buffer_t* dst, uint64_t dst_offset, uint64_t size);
keel_status_t skeleton_queue_fill(keel_plugin_queue_t* queue, keel_plugin_buffer_t* buffer, uint64_t offset,
                                  uint64_t size, const void* pattern, uint32_t pattern_size);
keel_status_t skeleton_queue_host_callback(keel_plugin_queue_t* queue, keel_host_callback_fn callback, void* user_data);
keel_status_t skeleton_queue_signal(keel_plugin_queue_t* queue, keel_plugin_event_t* event, uint64_t value);
keel_status_t skeleton_queue_wait(keel_plugin_queue_t* queue, keel_plugin_event_t* event, uint64_t value);
keel_status_t skeleton_queue_synchronize(keel_plugin_queue_t* queue);

/* ---- Events (skeleton_event.c) ------------------------------------------------------------------------------ */

keel_status_t skeleton_event_create(keel_plugin_device_t* device, uint64_t initial_value,
                                    keel_plugin_event_t** out_event);
void skeleton_event_release(keel_plugin_event_t* event);
keel_status_t skeleton_event_signal(keel_plugin_event_t* event, uint64_t value);
keel_status_t skeleton_event_query(keel_plugin_event_t* event, uint64_t* out_value);
keel_status_t skeleton_event_host_wait(keel_plugin_event_t* event, uint64_t value, uint64_t timeout_ns,
                                       uint8_t* out_reached);
keel_status_t skeleton_event_fail(keel_plugin_event_t* event, keel_status_code_t code, const char* message);

/* ---- Kernels (skeleton_kernels.c) --------------------------------------------------------------------------- */

/* Registers the plugin's kernels through host->kernel_register; only valid during keel_plugin_init. */
keel_status_t skeleton_register_kernels(skeleton_plugin_t* plugin);

#endif /* SKELETON_H_ */
