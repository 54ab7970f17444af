// Refcounted device memory behind tensors: a block of a device's caching allocator. Views share a storage;
// its version counts in-place updates (autograd checks it for tensors saved for backward).
#pragma once

#include <atomic>
#include <cstdint>

#include "runtime/allocator.h"
#include "runtime/context.h"

namespace keel::detail {

struct Storage {
  std::atomic<int32_t> refs{1};
  DeviceState* device = nullptr;
  CachingAllocator::Block block;
  uint64_t bytes = 0;  // requested size
  std::atomic<uint64_t> version{0};

  keel_buffer_t* buffer() const { return block.buffer; }
};

// A storage of at least `bytes` bytes on `device` (one reference for the caller).
Storage* new_storage(DeviceState& device, uint64_t bytes);
inline void retain(Storage* storage) { storage->refs.fetch_add(1, std::memory_order_relaxed); }
void release(Storage* storage) noexcept;

}  // namespace keel::detail
