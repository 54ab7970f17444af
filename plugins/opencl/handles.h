// The ABI's opaque handles (keel_plugin_device_t, ...) are pointers to this plugin's own objects. The host
// only ever passes back the handles the plugin gave out, so converting back is a plain round trip. A queue
// handle owns a shared reference to its Queue (the worker thread may hold another while it submits).
#pragma once

#include <memory>

#include "keel/keel_plugin.h"

namespace keel::opencl {

class Device;
class Buffer;
class Queue;
class Event;

using QueueHandle = std::shared_ptr<Queue>;

inline keel_plugin_device_t* to_handle(Device* device) { return reinterpret_cast<keel_plugin_device_t*>(device); }
inline keel_plugin_buffer_t* to_handle(Buffer* buffer) { return reinterpret_cast<keel_plugin_buffer_t*>(buffer); }
inline keel_plugin_queue_t* to_handle(QueueHandle* queue) { return reinterpret_cast<keel_plugin_queue_t*>(queue); }
inline keel_plugin_event_t* to_handle(Event* event) { return reinterpret_cast<keel_plugin_event_t*>(event); }

inline Device* from_handle(keel_plugin_device_t* device) { return reinterpret_cast<Device*>(device); }
inline Buffer* from_handle(keel_plugin_buffer_t* buffer) { return reinterpret_cast<Buffer*>(buffer); }
inline Queue* from_handle(keel_plugin_queue_t* queue) { return reinterpret_cast<QueueHandle*>(queue)->get(); }
inline Event* from_handle(keel_plugin_event_t* event) { return reinterpret_cast<Event*>(event); }

}  // namespace keel::opencl
