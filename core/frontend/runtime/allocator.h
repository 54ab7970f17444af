// A caching allocator for one device: freed buffers go to size-class free lists and serve later allocations
// of the same class without reaching the plugin. The lists are emptied when the device's last storage goes,
// on empty_cache(), and before an allocation that failed with RESOURCE_EXHAUSTED is retried.
#pragma once

#include <cstdint>
#include <mutex>
#include <vector>

#include "keel/keel_runtime.h"

namespace keel::detail {

class CachingAllocator {
 public:
  // `queue` is synchronized before buffers go back to the plugin (queued work may still read them).
  CachingAllocator(keel_device_t* device, keel_queue_t* queue) : device_(device), queue_(queue) {}
  ~CachingAllocator();
  CachingAllocator(const CachingAllocator&) = delete;
  CachingAllocator& operator=(const CachingAllocator&) = delete;

  struct Block {
    keel_buffer_t* buffer = nullptr;
    uint32_t size_class = 0;
  };
  // A buffer of at least `bytes` bytes (its class size). Throws keel::Error when the plugin cannot allocate
  // even after the cache was emptied.
  Block allocate(uint64_t bytes);
  // Returns a block to its free list; empties the lists when no block is live any more.
  void release(const Block& block);
  // Returns every cached buffer to the plugin.
  void empty();

  struct Stats {
    uint64_t cached_bytes, live_bytes, hits, misses;
  };
  Stats stats() const;

  // The size class of `bytes` and the bytes a block of class `size_class` holds.
  static uint32_t class_of(uint64_t bytes);
  static uint64_t class_bytes(uint32_t size_class);

 private:
  void empty_locked();

  keel_device_t* device_;
  keel_queue_t* queue_;
  mutable std::mutex mutex_;
  std::vector<std::vector<keel_buffer_t*>> free_;  // by size class
  uint64_t live_blocks_ = 0;
  uint64_t live_bytes_ = 0;
  uint64_t cached_bytes_ = 0;
  uint64_t hits_ = 0;
  uint64_t misses_ = 0;
};

}  // namespace keel::detail
