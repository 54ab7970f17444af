// The C edges of the queue slots: argument checks at the call, then the work handed to the Queue.
#include <array>
#include <cstring>

#include "cl/error.h"
#include "device.h"
#include "handles.h"
#include "memory.h"
#include "queue.h"
#include "slots.h"

namespace keel::opencl {
namespace {

void check_transfer(const Buffer& buffer, uint64_t offset, uint64_t size, const void* host, const char* host_name) {
  buffer.check_range(offset, size, "range");
  if (size > 0 && host == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, host_name, " is NULL");
}

void check_same_device(const Queue& queue, const Buffer& buffer, const char* what) {
  if (&buffer.device() != &queue.device()) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, what, " belongs to another device than the queue");
  }
}

// Fills [offset, offset + size) with `pattern` repeated from `offset` on. clEnqueueFillBuffer needs the
// offset to be a multiple of the pattern size, so an unaligned range is split: single bytes up to the
// first aligned offset, the pattern rotated to start there for the aligned middle, single bytes after it.
void fill_range(Stream& stream, cl_mem buffer, uint64_t offset, uint64_t size, const std::array<uint8_t, 8>& pattern,
                uint32_t pattern_size) {
  if (offset % pattern_size == 0) {
    stream.fill(buffer, offset, size, pattern.data(), pattern_size);
    return;
  }
  const uint64_t aligned = (offset / pattern_size + 1) * pattern_size;
  const uint64_t head = std::min<uint64_t>(aligned - offset, size);
  for (uint64_t i = 0; i < head; ++i) stream.fill(buffer, offset + i, 1, &pattern[i % pattern_size], 1);
  const uint64_t rest = size - head;
  const uint64_t middle = rest / pattern_size * pattern_size;
  if (middle > 0) {
    std::array<uint8_t, 8> rotated{};
    for (uint32_t i = 0; i < pattern_size; ++i) rotated[i] = pattern[(head + i) % pattern_size];
    stream.fill(buffer, aligned, middle, rotated.data(), pattern_size);
  }
  for (uint64_t i = head + middle; i < size; ++i) stream.fill(buffer, offset + i, 1, &pattern[i % pattern_size], 1);
}

}  // namespace
}  // namespace keel::opencl

using keel::opencl::Buffer;
using keel::opencl::check_same_device;
using keel::opencl::check_transfer;
using keel::opencl::ClRef;
using keel::opencl::Device;
using keel::opencl::Error;
using keel::opencl::fail;
using keel::opencl::Failure;
using keel::opencl::from_handle;
using keel::opencl::Queue;
using keel::opencl::QueueHandle;
using keel::opencl::Stream;
using keel::opencl::to_handle;

extern "C" keel_status_t opencl_queue_create(keel_plugin_device_t* handle, const keel_queue_create_args_t* /*args*/,
                                             keel_plugin_queue_t** out_queue) {
  Device& device = *from_handle(handle);
  return device.host().guard("queue_create", [&] {
    if (out_queue == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "out_queue is NULL");
    // flags are reserved; the priority is a hint OpenCL 1.2 queues cannot take.
    *out_queue = to_handle(new QueueHandle(Queue::create(device)));
  });
}

extern "C" void opencl_queue_release(keel_plugin_queue_t* handle) {
  auto* queue = reinterpret_cast<QueueHandle*>(handle);
  try {
    (*queue)->close();
  } catch (...) {
    // Nothing can be reported from a release; the queue goes away regardless.
  }
  delete queue;
}

extern "C" keel_status_t opencl_queue_write(keel_plugin_queue_t* handle, keel_plugin_buffer_t* buffer_handle,
                                            uint64_t offset, const void* src, uint64_t size) {
  Queue& queue = *from_handle(handle);
  return queue.device().host().guard("queue_write", [&] {
    const Buffer& buffer = *from_handle(buffer_handle);
    check_same_device(queue, buffer, "the buffer");
    check_transfer(buffer, offset, size, src, "src");
    if (size == 0) return;
    queue.submit([mem = ClRef<cl_mem>::retained(buffer.mem()), offset, src, size](Stream& stream) {
      stream.write(mem.get(), offset, size, src);
    });
  });
}

extern "C" keel_status_t opencl_queue_read(keel_plugin_queue_t* handle, keel_plugin_buffer_t* buffer_handle,
                                           uint64_t offset, void* dst, uint64_t size) {
  Queue& queue = *from_handle(handle);
  return queue.device().host().guard("queue_read", [&] {
    const Buffer& buffer = *from_handle(buffer_handle);
    check_same_device(queue, buffer, "the buffer");
    check_transfer(buffer, offset, size, dst, "dst");
    if (size == 0) return;
    queue.submit([mem = ClRef<cl_mem>::retained(buffer.mem()), offset, dst, size](Stream& stream) {
      stream.read(mem.get(), offset, size, dst);
    });
  });
}

