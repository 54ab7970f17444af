// The front end's runtime: one keel_runtime_t, and per device a queue and a caching allocator. Storages keep
// their context alive, so tensors may outlive a reconfiguration and static destruction order never matters.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "keel/keel.hpp"
#include "runtime/allocator.h"

namespace keel::detail {

class Context;

// One device as the front end uses it.
struct DeviceState {
  DeviceState(Context* owner, keel_device_t* handle);
  ~DeviceState();
  DeviceState(const DeviceState&) = delete;
  DeviceState& operator=(const DeviceState&) = delete;

  Context* context;
  keel_device_t* device;
  keel_queue_t* queue = nullptr;
  std::mutex queue_mutex;  // a queue is externally synchronized
  std::unique_ptr<CachingAllocator> allocator;
  std::string name;

  void synchronize();
};

class Context {
 public:
  explicit Context(const RuntimeOptions& options);
  ~Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  // The current context (created on first use) with one reference taken for the caller.
  static Context* acquire();
  void retain() { refs_.fetch_add(1, std::memory_order_relaxed); }
  void release() {
    if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
  }
  static void configure(const RuntimeOptions& options);

  keel_runtime_t* runtime() const { return runtime_.get(); }
  DeviceState& state(keel_device_t* device);  // created on first use
  DeviceState& default_state();
  void set_default(keel_device_t* device);
  void empty_caches();

 private:
  keel_device_t* choose_default() const;

  std::atomic<int64_t> refs_{1};
  Runtime runtime_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<DeviceState>> states_;
  std::atomic<DeviceState*> default_{nullptr};
};

// The state of a keel::Device of the current context.
DeviceState& state_of(const Device& device);
// The state for an optional device argument: the given one, else the default.
DeviceState& state_of(const std::optional<Device>& device);

}  // namespace keel::detail
