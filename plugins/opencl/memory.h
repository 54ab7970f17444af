// Memory: the device memory space of an OpenCL device and the buffers (cl_mem) allocated in it.
#pragma once

#include <CL/cl.h>

#include <cstdint>
#include <mutex>

#include "cl/handle.h"
#include "keel/keel_plugin.h"

namespace keel::opencl {

class Device;

// Bookkeeping of a memory space. Thread-safe: buffers are allocated and released from any thread.
class MemorySpace {
 public:
  // `capacity` is the device's global memory; `largest` its largest single allocation.
  MemorySpace(uint64_t capacity, uint64_t largest, uint64_t alignment)
      : capacity_(capacity), largest_(largest), alignment_(alignment) {}

  uint64_t capacity() const { return capacity_; }
  uint64_t alignment() const { return alignment_; }
  void properties(keel_memory_space_properties_t& inout) const;

  // Counts `size` bytes as in use; RESOURCE_EXHAUSTED (with the reason) when the device cannot hold them.
  void reserve(uint64_t size);
  // Undoes reserve(), when the allocation failed or the buffer is released.
  void unreserve(uint64_t size);

  void stats(keel_memory_stats_t& inout) const;
  void reset_peak();

 private:
  const uint64_t capacity_;
  const uint64_t largest_;
  const uint64_t alignment_;
  mutable std::mutex mutex_;
  uint64_t bytes_in_use_ = 0;
  uint64_t peak_bytes_in_use_ = 0;
  uint64_t allocation_count_ = 0;
};

// A cl_mem of the device memory space. A 0-byte buffer has no cl_mem (OpenCL refuses size 0) and is never
// bound to a kernel. The synchronous copies run on the device's transfer queue and are not ordered with
// work on other queues: synchronize a queue before copying what its work produces.
class Buffer {
 public:
  // RESOURCE_EXHAUSTED when the size does not fit or the driver refuses it; INVALID_ARGUMENT for an
  // alignment that is not a power of two.
  static Buffer* allocate(Device& device, uint64_t size, uint64_t alignment, bool zero_init);
  ~Buffer();

  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  Device& device() const { return device_; }
  cl_mem mem() const { return mem_.get(); }
  uint64_t size() const { return size_; }

  // OUT_OF_RANGE unless [offset, offset + size) lies inside the buffer. `what` names the caller's argument.
  void check_range(uint64_t offset, uint64_t size, const char* what) const;

  void write(uint64_t offset, const void* src, uint64_t size);
  void read(uint64_t offset, void* dst, uint64_t size) const;
  // Overlapping ranges of one buffer are allowed (memmove semantics).
  static void copy(const Buffer& src, uint64_t src_offset, Buffer& dst, uint64_t dst_offset, uint64_t size);

 private:
  Buffer(Device& device, ClRef<cl_mem> mem, uint64_t size) : device_(device), mem_(std::move(mem)), size_(size) {}

  Device& device_;
  ClRef<cl_mem> mem_;
  uint64_t size_;
};

// True when [a, a + size) and [b, b + size) of one buffer overlap.
inline bool ranges_overlap(uint64_t a, uint64_t b, uint64_t size) {
  return size > 0 && (a < b ? b - a < size : a - b < size);
}

}  // namespace keel::opencl
