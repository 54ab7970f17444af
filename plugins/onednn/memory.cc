#include "memory.h"

#include <cstdlib>
#include <cstring>

#include "device.h"
#include "error.h"
#include "handles.h"
#include "parallel.h"
#include "slots.h"

namespace keel::onednn {

void MemorySpace::properties(keel_memory_space_properties_t& inout) const {
  using P = keel_memory_space_properties_t;
  const size_t size = inout.struct_size;
  if (KEEL_STRUCT_HAS(size, P, name)) inout.name = "host";
  if (KEEL_STRUCT_HAS(size, P, kind)) inout.kind = KEEL_MEMORY_KIND_UNIFIED;
  if (KEEL_STRUCT_HAS(size, P, host_accessible)) inout.host_accessible = 1;
  if (KEEL_STRUCT_HAS(size, P, capacity_bytes)) inout.capacity_bytes = capacity_;
  if (KEEL_STRUCT_HAS(size, P, min_alignment)) inout.min_alignment = kMinAlignment;
}

void MemorySpace::reserve(uint64_t size) {
  const std::lock_guard lock(mutex_);
  if (capacity_ != 0 && size > capacity_ - in_use_) {
    fail(KEEL_STATUS_RESOURCE_EXHAUSTED, "cannot allocate ", size, " bytes: the host memory space has ",
         capacity_ - in_use_, " of its ", capacity_, " bytes free");
  }
  in_use_ += size;
  count_ += 1;
  if (in_use_ > peak_) peak_ = in_use_;
}

void MemorySpace::unreserve(uint64_t size) {
  const std::lock_guard lock(mutex_);
  in_use_ -= size;
  count_ -= 1;
}

void MemorySpace::stats(keel_memory_stats_t& inout) const {
  using S = keel_memory_stats_t;
  const size_t size = inout.struct_size;
  const std::lock_guard lock(mutex_);
  if (KEEL_STRUCT_HAS(size, S, bytes_in_use)) inout.bytes_in_use = in_use_;
  if (KEEL_STRUCT_HAS(size, S, bytes_limit)) inout.bytes_limit = capacity_;
  if (KEEL_STRUCT_HAS(size, S, peak_bytes_in_use)) inout.peak_bytes_in_use = peak_;
  if (KEEL_STRUCT_HAS(size, S, allocation_count)) inout.allocation_count = count_;
}

void MemorySpace::reset_peak() {
  const std::lock_guard lock(mutex_);
  peak_ = in_use_;
}

Buffer* Buffer::allocate(Device& device, MemorySpace& space, uint64_t size, uint64_t alignment, bool zero_init) {
  if ((alignment & (alignment - 1)) != 0) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "alignment ", alignment, " is not a power of two");
  }
  if (alignment < MemorySpace::kMinAlignment) alignment = MemorySpace::kMinAlignment;
  space.reserve(size);  // RESOURCE_EXHAUSTED for sizes beyond the capacity, before asking the system
  void* memory = nullptr;
  const uint64_t bytes = size == 0 ? 1 : size;  // a distinct address even for 0 bytes
  if (bytes > SIZE_MAX || posix_memalign(&memory, static_cast<size_t>(alignment), static_cast<size_t>(bytes)) != 0) {
    space.unreserve(size);
    fail(KEEL_STATUS_RESOURCE_EXHAUSTED, "cannot allocate ", size, " bytes aligned to ", alignment,
         ": the system allocator refused");
  }
  if (zero_init) parallel_memset(memory, 0, static_cast<size_t>(bytes));
  try {
    return new Buffer(device, &space, static_cast<std::byte*>(memory), size);
  } catch (...) {
    std::free(memory);
    space.unreserve(size);
    throw;
  }
}

Buffer* Buffer::import_host(Device& device, void* memory, uint64_t size) {
  if (memory == nullptr && size != 0) fail(KEEL_STATUS_INVALID_ARGUMENT, "host_ptr is NULL");
  return new Buffer(device, nullptr, static_cast<std::byte*>(memory), size);
}

Buffer::~Buffer() {
  if (space_ == nullptr) return;
  std::free(data_);
  space_->unreserve(size_);
}

void Buffer::check_range(uint64_t offset, uint64_t size, const char* what) const {
  if (offset > size_ || size > size_ - offset) {
    fail(KEEL_STATUS_OUT_OF_RANGE, what, " [", offset, ", ", offset, " + ", size, ") lies outside the buffer of ",
         size_, " bytes");
  }
}

