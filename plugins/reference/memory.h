// Memory: the one memory space of the reference device and the buffers allocated in it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>

#include "keel/keel_plugin.h"

namespace keel::reference {

class Device;

// Bookkeeping of a memory space. Thread-safe: buffers are allocated and released from any thread.
class MemorySpace {
 public:
  // Every allocation is aligned to at least this many bytes (a cache line).
  static constexpr uint64_t kMinAlignment = 64;

  // `capacity_bytes` 0 means unknown: no limit beyond what the system allocator refuses.
  explicit MemorySpace(uint64_t capacity_bytes) : capacity_(capacity_bytes) {}

  uint64_t capacity() const { return capacity_; }
  void properties(keel_memory_space_properties_t& inout) const;

  // Counts `size` bytes as in use; RESOURCE_EXHAUSTED when they would exceed the capacity.
  void reserve(uint64_t size);
  // Undoes reserve(), when the allocation failed or the buffer is released.
  void unreserve(uint64_t size);

  void stats(keel_memory_stats_t& inout) const;
  void reset_peak();

 private:
  const uint64_t capacity_;
  mutable std::mutex mutex_;
  uint64_t bytes_in_use_ = 0;
  uint64_t peak_bytes_in_use_ = 0;
  uint64_t allocation_count_ = 0;
};

// A range of host memory. Owned buffers come from buffer_allocate and count towards their memory space;
// imported ones wrap caller memory (buffer_import_host): they belong to no space, are not counted in its
// statistics and are never freed here.
class Buffer {
 public:
  // RESOURCE_EXHAUSTED when the size does not fit or the system refuses it; INVALID_ARGUMENT for an alignment
  // that is not a power of two. Size 0 still gives a distinct buffer with a distinct address.
  static Buffer* allocate(Device& device, MemorySpace& space, uint64_t size, uint64_t alignment, bool zero_init);
  static Buffer* import_host(Device& device, void* host_memory, uint64_t size);
  ~Buffer();

  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  Device& device() const { return device_; }
  std::byte* data() const { return data_; }
  uint64_t size() const { return size_; }

  // OUT_OF_RANGE unless [offset, offset + size) lies inside the buffer. `what` names the caller's argument.
  void check_range(uint64_t offset, uint64_t size, const char* what) const;

  // The argument checks of write/read/fill on their own, for queues that validate before they run work.
  void check_transfer(uint64_t offset, uint64_t size, const void* host, const char* host_name) const;
  void check_fill(uint64_t offset, uint64_t size, const void* pattern, uint32_t pattern_size) const;

  void write(uint64_t offset, const void* src, uint64_t size);
  void read(uint64_t offset, void* dst, uint64_t size) const;
  // Fills `size` bytes (a multiple of pattern_size; 1, 2, 4 or 8) with the repeated pattern.
  void fill(uint64_t offset, uint64_t size, const void* pattern, uint32_t pattern_size);
  // Overlapping ranges of one buffer are allowed (memmove semantics).
  static void copy(const Buffer& src, uint64_t src_offset, Buffer& dst, uint64_t dst_offset, uint64_t size);

 private:
  Buffer(Device& device, MemorySpace* space, std::byte* data, uint64_t size)
      : device_(device), space_(space), data_(data), size_(size) {}

  Device& device_;
  MemorySpace* space_;  // the space that owns data_, or NULL for imported memory
  std::byte* data_;
  uint64_t size_;
};

}  // namespace keel::reference
