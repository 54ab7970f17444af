// Memory: the caching allocator behind each memory space, the spaces' statistics, and buffers.
#pragma once

#include <cuda.h>

#include <cstdint>
#include <map>
#include <mutex>
#include <vector>

#include "keel/keel_plugin.h"

namespace keel::cuda {

class Device;

// Allocations of one memory space, rounded up to size classes. Freed blocks stay cached in per-class bins
// for the next allocation of that class; the cache is handed back to the driver when an allocation fails
// (then the allocation is retried once) and at shutdown. Thread-safe. The device's context must be current.
class CachingAllocator {
 public:
  struct Block {
    CUdeviceptr address = 0;
    uint64_t size = 0;  // the size class
  };

  // `pinned`: host-pinned memory (cuMemHostAlloc), else device memory (cuMemAlloc).
  CachingAllocator(const Device& device, bool pinned, const char* name) : device_(device), pinned_(pinned), name_(name) {}
  ~CachingAllocator();  // frees the cache; every block must have been released
  CachingAllocator(const CachingAllocator&) = delete;
  CachingAllocator& operator=(const CachingAllocator&) = delete;

  // A block of at least `bytes`. RESOURCE_EXHAUSTED when the driver has no memory even with the cache freed.
  Block allocate(uint64_t bytes);
  void release(Block block);
  // Frees every cached block.
  void trim();
  uint64_t cached_bytes() const;

  // 512-byte multiples up to 1 MiB, then eight classes per power of two (at most 12.5% waste).
  static uint64_t size_class(uint64_t bytes);

 private:
  CUresult raw_allocate(uint64_t bytes, CUdeviceptr* out) const;
  void raw_free(CUdeviceptr address) const;
  void trim_locked();

  const Device& device_;
  const bool pinned_;
  const char* name_;
  mutable std::mutex mutex_;
  std::map<uint64_t, std::vector<CUdeviceptr>> bins_;
  uint64_t cached_bytes_ = 0;
};

// A memory space: its allocator and the statistics of the buffers allocated in it (scratch and staging
// memory the plugin uses internally come from the same allocator but are not counted as in use).
class MemorySpace {
 public:
  MemorySpace(const Device& device, keel_memory_kind_t kind, const char* name, uint64_t capacity,
              uint64_t min_alignment);

  keel_memory_kind_t kind() const { return kind_; }
  const char* name() const { return name_; }
  bool host_accessible() const { return kind_ != KEEL_MEMORY_KIND_DEVICE; }
  uint64_t min_alignment() const { return min_alignment_; }
  CachingAllocator& allocator() { return allocator_; }

  void properties(keel_memory_space_properties_t& inout) const;
  void stats(keel_memory_stats_t& inout) const;
  void reset_peak();
  void count(uint64_t bytes);
  void uncount(uint64_t bytes);

 private:
  const keel_memory_kind_t kind_;
  const char* name_;
  const uint64_t capacity_;
  const uint64_t min_alignment_;
  CachingAllocator allocator_;
  mutable std::mutex mutex_;
  uint64_t bytes_in_use_ = 0;
  uint64_t peak_bytes_in_use_ = 0;
  uint64_t allocation_count_ = 0;
};

// A buffer of a memory space. Its address is valid on the device (and, for pinned memory, on the host too).
class Buffer {
 public:
  // INVALID_ARGUMENT for an alignment that is not a power of two; RESOURCE_EXHAUSTED when memory runs out.
  // A 0-byte buffer still gets a distinct address. `zero` fills it with zero bytes.
  static Buffer* allocate(Device& device, MemorySpace& space, uint64_t size, uint64_t alignment, bool zero);
  ~Buffer();
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  Device& device() const { return device_; }
  CUdeviceptr address() const { return address_; }
  uint64_t size() const { return size_; }
  void* host_pointer() const;

  // OUT_OF_RANGE unless [offset, offset + size) lies inside the buffer. `what` names the argument.
  void check_range(uint64_t offset, uint64_t size, const char* what) const;

 private:
  Buffer(Device& device, MemorySpace& space, CachingAllocator::Block block, CUdeviceptr address, uint64_t size)
      : device_(device), space_(space), block_(block), address_(address), size_(size) {}

  Device& device_;
  MemorySpace& space_;
  CachingAllocator::Block block_;
  CUdeviceptr address_;
  uint64_t size_;
};

}  // namespace keel::cuda
