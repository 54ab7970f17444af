/* The skeleton's one device: the host CPU and its memory. */
#include <string.h>
#include <unistd.h>

#include "skeleton.h"

void skeleton_device_init(skeleton_plugin_t* plugin, keel_plugin_device_t* device) {
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page_size = sysconf(_SC_PAGESIZE);
  const long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  device->plugin = plugin;
  /* TODO(vendor): ask your driver for the device's memory size and compute units. */
  device->memory_bytes = pages > 0 && page_size > 0 ? (uint64_t)pages * (uint64_t)page_size : 0;
  device->compute_units = cpus > 0 ? (uint32_t)cpus : 0;
  pthread_mutex_init(&device->stats_mutex, NULL);
  memset(&device->stats, 0, sizeof device->stats);
  device->stats.struct_size = sizeof device->stats;
  device->stats.bytes_limit = device->memory_bytes;
}

void skeleton_device_destroy(keel_plugin_device_t* device) { pthread_mutex_destroy(&device->stats_mutex); }

keel_status_t skeleton_device_count(void* plugin_ctx, size_t* out_count) {
  (void)plugin_ctx;
  *out_count = 1;
  return NULL;
}

keel_status_t skeleton_device_get(void* plugin_ctx, size_t index, keel_plugin_device_t** out_device) {
  skeleton_plugin_t* plugin = plugin_ctx;
  if (index != 0) return skeleton_error(&plugin->device, KEEL_STATUS_OUT_OF_RANGE, "skeleton has one device");
  *out_device = &plugin->device;
  return NULL;
}

keel_status_t skeleton_device_properties(keel_plugin_device_t* device, keel_device_properties_t* inout) {
  keel_device_properties_t properties;
  memset(&properties, 0, sizeof properties);
  properties.next = KEEL_STRUCT_HAS(inout->struct_size, keel_device_properties_t, next) ? inout->next : NULL;
  /* TODO(vendor): your device's name, vendor and type; a stable uuid (and uuid_is_set = 1) and the PCI bus
   * id if you know them, so the core can tell when two plugins drive the same device. */
  properties.name = "Skeleton host device";
  properties.vendor = "Example Vendor";
  properties.type = KEEL_DEVICE_TYPE_CPU;
  properties.memory_bytes = device->memory_bytes;
  /* Queues finish their work before returning, so no KEEL_CAP_ASYNC. TODO(vendor): set the bits you support. */
  properties.capabilities = 0;
  properties.compute_units = device->compute_units;
  properties.memory_space_count = 1;
  skeleton_copy_out(inout, &properties, sizeof properties);
  return NULL;
}

/* Anything a user may want to see that has no field: driver version, ISA, firmware... Strings live as long
 * as the device. */
static const keel_attribute_t skeleton_attributes[] = {
    {"skeleton.version", SKELETON_VERSION},
};

keel_status_t skeleton_device_attributes(keel_plugin_device_t* device, keel_attribute_t* out_attributes,
                                         size_t* inout_count) {
  const size_t available = sizeof skeleton_attributes / sizeof skeleton_attributes[0];
  size_t i;
  (void)device;
  if (out_attributes == NULL) { /* the query: how many there are */
    *inout_count = available;
    return NULL;
  }
  for (i = 0; i < available && i < *inout_count; ++i) out_attributes[i] = skeleton_attributes[i];
  *inout_count = i;
  return NULL;
}
