// The queue slots: creation, release, queue-ordered copies and fills, callbacks, signals, waits and
// synchronize. Arguments are checked when the call is made; the copies and fills themselves are stream work.
#include <cstring>

#include "runtime/handles.h"
#include "runtime/queue.h"
#include "runtime/slots.h"

namespace keel::cuda {
namespace {

// Sets `size` bytes at `at` (any alignment) to the repeated pattern, with the fastest primitive that fits.
void fill(Launch& launch, CUdeviceptr at, uint64_t size, uint64_t pattern, uint32_t pattern_size) {
  const Driver& cu = launch.device().driver();
  const bool aligned = at % pattern_size == 0;
  if (pattern_size == 1) {
    launch.check(cu.cuMemsetD8Async(at, static_cast<unsigned char>(pattern), size, launch.stream()), "cuMemsetD8Async");
  } else if (pattern_size == 2 && aligned) {
    launch.check(cu.cuMemsetD16Async(at, static_cast<unsigned short>(pattern), size / 2, launch.stream()),
                 "cuMemsetD16Async");
  } else if (pattern_size == 4 && aligned) {
    launch.check(cu.cuMemsetD32Async(at, static_cast<unsigned int>(pattern), size / 4, launch.stream()),
                 "cuMemsetD32Async");
  } else if (pattern_size == 8 && aligned) {
    gpu::MapArgs args;
    args.rank = 1;
    args.count = static_cast<int64_t>(size / 8);
    args.dims[0] = args.count;
    args.out.base = at;
    args.out.strides[0] = 8;
    launch.check(gpu::launch_fill(8, pattern, args, launch.stream()), "fill kernel");
  } else {
    launch.check(gpu::launch_fill_bytes(at, size, pattern, pattern_size, launch.stream()), "fill kernel");
  }
}

void check_transfer(const Buffer& buffer, uint64_t offset, uint64_t size, const void* host, const char* host_name) {
  buffer.check_range(offset, size, "range");
  if (size != 0 && host == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, host_name, " is NULL");
}

}  // namespace
}  // namespace keel::cuda

using keel::cuda::Buffer;
using keel::cuda::Device;
using keel::cuda::Driver;
using keel::cuda::fail;
using keel::cuda::from_handle;
using keel::cuda::Launch;
using keel::cuda::Queue;
using keel::cuda::QueueHandle;
using keel::cuda::to_handle;

extern "C" keel_status_t keel_cuda_queue_create(keel_plugin_device_t* handle, const keel_queue_create_args_t* args,
                                                keel_plugin_queue_t** out_queue) {
  Device& device = *from_handle(handle);
  return device.host().guard("queue_create", [&] {
    if (out_queue == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "out_queue is NULL");
    *out_queue = nullptr;
    const size_t size = args == nullptr ? 0 : args->struct_size;
    const int32_t priority = KEEL_STRUCT_HAS(size, keel_queue_create_args_t, priority) ? args->priority : 0;
    *out_queue = to_handle(new QueueHandle{Queue::create(device, priority)});
  });
}

extern "C" void keel_cuda_queue_release(keel_plugin_queue_t* handle) {
  QueueHandle* queue = from_handle(handle);
  queue->queue->close();
  delete queue;
}

extern "C" keel_status_t keel_cuda_queue_write(keel_plugin_queue_t* handle, keel_plugin_buffer_t* buffer_handle,
                                               uint64_t offset, const void* src, uint64_t size) {
  Queue& queue = *from_handle(handle)->queue;
  return queue.device().host().guard("queue_write", [&] {
    const Buffer& buffer = *from_handle(buffer_handle);
    keel::cuda::check_transfer(buffer, offset, size, src, "src");
    if (size == 0) return;
    const CUdeviceptr dst = buffer.address() + offset;
    queue.enqueue([=](Launch& launch) { launch.copy_from_host(dst, src, size); }, "queue_write");
  });
}

extern "C" keel_status_t keel_cuda_queue_read(keel_plugin_queue_t* handle, keel_plugin_buffer_t* buffer_handle,
                                              uint64_t offset, void* dst, uint64_t size) {
  Queue& queue = *from_handle(handle)->queue;
  return queue.device().host().guard("queue_read", [&] {
    const Buffer& buffer = *from_handle(buffer_handle);
    keel::cuda::check_transfer(buffer, offset, size, dst, "dst");
    if (size == 0) return;
    const CUdeviceptr src = buffer.address() + offset;
    queue.enqueue([=](Launch& launch) { launch.copy_to_host(dst, src, size); }, "queue_read");
  });
}

