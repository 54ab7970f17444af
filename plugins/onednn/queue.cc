#include "queue.h"

#include <utility>

#include "device.h"
#include <oneapi/dnnl/dnnl.hpp>
#include "error.h"
#include "handles.h"
#include "memory.h"
#include "slots.h"

namespace keel::onednn {

Queue::Queue(Device& device) : device_(device) {}

Queue::~Queue() = default;

void Queue::signal(Event& event, uint64_t value) {
  if (failure_) {
    event.set_failure(failure_->code, failure_->message);
  } else {
    event.signal(value);
  }
}

void Queue::wait(const Event& event, uint64_t value) {
  Event::WaitResult result = event.wait(value, KEEL_WAIT_INFINITE);
  if (result.failure && !failure_) failure_ = std::move(result.failure);
}

std::optional<Failure> Queue::take_failure() { return std::exchange(failure_, std::nullopt); }

dnnl::stream& Queue::stream() {
  if (!stream_) stream_ = std::make_unique<dnnl::stream>(device_.engine());
  return *stream_;
}

}  // namespace keel::onednn

using keel::onednn::Buffer;
using keel::onednn::Device;
using keel::onednn::Error;
using keel::onednn::fail;
using keel::onednn::Failure;
using keel::onednn::from_handle;
using keel::onednn::Queue;
using keel::onednn::to_handle;

extern "C" keel_status_t onednn_queue_create(keel_plugin_device_t* handle, const keel_queue_create_args_t* args,
                                             keel_plugin_queue_t** out_queue) {
  Device& device = *from_handle(handle);
  return device.host().guard("queue_create", [&] {
    if (out_queue == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "out_queue is NULL");
    (void)args;  // flags are reserved; the priority is a hint a synchronous queue has no use for
    *out_queue = to_handle(new Queue(device));
  });
}

extern "C" void onednn_queue_release(keel_plugin_queue_t* handle) { delete from_handle(handle); }

extern "C" keel_status_t onednn_queue_write(keel_plugin_queue_t* handle, keel_plugin_buffer_t* buffer_handle,
                                            uint64_t offset, const void* src, uint64_t size) {
  Queue& queue = *from_handle(handle);
  return queue.device().host().guard("queue_write", [&] {
    Buffer& buffer = *from_handle(buffer_handle);
    buffer.check_transfer(offset, size, src, "src");
    queue.run([&] { buffer.write(offset, src, size); });
  });
}

extern "C" keel_status_t onednn_queue_read(keel_plugin_queue_t* handle, keel_plugin_buffer_t* buffer_handle,
                                           uint64_t offset, void* dst, uint64_t size) {
  Queue& queue = *from_handle(handle);
  return queue.device().host().guard("queue_read", [&] {
    const Buffer& buffer = *from_handle(buffer_handle);
    buffer.check_transfer(offset, size, dst, "dst");
    queue.run([&] { buffer.read(offset, dst, size); });
  });
}

extern "C" keel_status_t onednn_queue_copy(keel_plugin_queue_t* handle, keel_plugin_buffer_t* src, uint64_t src_offset,
                                           keel_plugin_buffer_t* dst, uint64_t dst_offset, uint64_t size) {
  Queue& queue = *from_handle(handle);
  return queue.device().host().guard("queue_copy", [&] {
    const Buffer& source = *from_handle(src);
    Buffer& destination = *from_handle(dst);
    source.check_range(src_offset, size, "source range");
    destination.check_range(dst_offset, size, "destination range");
    queue.run([&] { Buffer::copy(source, src_offset, destination, dst_offset, size); });
  });
}

extern "C" keel_status_t onednn_queue_fill(keel_plugin_queue_t* handle, keel_plugin_buffer_t* buffer_handle,
                                           uint64_t offset, uint64_t size, const void* pattern,
                                           uint32_t pattern_size) {
  Queue& queue = *from_handle(handle);
  return queue.device().host().guard("queue_fill", [&] {
    Buffer& buffer = *from_handle(buffer_handle);
    buffer.check_fill(offset, size, pattern, pattern_size);
    queue.run([&] { buffer.fill(offset, size, pattern, pattern_size); });
  });
}

extern "C" keel_status_t onednn_queue_host_callback(keel_plugin_queue_t* handle, keel_host_callback_fn callback,
                                                    void* user_data) {
  Queue& queue = *from_handle(handle);
  keel_status_t status = queue.device().host().guard("queue_host_callback", [&] {
    if (callback == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "callback is NULL");
  });
  // Everything enqueued before has finished, and no plugin lock is held here.
  if (status == nullptr) callback(user_data);
  return status;
}

extern "C" keel_status_t onednn_queue_signal(keel_plugin_queue_t* handle, keel_plugin_event_t* event, uint64_t value) {
  Queue& queue = *from_handle(handle);
  return queue.device().host().guard("queue_signal", [&] { queue.signal(*from_handle(event), value); });
}

extern "C" keel_status_t onednn_queue_wait(keel_plugin_queue_t* handle, keel_plugin_event_t* event, uint64_t value) {
  Queue& queue = *from_handle(handle);
  return queue.device().host().guard("queue_wait", [&] { queue.wait(*from_handle(event), value); });
}

extern "C" keel_status_t onednn_queue_synchronize(keel_plugin_queue_t* handle) {
  Queue& queue = *from_handle(handle);
  return queue.device().host().guard("queue_synchronize", [&] {
    if (std::optional<Failure> failure = queue.take_failure()) {
      throw Error::relayed(failure->code, std::move(failure->message));
    }
  });
}
