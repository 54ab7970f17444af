// Caches, per device, which kernel serves a call signature and the state its create() made for it, so a
// repeated call skips selection and state creation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <unordered_map>

#include "keel/keel_plugin.h"

namespace keel {
struct KernelEntry;
}

namespace keel::dispatch {

// Everything a kernel's choice and state may depend on: the op, its attributes and every tensor's dtype,
// shape and strides, flattened into words. Calls too large to describe are not cached.
class SignatureKey {
 public:
  static constexpr size_t kCapacity = 160;

  void push(int64_t word) {
    if (size_ < kCapacity) {
      words_[size_] = word;
    }
    ++size_;
  }
  bool fits() const { return size_ <= kCapacity; }
  size_t hash() const;
  bool operator==(const SignatureKey& other) const;

 private:
  int64_t words_[kCapacity];
  size_t size_ = 0;
};

struct SignatureKeyHash {
  size_t operator()(const SignatureKey& key) const { return key.hash(); }
};

struct CachedKernel {
  const KernelEntry* kernel = nullptr;
  void* state = nullptr; // from the kernel's create(), or NULL
};

class StateCache {
 public:
  // Beyond this many signatures per device, new states are released after their call instead of kept.
  static constexpr size_t kMaxEntries = 4096;

  StateCache() = default;
  ~StateCache() { clear(); }
  StateCache(const StateCache&) = delete;
  StateCache& operator=(const StateCache&) = delete;

  // True and *out filled when `key` is cached.
  bool find(const SignatureKey& key, CachedKernel* out) const;
  // Stores the entry unless the cache is full; returns whether it was stored (the caller owns the state
  // otherwise).
  bool insert(const SignatureKey& key, const CachedKernel& entry);
  // Releases every state through its kernel. Called with no computation in flight.
  void clear();

 private:
  mutable std::mutex mutex_;
  std::unordered_map<SignatureKey, CachedKernel, SignatureKeyHash> entries_;
};

}  // namespace keel::dispatch
