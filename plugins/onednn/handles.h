// The ABI's opaque handles are pointers to this plugin's own classes; the host only passes back handles the
// plugin gave out, so the conversions are plain round trips.
#pragma once

#include "keel/keel_plugin.h"

namespace keel::onednn {

class Device;
class Buffer;
class Queue;
class Event;

inline keel_plugin_device_t* to_handle(Device* device) { return reinterpret_cast<keel_plugin_device_t*>(device); }
inline keel_plugin_buffer_t* to_handle(Buffer* buffer) { return reinterpret_cast<keel_plugin_buffer_t*>(buffer); }
inline keel_plugin_queue_t* to_handle(Queue* queue) { return reinterpret_cast<keel_plugin_queue_t*>(queue); }
inline keel_plugin_event_t* to_handle(Event* event) { return reinterpret_cast<keel_plugin_event_t*>(event); }

inline Device* from_handle(keel_plugin_device_t* device) { return reinterpret_cast<Device*>(device); }
inline Buffer* from_handle(keel_plugin_buffer_t* buffer) { return reinterpret_cast<Buffer*>(buffer); }
inline Queue* from_handle(keel_plugin_queue_t* queue) { return reinterpret_cast<Queue*>(queue); }
inline Event* from_handle(keel_plugin_event_t* event) { return reinterpret_cast<Event*>(event); }

}  // namespace keel::onednn
