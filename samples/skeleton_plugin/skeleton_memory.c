/* Buffers in the device's one memory space, synchronous copies and memory statistics.
 *
 * TODO(vendor): allocate device memory with your driver instead of posix_memalign, and copy with its
 * memcpy calls. If your memory is not host-accessible, return a NULL host pointer and set
 * host_accessible = 0. */
#include <stdlib.h>
#include <string.h>

#include "skeleton.h"

static keel_status_t check_memory_space(keel_plugin_device_t* device, uint32_t memory_space) {
  if (memory_space == 0) return NULL;
  return skeleton_error(device, KEEL_STATUS_INVALID_ARGUMENT, "skeleton has one memory space (0)");
}

keel_status_t skeleton_memory_space_properties(keel_plugin_device_t* device, uint32_t memory_space,
                                               keel_memory_space_properties_t* inout) {
  keel_memory_space_properties_t properties;
  keel_status_t status = check_memory_space(device, memory_space);
  if (status != NULL) return status;
  memset(&properties, 0, sizeof properties);
  properties.next = KEEL_STRUCT_HAS(inout->struct_size, keel_memory_space_properties_t, next) ? inout->next : NULL;
  properties.name = "host";
  properties.kind = KEEL_MEMORY_KIND_DEVICE;
  properties.host_accessible = 1;
  properties.capacity_bytes = device->memory_bytes;
  properties.min_alignment = SKELETON_MIN_ALIGNMENT;
  skeleton_copy_out(inout, &properties, sizeof properties);
  return NULL;
}

/* Counts `size` bytes against the limit; 0 (and no change) when they do not fit. */
static int stats_reserve(keel_plugin_device_t* device, uint64_t size) {
  keel_memory_stats_t* stats = &device->stats;
  int fits;
  pthread_mutex_lock(&device->stats_mutex);
  fits = size <= device->memory_bytes - stats->bytes_in_use;
  if (fits) {
    stats->bytes_in_use += size;
    stats->allocation_count += 1;
    if (stats->bytes_in_use > stats->peak_bytes_in_use) stats->peak_bytes_in_use = stats->bytes_in_use;
  }
  pthread_mutex_unlock(&device->stats_mutex);
  return fits;
}

static void stats_unreserve(keel_plugin_device_t* device, uint64_t size) {
  pthread_mutex_lock(&device->stats_mutex);
  device->stats.bytes_in_use -= size;
  device->stats.allocation_count -= 1;
  pthread_mutex_unlock(&device->stats_mutex);
}

keel_status_t skeleton_buffer_allocate(keel_plugin_device_t* device, const keel_buffer_allocate_args_t* args,
                                       keel_plugin_buffer_t** out_buffer, void** out_host_ptr) {
  const uint64_t alignment = args->alignment > SKELETON_MIN_ALIGNMENT ? args->alignment : SKELETON_MIN_ALIGNMENT;
  keel_plugin_buffer_t* buffer;
  void* bytes = NULL;
  keel_status_t status = check_memory_space(device, args->memory_space);
  if (status != NULL) return status;
  if ((args->alignment & (args->alignment - 1)) != 0) {
    return skeleton_error(device, KEEL_STATUS_INVALID_ARGUMENT, "alignment must be 0 or a power of two");
  }
  /* Refuse what cannot fit before asking the allocator: impossible sizes are RESOURCE_EXHAUSTED. */
  if (alignment > device->memory_bytes || !stats_reserve(device, args->size)) {
    return skeleton_error(device, KEEL_STATUS_RESOURCE_EXHAUSTED, "allocation exceeds the device's memory");
  }
  buffer = calloc(1, sizeof *buffer);
  /* A zero-byte buffer still takes one byte, so that every buffer is distinct. */
  if (buffer == NULL || posix_memalign(&bytes, (size_t)alignment, args->size ? (size_t)args->size : 1) != 0) {
    free(buffer);
    stats_unreserve(device, args->size);
    return skeleton_error(device, KEEL_STATUS_RESOURCE_EXHAUSTED, "out of host memory");
  }
  if (args->flags & KEEL_ALLOCATE_ZERO_INIT) memset(bytes, 0, (size_t)args->size);
  buffer->device = device;
  buffer->size = args->size;
  buffer->bytes = bytes;
  *out_buffer = buffer;
  *out_host_ptr = bytes;
  return NULL;
}

void skeleton_buffer_release(keel_plugin_buffer_t* buffer) {
  stats_unreserve(buffer->device, buffer->size);
  free(buffer->bytes);
  free(buffer);
}

/* The host checks every range against the buffer sizes before calling the copies. */
keel_status_t skeleton_buffer_write(keel_plugin_buffer_t* buffer, uint64_t offset, const void* src, uint64_t size) {
  memcpy(buffer->bytes + offset, src, (size_t)size);
  return NULL;
}

keel_status_t skeleton_buffer_read(keel_plugin_buffer_t* buffer, uint64_t offset, void* dst, uint64_t size) {
  memcpy(dst, buffer->bytes + offset, (size_t)size);
  return NULL;
}

keel_status_t skeleton_buffer_copy(keel_plugin_buffer_t* src, uint64_t src_offset, keel_plugin_buffer_t* dst,
                                   uint64_t dst_offset, uint64_t size) {
  memmove(dst->bytes + dst_offset, src->bytes + src_offset, (size_t)size); /* src and dst may be one buffer */
  return NULL;
}

keel_status_t skeleton_memory_stats(keel_plugin_device_t* device, uint32_t memory_space, keel_memory_stats_t* inout) {
  keel_memory_stats_t stats;
  keel_status_t status = check_memory_space(device, memory_space);
  if (status != NULL) return status;
  pthread_mutex_lock(&device->stats_mutex);
  stats = device->stats;
  pthread_mutex_unlock(&device->stats_mutex);
  skeleton_copy_out(inout, &stats, sizeof stats);
  return NULL;
}

keel_status_t skeleton_memory_reset_peak(keel_plugin_device_t* device, uint32_t memory_space) {
  keel_status_t status = check_memory_space(device, memory_space);
  if (status != NULL) return status;
  pthread_mutex_lock(&device->stats_mutex);
  device->stats.peak_bytes_in_use = device->stats.bytes_in_use;
  pthread_mutex_unlock(&device->stats_mutex);
  return NULL;
}
