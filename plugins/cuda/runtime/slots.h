// The functions keel_plugin_api_t points at (the table itself is in plugin_api.cc). Each one is a thin C
// edge: it converts handles, runs the C++ implementation inside Host::guard and returns a status.
#pragma once

#include "keel/keel_plugin.h"

extern "C" {

// plugin.cc
void keel_cuda_shutdown(void* plugin_ctx);
keel_status_t keel_cuda_device_count(void* plugin_ctx, size_t* out_count);
keel_status_t keel_cuda_device_get(void* plugin_ctx, size_t index, keel_plugin_device_t** out_device);

// device_slots.cc
keel_status_t keel_cuda_device_properties(keel_plugin_device_t* device, keel_device_properties_t* inout_properties);
keel_status_t keel_cuda_device_attributes(keel_plugin_device_t* device, keel_attribute_t* out_attributes,
                                          size_t* inout_count);
keel_status_t keel_cuda_memory_space_properties(keel_plugin_device_t* device, uint32_t memory_space,
                                                keel_memory_space_properties_t* inout_properties);
keel_status_t keel_cuda_memory_stats(keel_plugin_device_t* device, uint32_t memory_space,
                                     keel_memory_stats_t* inout_stats);
keel_status_t keel_cuda_memory_reset_peak(keel_plugin_device_t* device, uint32_t memory_space);

// buffer_slots.cc
keel_status_t keel_cuda_buffer_allocate(keel_plugin_device_t* device, const keel_buffer_allocate_args_t* args,
                                        keel_plugin_buffer_t** out_buffer, void** out_host_ptr);
void keel_cuda_buffer_release(keel_plugin_buffer_t* buffer);
keel_status_t keel_cuda_buffer_write(keel_plugin_buffer_t* buffer, uint64_t offset, const void* src, uint64_t size);
keel_status_t keel_cuda_buffer_read(keel_plugin_buffer_t* buffer, uint64_t offset, void* dst, uint64_t size);
keel_status_t keel_cuda_buffer_copy(keel_plugin_buffer_t* src, uint64_t src_offset, keel_plugin_buffer_t* dst,
                                    uint64_t dst_offset, uint64_t size);

// queue_slots.cc
keel_status_t keel_cuda_queue_create(keel_plugin_device_t* device, const keel_queue_create_args_t* args,
                                     keel_plugin_queue_t** out_queue);
void keel_cuda_queue_release(keel_plugin_queue_t* queue);
keel_status_t keel_cuda_queue_write(keel_plugin_queue_t* queue, keel_plugin_buffer_t* buffer, uint64_t offset,
                                    const void* src, uint64_t size);
keel_status_t keel_cuda_queue_read(keel_plugin_queue_t* queue, keel_plugin_buffer_t* buffer, uint64_t offset,
                                   void* dst, uint64_t size);
keel_status_t keel_cuda_queue_copy(keel_plugin_queue_t* queue, keel_plugin_buffer_t* src, uint64_t src_offset,
                                   keel_plugin_buffer_t* dst, uint64_t dst_offset, uint64_t size);
keel_status_t keel_cuda_queue_fill(keel_plugin_queue_t* queue, keel_plugin_buffer_t* buffer, uint64_t offset,
                                   uint64_t size, const void* pattern, uint32_t pattern_size);
keel_status_t keel_cuda_queue_host_callback(keel_plugin_queue_t* queue, keel_host_callback_fn callback,
                                            void* user_data);
keel_status_t keel_cuda_queue_signal(keel_plugin_queue_t* queue, keel_plugin_event_t* event, uint64_t value);
keel_status_t keel_cuda_queue_wait(keel_plugin_queue_t* queue, keel_plugin_event_t* event, uint64_t value);
keel_status_t keel_cuda_queue_synchronize(keel_plugin_queue_t* queue);

// event_slots.cc
keel_status_t keel_cuda_event_create(keel_plugin_device_t* device, uint64_t initial_value,
                                     keel_plugin_event_t** out_event);
void keel_cuda_event_release(keel_plugin_event_t* event);
keel_status_t keel_cuda_event_signal(keel_plugin_event_t* event, uint64_t value);
keel_status_t keel_cuda_event_query(keel_plugin_event_t* event, uint64_t* out_value);
keel_status_t keel_cuda_event_host_wait(keel_plugin_event_t* event, uint64_t value, uint64_t timeout_ns,
                                        uint8_t* out_reached);
keel_status_t keel_cuda_event_fail(keel_plugin_event_t* event, keel_status_code_t code, const char* message);

}  // extern "C"
