// The ABI's opaque handles are pointers to this plugin's own objects. Queues and events are shared with the
// work that refers to them (a queue waiting on an event, a signal in flight), so their handles own a
// reference; devices and buffers are the objects themselves.
#pragma once

#include <memory>

#include "keel/keel_plugin.h"

namespace keel::cuda {

class Device;
class Buffer;
class Queue;
class Event;

struct QueueHandle {
  std::shared_ptr<Queue> queue;
};
struct EventHandle {
  std::shared_ptr<Event> event;
};

inline keel_plugin_device_t* to_handle(Device* device) { return reinterpret_cast<keel_plugin_device_t*>(device); }
inline keel_plugin_buffer_t* to_handle(Buffer* buffer) { return reinterpret_cast<keel_plugin_buffer_t*>(buffer); }
inline keel_plugin_queue_t* to_handle(QueueHandle* queue) { return reinterpret_cast<keel_plugin_queue_t*>(queue); }
inline keel_plugin_event_t* to_handle(EventHandle* event) { return reinterpret_cast<keel_plugin_event_t*>(event); }

inline Device* from_handle(keel_plugin_device_t* device) { return reinterpret_cast<Device*>(device); }
inline Buffer* from_handle(keel_plugin_buffer_t* buffer) { return reinterpret_cast<Buffer*>(buffer); }
inline QueueHandle* from_handle(keel_plugin_queue_t* queue) { return reinterpret_cast<QueueHandle*>(queue); }
inline EventHandle* from_handle(keel_plugin_event_t* event) { return reinterpret_cast<EventHandle*>(event); }

}  // namespace keel::cuda
