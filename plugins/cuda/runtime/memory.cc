#include "runtime/memory.h"

#include "runtime/device.h"
#include "runtime/host.h"

namespace keel::cuda {

// ---- CachingAllocator -------------------------------------------------------------------------------------------

uint64_t CachingAllocator::size_class(uint64_t bytes) {
  constexpr uint64_t kSmallStep = 512;
  constexpr uint64_t kSmallLimit = uint64_t{1} << 20;
  if (bytes <= kSmallStep) return kSmallStep;
  if (bytes <= kSmallLimit) return (bytes + kSmallStep - 1) / kSmallStep * kSmallStep;
  uint64_t power = kSmallLimit;
  while (power <= bytes / 2) power *= 2;  // the largest power of two <= bytes
  const uint64_t step = power / 8;
  if (bytes > UINT64_MAX - step) return bytes;  // an impossible size: let the driver refuse it
  return (bytes + step - 1) / step * step;
}

CUresult CachingAllocator::raw_allocate(uint64_t bytes, CUdeviceptr* out) const {
  const Driver& driver = device_.driver();
  if (!pinned_) return driver.cuMemAlloc(out, bytes);
  void* host = nullptr;
  const CUresult result = driver.cuMemHostAlloc(&host, bytes, CU_MEMHOSTALLOC_PORTABLE | CU_MEMHOSTALLOC_DEVICEMAP);
  *out = reinterpret_cast<CUdeviceptr>(host);  // unified addressing: the host address works on the device
  return result;
}

void CachingAllocator::raw_free(CUdeviceptr address) const {
  const Driver& driver = device_.driver();
  // Nothing can be done about a failing free (the context may be lost); the memory is gone either way.
  if (pinned_) {
    (void)driver.cuMemFreeHost(reinterpret_cast<void*>(address));
  } else {
    (void)driver.cuMemFree(address);
  }
}

CachingAllocator::Block CachingAllocator::allocate(uint64_t bytes) {
  const uint64_t size = size_class(bytes);
  {
    const std::lock_guard lock(mutex_);
    if (auto bin = bins_.find(size); bin != bins_.end() && !bin->second.empty()) {
      const CUdeviceptr address = bin->second.back();
      bin->second.pop_back();
      cached_bytes_ -= size;
      return {address, size};
    }
  }
  CUdeviceptr address = 0;
  CUresult result = raw_allocate(size, &address);
  if (result == CUDA_ERROR_OUT_OF_MEMORY) {
    uint64_t released = 0;
    {
      const std::lock_guard lock(mutex_);
      released = cached_bytes_;
      trim_locked();
    }
    result = raw_allocate(size, &address);
    if (result == CUDA_ERROR_OUT_OF_MEMORY) {
      fail(KEEL_STATUS_RESOURCE_EXHAUSTED, device_.label(), ": cannot allocate ", bytes, " bytes of ", name_,
           " memory (", device_.driver().describe(result), "; ", released,
           " cached bytes were released first and the retry failed too)");
    }
  }
  device_.check(result, pinned_ ? "cuMemHostAlloc" : "cuMemAlloc");
  return {address, size};
}

void CachingAllocator::release(Block block) {
  const std::lock_guard lock(mutex_);
  bins_[block.size].push_back(block.address);
  cached_bytes_ += block.size;
}

void CachingAllocator::trim() {
  const std::lock_guard lock(mutex_);
  trim_locked();
}

void CachingAllocator::trim_locked() {
  for (auto& [size, addresses] : bins_) {
    for (const CUdeviceptr address : addresses) raw_free(address);
  }
  bins_.clear();
  cached_bytes_ = 0;
}

uint64_t CachingAllocator::cached_bytes() const {
  const std::lock_guard lock(mutex_);
  return cached_bytes_;
}

CachingAllocator::~CachingAllocator() { trim_locked(); }

// ---- MemorySpace ------------------------------------------------------------------------------------------------

MemorySpace::MemorySpace(const Device& device, keel_memory_kind_t kind, const char* name, uint64_t capacity,
                         uint64_t min_alignment)
    : kind_(kind),
      name_(name),
      capacity_(capacity),
      min_alignment_(min_alignment),
      allocator_(device, kind != KEEL_MEMORY_KIND_DEVICE, name) {}

void MemorySpace::properties(keel_memory_space_properties_t& inout) const {
  using P = keel_memory_space_properties_t;
  const size_t size = inout.struct_size;
  if (KEEL_STRUCT_HAS(size, P, name)) inout.name = name_;
  if (KEEL_STRUCT_HAS(size, P, kind)) inout.kind = kind_;
  if (KEEL_STRUCT_HAS(size, P, host_accessible)) inout.host_accessible = host_accessible() ? 1 : 0;
  if (KEEL_STRUCT_HAS(size, P, capacity_bytes)) inout.capacity_bytes = capacity_;
  if (KEEL_STRUCT_HAS(size, P, min_alignment)) inout.min_alignment = min_alignment_;
}

void MemorySpace::stats(keel_memory_stats_t& inout) const {
  using S = keel_memory_stats_t;
  const size_t size = inout.struct_size;
  const std::lock_guard lock(mutex_);
  if (KEEL_STRUCT_HAS(size, S, bytes_in_use)) inout.bytes_in_use = bytes_in_use_;
  if (KEEL_STRUCT_HAS(size, S, bytes_limit)) inout.bytes_limit = capacity_;
  if (KEEL_STRUCT_HAS(size, S, peak_bytes_in_use)) inout.peak_bytes_in_use = peak_bytes_in_use_;
  if (KEEL_STRUCT_HAS(size, S, allocation_count)) inout.allocation_count = allocation_count_;
}

void MemorySpace::reset_peak() {
  const std::lock_guard lock(mutex_);
  peak_bytes_in_use_ = bytes_in_use_;
}

void MemorySpace::count(uint64_t bytes) {
  const std::lock_guard lock(mutex_);
  bytes_in_use_ += bytes;
  allocation_count_ += 1;
  if (bytes_in_use_ > peak_bytes_in_use_) peak_bytes_in_use_ = bytes_in_use_;
}

void MemorySpace::uncount(uint64_t bytes) {
  const std::lock_guard lock(mutex_);
  bytes_in_use_ -= bytes;
  allocation_count_ -= 1;
}

// ---- Buffer -----------------------------------------------------------------------------------------------------

Buffer* Buffer::allocate(Device& device, MemorySpace& space, uint64_t size, uint64_t alignment, bool zero) {
  if (alignment == 0) alignment = space.min_alignment();
  if ((alignment & (alignment - 1)) != 0) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "alignment ", alignment, " is not a power of two");
  }
  // Blocks start at the space's minimum alignment; a larger one is reached by allocating more and skipping.
  const uint64_t extra = alignment > space.min_alignment() ? alignment - space.min_alignment() : 0;
  if (size > UINT64_MAX - extra - 1) {
    fail(KEEL_STATUS_RESOURCE_EXHAUSTED, device.label(), ": cannot allocate ", size, " bytes of ", space.name(),
         " memory");
  }
  const ContextScope scope(device);
  device.check_alive();
  const CachingAllocator::Block block = space.allocator().allocate(size + extra == 0 ? 1 : size + extra);
  const CUdeviceptr address = (block.address + alignment - 1) / alignment * alignment;
  try {
    if (zero && size != 0) device.zero_sync(address, size);
    auto* buffer = new Buffer(device, space, block, address, size);
    space.count(size);
    return buffer;
  } catch (...) {
    space.allocator().release(block);
    throw;
  }
}

Buffer::~Buffer() {
  space_.uncount(size_);
  space_.allocator().release(block_);
}

void* Buffer::host_pointer() const {
  return space_.host_accessible() ? reinterpret_cast<void*>(address_) : nullptr;
}

void Buffer::check_range(uint64_t offset, uint64_t size, const char* what) const {
  if (offset > size_ || size > size_ - offset) {
    fail(KEEL_STATUS_OUT_OF_RANGE, what, " [", offset, ", ", offset, " + ", size, ") lies outside the buffer of ",
         size_, " bytes");
  }
}

}  // namespace keel::cuda