extern "C" keel_status_t opencl_queue_copy(keel_plugin_queue_t* handle, keel_plugin_buffer_t* src,
                                           uint64_t src_offset, keel_plugin_buffer_t* dst, uint64_t dst_offset,
                                           uint64_t size) {
  Queue& queue = *from_handle(handle);
  return queue.device().host().guard("queue_copy", [&] {
    const Buffer& source = *from_handle(src);
    const Buffer& destination = *from_handle(dst);
    check_same_device(queue, source, "the source buffer");
    check_same_device(queue, destination, "the destination buffer");
    source.check_range(src_offset, size, "source range");
    destination.check_range(dst_offset, size, "destination range");
    if (size == 0 || (&source == &destination && src_offset == dst_offset)) return;
    ClRef<cl_mem> scratch;
    if (&source == &destination && keel::opencl::ranges_overlap(src_offset, dst_offset, size)) {
      // clEnqueueCopyBuffer refuses overlapping ranges: copy through a scratch buffer (memmove semantics).
      cl_int error = CL_SUCCESS;
      scratch = ClRef<cl_mem>(clCreateBuffer(queue.device().context(), CL_MEM_READ_WRITE, size, nullptr, &error));
      keel::opencl::check(error, "clCreateBuffer (scratch for an overlapping copy)");
    }
    queue.submit([from = ClRef<cl_mem>::retained(source.mem()), to = ClRef<cl_mem>::retained(destination.mem()),
                  scratch, src_offset, dst_offset, size](Stream& stream) {
      if (scratch) {
        stream.copy(from.get(), src_offset, scratch.get(), 0, size);
        stream.copy(scratch.get(), 0, to.get(), dst_offset, size);
      } else {
        stream.copy(from.get(), src_offset, to.get(), dst_offset, size);
      }
    });
  });
}

extern "C" keel_status_t opencl_queue_fill(keel_plugin_queue_t* handle, keel_plugin_buffer_t* buffer_handle,
                                           uint64_t offset, uint64_t size, const void* pattern,
                                           uint32_t pattern_size) {
  Queue& queue = *from_handle(handle);
  return queue.device().host().guard("queue_fill", [&] {
    const Buffer& buffer = *from_handle(buffer_handle);
    check_same_device(queue, buffer, "the buffer");
    buffer.check_range(offset, size, "range");
    if (pattern == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "pattern is NULL");
    if (pattern_size != 1 && pattern_size != 2 && pattern_size != 4 && pattern_size != 8) {
      fail(KEEL_STATUS_INVALID_ARGUMENT, "pattern_size ", pattern_size, " is not 1, 2, 4 or 8");
    }
    if (size % pattern_size != 0) {
      fail(KEEL_STATUS_INVALID_ARGUMENT, "size ", size, " is not a multiple of pattern_size ", pattern_size);
    }
    if (size == 0) return;
    std::array<uint8_t, 8> bytes{};  // the pattern is copied at the call
    std::memcpy(bytes.data(), pattern, pattern_size);
    queue.submit([mem = ClRef<cl_mem>::retained(buffer.mem()), offset, size, bytes, pattern_size](Stream& stream) {
      keel::opencl::fill_range(stream, mem.get(), offset, size, bytes, pattern_size);
    });
  });
}

extern "C" keel_status_t opencl_queue_host_callback(keel_plugin_queue_t* handle, keel_host_callback_fn callback,
                                                    void* user_data) {
  Queue& queue = *from_handle(handle);
  return queue.device().host().guard("queue_host_callback", [&] {
    if (callback == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "callback is NULL");
    queue.host_callback(callback, user_data);
  });
}

extern "C" keel_status_t opencl_queue_signal(keel_plugin_queue_t* handle, keel_plugin_event_t* event,
                                             uint64_t value) {
  Queue& queue = *from_handle(handle);
  return queue.device().host().guard("queue_signal", [&] {
    if (event == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "event is NULL");
    queue.signal(*from_handle(event), value);
  });
}

extern "C" keel_status_t opencl_queue_wait(keel_plugin_queue_t* handle, keel_plugin_event_t* event, uint64_t value) {
  Queue& queue = *from_handle(handle);
  return queue.device().host().guard("queue_wait", [&] {
    if (event == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "event is NULL");
    queue.wait(*from_handle(event), value);
  });
}

extern "C" keel_status_t opencl_queue_synchronize(keel_plugin_queue_t* handle) {
  Queue& queue = *from_handle(handle);
  return queue.device().host().guard("queue_synchronize", [&] {
    if (std::optional<Failure> failure = queue.synchronize()) {
      throw Error::relayed(failure->code, std::move(failure->message));
    }
  });
}
