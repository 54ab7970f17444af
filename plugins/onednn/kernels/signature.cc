#include "signature.h"

#include <cstring>

#include "kernel.h"

namespace keel::onednn {

void SignatureKey::push_tensors(std::span<const keel_tensor_desc_t> tensors) {
  push(static_cast<int64_t>(tensors.size()));
  for (const keel_tensor_desc_t& tensor : tensors) {
    push(static_cast<int64_t>(tensor.dtype) << 8 | tensor.rank);
    for (uint32_t d = 0; d < tensor.rank && d < KEEL_MAX_RANK; ++d) {
      push(tensor.shape[d]);
      push(tensor.strides[d]);
    }
  }
}

void SignatureKey::push_double(double value) {
  int64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  push(bits);
}

size_t SignatureKey::hash() const {
  uint64_t h = 0x9e3779b97f4a7c15u ^ words_.size();
  for (const int64_t word : words_) {
    h ^= static_cast<uint64_t>(word) + 0x9e3779b97f4a7c15u + (h << 6) + (h >> 2);
  }
  return static_cast<size_t>(h);
}

KernelCache::~KernelCache() {
  for (auto& [key, entry] : entries_) entry.kernel->release();
}

const Kernel* KernelCache::find(const SignatureKey& key) {
  const std::lock_guard lock(mutex_);
  const auto it = entries_.find(key);
  if (it == entries_.end()) return nullptr;
  order_.splice(order_.begin(), order_, it->second.position);
  it->second.kernel->retain();
  return it->second.kernel;
}

const Kernel* KernelCache::insert(const SignatureKey& key, const Kernel* kernel) {
  const std::lock_guard lock(mutex_);
  auto [it, inserted] = entries_.try_emplace(key, Entry{kernel, {}});
  if (inserted) {
    kernel->retain();
    order_.push_front(&it->first);
    it->second.position = order_.begin();
    if (entries_.size() > kCapacity) {
      const SignatureKey* oldest = order_.back();
      order_.pop_back();
      const auto victim = entries_.find(*oldest);
      victim->second.kernel->release();  // users holding their own reference keep it alive
      entries_.erase(victim);
    }
  }
  it->second.kernel->retain();
  return it->second.kernel;
}

size_t KernelCache::size() const {
  const std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace keel::onednn
