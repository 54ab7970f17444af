#include "dispatch/state_cache.h"

#include <algorithm>

#include "runtime/plugin.h"

namespace keel::dispatch {

size_t SignatureKey::hash() const {
  // FNV-1a steps over four interleaved lanes of words, folded at the end: one chain of dependent multiplies
  // per word made hashing a large part of a cached call's cost.
  constexpr uint64_t kPrime = 1099511628211ull;
  uint64_t lanes[4] = {1469598103934665603ull, 0x9E3779B97F4A7C15ull, 0xC2B2AE3D27D4EB4Full, 0x165667B19E3779F9ull};
  const size_t count = std::min(size_, kCapacity);
  for (size_t i = 0; i < count; ++i) {
    uint64_t& h = lanes[i % 4];
    h = (h ^ static_cast<uint64_t>(words_[i])) * kPrime;
  }
  uint64_t h = lanes[0];
  for (size_t k = 1; k < 4; ++k) h = (h ^ lanes[k]) * kPrime;
  return static_cast<size_t>(h ^ size_);
}

bool SignatureKey::operator==(const SignatureKey& other) const {
  return size_ == other.size_ && std::equal(words_, words_ + std::min(size_, kCapacity), other.words_);
}

bool StateCache::find(const SignatureKey& key, CachedKernel* out) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    return false;
  }
  *out = it->second;
  return true;
}

bool StateCache::insert(const SignatureKey& key, const CachedKernel& entry) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (entries_.size() >= kMaxEntries) {
    return false;
  }
  return entries_.emplace(key, entry).second;
}

void StateCache::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& [key, entry] : entries_) {
    if (entry.state != nullptr && entry.kernel->api.release_state != nullptr) {
      try {
        entry.kernel->api.release_state(entry.kernel->ctx, entry.state);
      } catch (...) {
        // A plugin that throws here has broken the ABI; the state is lost either way.
      }
    }
  }
  entries_.clear();
}

}  // namespace keel::dispatch
