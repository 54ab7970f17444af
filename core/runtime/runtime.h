// The runtime: what keel_runtime_create builds. It owns the loader report, the plugins and their devices,
// and is reference counted so that buffers, queues and events keep plugins loaded while they live.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "keel/keel_runtime.h"
#include "runtime/device.h"
#include "runtime/plugin.h"

namespace keel {

// One candidate the loader considered (the C++ side of keel_loader_entry_t).
struct LoaderEntry {
  std::string path;
  std::string real_path;
  std::string origin;
  keel_loader_outcome_t outcome = KEEL_LOADER_REJECTED;
  std::string reason;
  std::string plugin_name;
  std::string plugin_version;
  uint32_t plugin_abi_version = 0;
  uint32_t negotiated_abi_version = 0;
  int32_t probe_score = -1;
  uint64_t load_time_ns = 0;
};

}  // namespace keel

struct keel_runtime_s {
  std::vector<keel::LoaderEntry> report;
  std::vector<std::unique_ptr<keel_plugin_s>> plugins;
  std::vector<std::unique_ptr<keel_device_s>> devices;

  keel_runtime_s() = default;
  ~keel_runtime_s();
  keel_runtime_s(const keel_runtime_s&) = delete;
  keel_runtime_s& operator=(const keel_runtime_s&) = delete;

  void retain() { references_.fetch_add(1, std::memory_order_relaxed); }
  // Deletes the runtime (shutting plugins down) when the last reference goes.
  void release();

 private:
  std::atomic<size_t> references_{1};
};
