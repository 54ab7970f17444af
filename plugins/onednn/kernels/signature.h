// The plugin's own cache of prepared kernels, keyed like the host's state cache: op, attributes, and each
// tensor's dtype, shape and strides. The host caches create() results per signature too; this cache makes a
// repeated create() (a second runtime, a host cache that is full or was cleared, supports() followed by
// create()) reuse the kernel instead of building oneDNN primitives again.
#pragma once

#include <cstdint>
#include <list>
#include <mutex>
#include <span>
#include <unordered_map>
#include <vector>

#include "keel/keel_plugin.h"

namespace keel::onednn {

class Kernel;

class SignatureKey {
 public:
  void push(int64_t word) { words_.push_back(word); }
  void push_tensors(std::span<const keel_tensor_desc_t> tensors);
  template <class T>
  void push_ints(const T* values, size_t count) {
    push(static_cast<int64_t>(count));
    for (size_t i = 0; i < count; ++i) push(static_cast<int64_t>(values[i]));
  }
  void push_double(double value);

  size_t hash() const;
  bool operator==(const SignatureKey& other) const { return words_ == other.words_; }

 private:
  std::vector<int64_t> words_;
};

struct SignatureKeyHash {
  size_t operator()(const SignatureKey& key) const { return key.hash(); }
};

// Thread-safe LRU map from signature to kernel. Holds one reference to each kernel it stores.
class KernelCache {
 public:
  static constexpr size_t kCapacity = 2048;

  KernelCache() = default;
  ~KernelCache();
  KernelCache(const KernelCache&) = delete;
  KernelCache& operator=(const KernelCache&) = delete;

  // The cached kernel for `key` with a new reference for the caller, or NULL.
  const Kernel* find(const SignatureKey& key);
  // Stores `kernel` (taking a reference) unless another thread stored one first; returns the stored kernel
  // with a new reference for the caller.
  const Kernel* insert(const SignatureKey& key, const Kernel* kernel);

  size_t size() const;

 private:
  using Order = std::list<const SignatureKey*>;
  struct Entry {
    const Kernel* kernel;
    Order::iterator position;
  };

  mutable std::mutex mutex_;
  std::unordered_map<SignatureKey, Entry, SignatureKeyHash> entries_;
  Order order_;  // most recently used first
};

}  // namespace keel::onednn
