// The buffer slots: allocation in either memory space and the synchronous copies. Synchronous copies run on
// the device's own stream and wait for it; they do not order against queued work (the caller's rule: a
// buffer is not touched synchronously while queued work uses it).
#include "runtime/device.h"
#include "runtime/handles.h"
#include "runtime/slots.h"

using keel::cuda::Buffer;
using keel::cuda::Device;
using keel::cuda::fail;
using keel::cuda::from_handle;
using keel::cuda::MemorySpace;
using keel::cuda::to_handle;

namespace {

CUdeviceptr host_address(const void* pointer) { return reinterpret_cast<CUdeviceptr>(pointer); }

}  // namespace

extern "C" keel_status_t keel_cuda_buffer_allocate(keel_plugin_device_t* handle,
                                                   const keel_buffer_allocate_args_t* args,
                                                   keel_plugin_buffer_t** out_buffer, void** out_host_ptr) {
  Device& device = *from_handle(handle);
  return device.host().guard("buffer_allocate", [&] {
    if (out_buffer == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "out_buffer is NULL");
    *out_buffer = nullptr;
    if (out_host_ptr != nullptr) *out_host_ptr = nullptr;
    // Fields an older (smaller) args struct lacks keep their defaults: space 0, no flags, size 0, alignment 0.
    using A = keel_buffer_allocate_args_t;
    const size_t size = args == nullptr ? 0 : args->struct_size;
    const uint32_t space = KEEL_STRUCT_HAS(size, A, memory_space) ? args->memory_space : 0;
    const uint32_t flags = KEEL_STRUCT_HAS(size, A, flags) ? args->flags : 0;
    const uint64_t bytes = KEEL_STRUCT_HAS(size, A, size) ? args->size : 0;
    const uint64_t alignment = KEEL_STRUCT_HAS(size, A, alignment) ? args->alignment : 0;
    MemorySpace& memory = device.memory_space(space);
    if ((flags & ~KEEL_ALLOCATE_ZERO_INIT) != 0) fail(KEEL_STATUS_INVALID_ARGUMENT, "unknown flags ", flags);
    Buffer* buffer = Buffer::allocate(device, memory, bytes, alignment, (flags & KEEL_ALLOCATE_ZERO_INIT) != 0);
    *out_buffer = to_handle(buffer);
    if (out_host_ptr != nullptr) *out_host_ptr = buffer->host_pointer();
  });
}

extern "C" void keel_cuda_buffer_release(keel_plugin_buffer_t* handle) { delete from_handle(handle); }

extern "C" keel_status_t keel_cuda_buffer_write(keel_plugin_buffer_t* handle, uint64_t offset, const void* src,
                                                uint64_t size) {
  const Buffer& buffer = *from_handle(handle);
  return buffer.device().host().guard("buffer_write", [&] {
    buffer.check_range(offset, size, "range");
    if (size != 0 && src == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "src is NULL");
    buffer.device().copy_sync(buffer.address() + offset, host_address(src), size);
  });
}

extern "C" keel_status_t keel_cuda_buffer_read(keel_plugin_buffer_t* handle, uint64_t offset, void* dst,
                                               uint64_t size) {
  const Buffer& buffer = *from_handle(handle);
  return buffer.device().host().guard("buffer_read", [&] {
    buffer.check_range(offset, size, "range");
    if (size != 0 && dst == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "dst is NULL");
    buffer.device().copy_sync(host_address(dst), buffer.address() + offset, size);
  });
}

extern "C" keel_status_t keel_cuda_buffer_copy(keel_plugin_buffer_t* src, uint64_t src_offset,
                                               keel_plugin_buffer_t* dst, uint64_t dst_offset, uint64_t size) {
  const Buffer& source = *from_handle(src);
  const Buffer& destination = *from_handle(dst);
  return destination.device().host().guard("buffer_copy", [&] {
    source.check_range(src_offset, size, "source range");
    destination.check_range(dst_offset, size, "destination range");
    const CUdeviceptr from = source.address() + src_offset;
    const CUdeviceptr to = destination.address() + dst_offset;
    if (from < to + size && to < from + size && size != 0) {
      // Overlapping ranges of one buffer: memmove semantics through a staging block.
      Device& device = destination.device();
      const keel::cuda::ContextScope scope(device);
      auto& allocator = device.device_memory().allocator();
      const auto block = allocator.allocate(size);
      try {
        device.copy_sync(block.address, from, size);
        device.copy_sync(to, block.address, size);
      } catch (...) {
        allocator.release(block);
        throw;
      }
      allocator.release(block);
      return;
    }
    destination.device().copy_sync(to, from, size);
  });
}