extern "C" keel_status_t keel_cuda_queue_copy(keel_plugin_queue_t* handle, keel_plugin_buffer_t* src,
                                              uint64_t src_offset, keel_plugin_buffer_t* dst, uint64_t dst_offset,
                                              uint64_t size) {
  Queue& queue = *from_handle(handle)->queue;
  return queue.device().host().guard("queue_copy", [&] {
    const Buffer& source = *from_handle(src);
    const Buffer& destination = *from_handle(dst);
    source.check_range(src_offset, size, "source range");
    destination.check_range(dst_offset, size, "destination range");
    if (size == 0) return;
    const CUdeviceptr from = source.address() + src_offset;
    const CUdeviceptr to = destination.address() + dst_offset;
    const bool overlap = from < to + size && to < from + size;
    queue.enqueue(
        [=](Launch& launch) {
          const Driver& cu = launch.device().driver();
          if (overlap) {  // memmove semantics through scratch memory
            const CUdeviceptr scratch = launch.scratch(size);
            launch.check(cu.cuMemcpyAsync(scratch, from, size, launch.stream()), "cuMemcpyAsync");
            launch.check(cu.cuMemcpyAsync(to, scratch, size, launch.stream()), "cuMemcpyAsync");
          } else {
            launch.check(cu.cuMemcpyAsync(to, from, size, launch.stream()), "cuMemcpyAsync");
          }
        },
        "queue_copy");
  });
}

extern "C" keel_status_t keel_cuda_queue_fill(keel_plugin_queue_t* handle, keel_plugin_buffer_t* buffer_handle,
                                              uint64_t offset, uint64_t size, const void* pattern,
                                              uint32_t pattern_size) {
  Queue& queue = *from_handle(handle)->queue;
  return queue.device().host().guard("queue_fill", [&] {
    const Buffer& buffer = *from_handle(buffer_handle);
    if (pattern_size != 1 && pattern_size != 2 && pattern_size != 4 && pattern_size != 8) {
      fail(KEEL_STATUS_INVALID_ARGUMENT, "pattern_size ", pattern_size, " is not 1, 2, 4 or 8");
    }
    if (size % pattern_size != 0) {
      fail(KEEL_STATUS_INVALID_ARGUMENT, "size ", size, " is not a multiple of pattern_size ", pattern_size);
    }
    buffer.check_range(offset, size, "range");
    if (pattern == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "pattern is NULL");
    if (size == 0) return;
    uint64_t bits = 0;  // the pattern is copied now: the caller's memory may change after the call
    std::memcpy(&bits, pattern, pattern_size);
    const CUdeviceptr at = buffer.address() + offset;
    queue.enqueue([=](Launch& launch) { keel::cuda::fill(launch, at, size, bits, pattern_size); }, "queue_fill");
  });
}

extern "C" keel_status_t keel_cuda_queue_host_callback(keel_plugin_queue_t* handle, keel_host_callback_fn callback,
                                                       void* user_data) {
  Queue& queue = *from_handle(handle)->queue;
  return queue.device().host().guard("queue_host_callback", [&] {
    if (callback == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "callback is NULL");
    queue.host_callback(callback, user_data);
  });
}

extern "C" keel_status_t keel_cuda_queue_signal(keel_plugin_queue_t* handle, keel_plugin_event_t* event,
                                                uint64_t value) {
  Queue& queue = *from_handle(handle)->queue;
  return queue.device().host().guard("queue_signal", [&] { queue.signal(from_handle(event)->event, value); });
}

extern "C" keel_status_t keel_cuda_queue_wait(keel_plugin_queue_t* handle, keel_plugin_event_t* event, uint64_t value) {
  Queue& queue = *from_handle(handle)->queue;
  return queue.device().host().guard("queue_wait", [&] { queue.wait(from_handle(event)->event, value); });
}

extern "C" keel_status_t keel_cuda_queue_synchronize(keel_plugin_queue_t* handle) {
  Queue& queue = *from_handle(handle)->queue;
  return queue.device().host().guard("queue_synchronize", [&] { queue.synchronize(); });
}
