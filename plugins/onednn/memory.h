// The device's one memory space ("host": the CPU is the device, so it is unified and every buffer has a host
// address) and the buffers allocated in it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>

#include "keel/keel_plugin.h"

namespace keel::onednn {

class Device;

// Capacity and statistics of a memory space. Thread-safe.
class MemorySpace {
 public:
  // Every allocation is aligned to at least this (a cache line, and what oneDNN prefers).
  static constexpr uint64_t kMinAlignment = 64;

  // `capacity_bytes` 0 means unknown: only the system allocator limits allocations.
  explicit MemorySpace(uint64_t capacity_bytes) : capacity_(capacity_bytes) {}

  uint64_t capacity() const { return capacity_; }
  void properties(keel_memory_space_properties_t& inout) const;

  // Counts `size` bytes in use; RESOURCE_EXHAUSTED when that would exceed the capacity.
  void reserve(uint64_t size);
  void unreserve(uint64_t size);

  void stats(keel_memory_stats_t& inout) const;
  void reset_peak();

 private:
  const uint64_t capacity_;
  mutable std::mutex mutex_;
  uint64_t in_use_ = 0;
  uint64_t peak_ = 0;
  uint64_t count_ = 0;
};

// A range of host memory: owned (buffer_allocate, counted in its space) or imported (buffer_import_host:
// caller memory, not counted, never freed here).
class Buffer {
 public:
  // INVALID_ARGUMENT for an alignment that is not a power of two; RESOURCE_EXHAUSTED when the size does not
  // fit. A 0-byte buffer still has its own address.
  static Buffer* allocate(Device& device, MemorySpace& space, uint64_t size, uint64_t alignment, bool zero_init);
  static Buffer* import_host(Device& device, void* memory, uint64_t size);
  ~Buffer();
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  Device& device() const { return device_; }
  std::byte* data() const { return data_; }
  uint64_t size() const { return size_; }

  // OUT_OF_RANGE unless [offset, offset + size) lies inside the buffer; `what` names the range in the message.
  void check_range(uint64_t offset, uint64_t size, const char* what) const;
  void check_transfer(uint64_t offset, uint64_t size, const void* host, const char* host_name) const;
  void check_fill(uint64_t offset, uint64_t size, const void* pattern, uint32_t pattern_size) const;

  // These check their arguments first.
  void write(uint64_t offset, const void* src, uint64_t size);
  void read(uint64_t offset, void* dst, uint64_t size) const;
  void fill(uint64_t offset, uint64_t size, const void* pattern, uint32_t pattern_size);
  // Overlapping ranges of one buffer behave like memmove.
  static void copy(const Buffer& src, uint64_t src_offset, Buffer& dst, uint64_t dst_offset, uint64_t size);

 private:
  Buffer(Device& device, MemorySpace* space, std::byte* data, uint64_t size)
      : device_(device), space_(space), data_(data), size_(size) {}

  Device& device_;
  MemorySpace* space_;  // NULL for imported memory
  std::byte* data_;
  uint64_t size_;
};

}  // namespace keel::onednn
