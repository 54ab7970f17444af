#include "runtime/allocator.h"

#include <bit>
#include <string>

#include "keel/keel.hpp"

namespace keel::detail {
namespace {

constexpr uint64_t kMinBytes = 64;  // class 0
constexpr uint32_t kStepsPerOctave = 4;

}  // namespace

// Classes: 64 bytes, then four per power of two (2^k · {1.25, 1.5, 1.75, 2}), so a block wastes < 25%.
uint32_t CachingAllocator::class_of(uint64_t bytes) {
  if (bytes <= kMinBytes) return 0;
  const uint32_t octave = static_cast<uint32_t>(std::bit_width(bytes - 1)) - 1;  // 2^octave < bytes <= 2^(octave+1)
  const uint64_t base = uint64_t{1} << octave;
  const uint64_t step = base / kStepsPerOctave;
  const uint64_t steps = (bytes - base + step - 1) / step;  // 1..4
  return (octave - 6) * kStepsPerOctave + static_cast<uint32_t>(steps);
}

uint64_t CachingAllocator::class_bytes(uint32_t size_class) {
  if (size_class == 0) return kMinBytes;
  const uint32_t octave = (size_class - 1) / kStepsPerOctave + 6;
  const uint64_t steps = (size_class - 1) % kStepsPerOctave + 1;
  const uint64_t base = uint64_t{1} << octave;
  return base + steps * (base / kStepsPerOctave);
}

CachingAllocator::~CachingAllocator() {
  std::lock_guard<std::mutex> lock(mutex_);
  empty_locked();
}

CachingAllocator::Block CachingAllocator::allocate(uint64_t bytes) {
  const uint32_t size_class = class_of(bytes);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (size_class < free_.size() && !free_[size_class].empty()) {
      keel_buffer_t* buffer = free_[size_class].back();
      free_[size_class].pop_back();
      const uint64_t size = class_bytes(size_class);
      cached_bytes_ -= size;
      live_bytes_ += size;
      ++live_blocks_;
      ++hits_;
      return {buffer, size_class};
    }
  }
  keel_buffer_allocate_args_t args{};
  args.struct_size = sizeof(args);
  args.size = class_bytes(size_class);
  keel_buffer_t* buffer = nullptr;
  keel_status_t status = keel_buffer_allocate(device_, &args, &buffer);
  if (status != nullptr && keel_status_code(status) == KEEL_STATUS_RESOURCE_EXHAUSTED) {
    keel_status_release(status);
    empty();
    status = keel_buffer_allocate(device_, &args, &buffer);
  }
  check(status);
  std::lock_guard<std::mutex> lock(mutex_);
  live_bytes_ += args.size;
  ++live_blocks_;
  ++misses_;
  return {buffer, size_class};
}

void CachingAllocator::release(const Block& block) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (block.size_class >= free_.size()) free_.resize(block.size_class + 1);
  free_[block.size_class].push_back(block.buffer);
  const uint64_t size = class_bytes(block.size_class);
  live_bytes_ -= size;
  cached_bytes_ += size;
  if (--live_blocks_ == 0) empty_locked();
}

void CachingAllocator::empty() {
  std::lock_guard<std::mutex> lock(mutex_);
  empty_locked();
}

void CachingAllocator::empty_locked() {
  if (cached_bytes_ == 0) return;
  keel_status_release(keel_queue_synchronize(queue_));  // an error here belongs to the ops that caused it
  for (std::vector<keel_buffer_t*>& list : free_) {
    for (keel_buffer_t* buffer : list) keel_buffer_release(buffer);
    list.clear();
  }
  cached_bytes_ = 0;
}

CachingAllocator::Stats CachingAllocator::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return {cached_bytes_, live_bytes_, hits_, misses_};
}

}  // namespace keel::detail
