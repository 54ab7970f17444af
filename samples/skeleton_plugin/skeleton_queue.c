/* Queues. The skeleton's queues are synchronous: each call finishes its work before it returns, and the
 * device does not claim KEEL_CAP_ASYNC.
 *
 * Error poisoning: when a queue_wait finds its event failed, the queue keeps that error. Later copies and
 * fills are skipped (they depended on work that never happened), later signals fail their events with the
 * same error, host callbacks still run so that nothing on the host waits forever, and the next
 * queue_synchronize returns the error and clears it.
 *
 * TODO(vendor): enqueue on your device's stream instead and return at once (then set KEEL_CAP_ASYNC); keep
 * `src`/`dst` host pointers alive until the copy has run, copy the fill pattern at the call, and run host
 * callbacks from your completion thread without holding your locks. */
#include <stdlib.h>
#include <string.h>

#include "skeleton.h"

keel_status_t skeleton_queue_create(keel_plugin_device_t* device, const keel_queue_create_args_t* args,
                                    keel_plugin_queue_t** out_queue) {
  keel_plugin_queue_t* queue = calloc(1, sizeof *queue);
  (void)args; /* flags are reserved; the priority is a hint the skeleton does not need */
  if (queue == NULL) return skeleton_error(device, KEEL_STATUS_RESOURCE_EXHAUSTED, "out of host memory");
  queue->device = device;
  queue->error_code = KEEL_STATUS_OK;
  *out_queue = queue;
  return NULL;
}

void skeleton_queue_release(keel_plugin_queue_t* queue) { free(queue); /* nothing is pending on a synchronous queue */ }

static int queue_failed(const keel_plugin_queue_t* queue) { return queue->error_code != KEEL_STATUS_OK; }

/* Keeps the first error of `status` (consuming it) until the next queue_synchronize. */
static void queue_keep_error(keel_plugin_queue_t* queue, keel_status_t status) {
  const keel_host_api_t* host = queue->device->plugin->host;
  if (!queue_failed(queue)) {
    queue->error_code = host->status_code(status);
    strncpy(queue->error_message, host->status_message(status), sizeof queue->error_message - 1);
  }
  host->status_release(status);
}

keel_status_t skeleton_queue_write(keel_plugin_queue_t* queue, keel_plugin_buffer_t* buffer, uint64_t offset,
                                   const void* src, uint64_t size) {
  if (queue_failed(queue)) return NULL;
  return skeleton_buffer_write(buffer, offset, src, size);
}

keel_status_t skeleton_queue_read(keel_plugin_queue_t* queue, keel_plugin_buffer_t* buffer, uint64_t offset, void* dst,
                                  uint64_t size) {
  if (queue_failed(queue)) return NULL;
  return skeleton_buffer_read(buffer, offset, dst, size);
}

keel_status_t skeleton_queue_copy(keel_plugin_queue_t* queue, keel_plugin_buffer_t* src, uint64_t src_offset,
                                  keel_plugin_buffer_t* dst, uint64_t dst_offset, uint64_t size) {
  if (queue_failed(queue)) return NULL;
  return skeleton_buffer_copy(src, src_offset, dst, dst_offset, size);
}

keel_status_t skeleton_queue_fill(keel_plugin_queue_t* queue, keel_plugin_buffer_t* buffer, uint64_t offset,
                                  uint64_t size, const void* pattern, uint32_t pattern_size) {
  uint64_t at;
  const int valid_size = pattern_size == 1 || pattern_size == 2 || pattern_size == 4 || pattern_size == 8;
  if (!valid_size || size % pattern_size != 0) {
    return skeleton_error(queue->device, KEEL_STATUS_INVALID_ARGUMENT,
                          "fill needs a 1, 2, 4 or 8 byte pattern and a size that is a multiple of it");
  }
  if (queue_failed(queue)) return NULL;
  for (at = 0; at < size; at += pattern_size) memcpy(buffer->bytes + offset + at, pattern, pattern_size);
  return NULL;
}

keel_status_t skeleton_queue_host_callback(keel_plugin_queue_t* queue, keel_host_callback_fn callback,
                                           void* user_data) {
  (void)queue;
  callback(user_data); /* everything enqueued before has finished: this queue is synchronous */
  return NULL;
}

keel_status_t skeleton_queue_signal(keel_plugin_queue_t* queue, keel_plugin_event_t* event, uint64_t value) {
  if (queue_failed(queue)) return skeleton_event_fail(event, queue->error_code, queue->error_message);
  return skeleton_event_signal(event, value);
}

keel_status_t skeleton_queue_wait(keel_plugin_queue_t* queue, keel_plugin_event_t* event, uint64_t value) {
  uint8_t reached = 0;
  keel_status_t status;
  if (queue_failed(queue)) return NULL;
  status = skeleton_event_host_wait(event, value, KEEL_WAIT_INFINITE, &reached);
  if (status != NULL) queue_keep_error(queue, status);
  return NULL;
}

keel_status_t skeleton_queue_synchronize(keel_plugin_queue_t* queue) {
  keel_status_t status;
  if (!queue_failed(queue)) return NULL;
  status = skeleton_error(queue->device, queue->error_code, queue->error_message);
  queue->error_code = KEEL_STATUS_OK;
  memset(queue->error_message, 0, sizeof queue->error_message);
  return status;
}