void Buffer::check_transfer(uint64_t offset, uint64_t size, const void* host, const char* host_name) const {
  check_range(offset, size, "range");
  if (size != 0 && host == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, host_name, " is NULL");
}

void Buffer::check_fill(uint64_t offset, uint64_t size, const void* pattern, uint32_t pattern_size) const {
  if (pattern_size != 1 && pattern_size != 2 && pattern_size != 4 && pattern_size != 8) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "pattern_size ", pattern_size, " is not 1, 2, 4 or 8");
  }
  if (size % pattern_size != 0) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "size ", size, " is not a multiple of pattern_size ", pattern_size);
  }
  check_range(offset, size, "range");
  if (pattern == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "pattern is NULL");
}

void Buffer::write(uint64_t offset, const void* src, uint64_t size) {
  check_transfer(offset, size, src, "src");
  if (size != 0) parallel_memcpy(data_ + offset, src, static_cast<size_t>(size));
}

void Buffer::read(uint64_t offset, void* dst, uint64_t size) const {
  check_transfer(offset, size, dst, "dst");
  if (size != 0) parallel_memcpy(dst, data_ + offset, static_cast<size_t>(size));
}

void Buffer::fill(uint64_t offset, uint64_t size, const void* pattern, uint32_t pattern_size) {
  check_fill(offset, size, pattern, pattern_size);
  parallel_pattern_fill(data_ + offset, static_cast<size_t>(size), pattern, pattern_size);
}

void Buffer::copy(const Buffer& src, uint64_t src_offset, Buffer& dst, uint64_t dst_offset, uint64_t size) {
  src.check_range(src_offset, size, "source range");
  dst.check_range(dst_offset, size, "destination range");
  if (size == 0) return;
  std::byte* to = dst.data_ + dst_offset;
  const std::byte* from = src.data_ + src_offset;
  // Overlapping ranges keep memmove semantics; disjoint ones are split over the threads.
  if (to < from + size && from < to + size) {
    std::memmove(to, from, static_cast<size_t>(size));
  } else {
    parallel_memcpy(to, from, static_cast<size_t>(size));
  }
}

}  // namespace keel::onednn

using keel::onednn::Buffer;
using keel::onednn::Device;
using keel::onednn::fail;
using keel::onednn::from_handle;
using keel::onednn::MemorySpace;
using keel::onednn::to_handle;

extern "C" keel_status_t onednn_buffer_allocate(keel_plugin_device_t* handle, const keel_buffer_allocate_args_t* args,
                                                keel_plugin_buffer_t** out_buffer, void** out_host_ptr) {
  Device& device = *from_handle(handle);
  return device.host().guard("buffer_allocate", [&] {
    if (out_buffer == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "out_buffer is NULL");
    *out_buffer = nullptr;
    if (out_host_ptr != nullptr) *out_host_ptr = nullptr;
    // An older, smaller args struct leaves the newer fields at their defaults (space 0, no flags, 0 bytes).
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
    if (out_host_ptr != nullptr) *out_host_ptr = buffer->data();
  });
}

extern "C" void onednn_buffer_release(keel_plugin_buffer_t* handle) { delete from_handle(handle); }

extern "C" keel_status_t onednn_buffer_write(keel_plugin_buffer_t* handle, uint64_t offset, const void* src,
                                             uint64_t size) {
  Buffer& buffer = *from_handle(handle);
  return buffer.device().host().guard("buffer_write", [&] { buffer.write(offset, src, size); });
}

extern "C" keel_status_t onednn_buffer_read(keel_plugin_buffer_t* handle, uint64_t offset, void* dst, uint64_t size) {
  const Buffer& buffer = *from_handle(handle);
  return buffer.device().host().guard("buffer_read", [&] { buffer.read(offset, dst, size); });
}

extern "C" keel_status_t onednn_buffer_copy(keel_plugin_buffer_t* src, uint64_t src_offset, keel_plugin_buffer_t* dst,
                                            uint64_t dst_offset, uint64_t size) {
  Buffer& destination = *from_handle(dst);
  return destination.device().host().guard(
      "buffer_copy", [&] { Buffer::copy(*from_handle(src), src_offset, destination, dst_offset, size); });
}

extern "C" keel_status_t onednn_buffer_import_host(keel_plugin_device_t* handle, void* host_ptr, uint64_t size,
                                                   keel_plugin_buffer_t** out_buffer) {
  Device& device = *from_handle(handle);
  return device.host().guard("buffer_import_host", [&] {
    if (out_buffer == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "out_buffer is NULL");
    *out_buffer = to_handle(Buffer::import_host(device, host_ptr, size));
  });
}
