// The runtime the graph benchmarks run on: this build's plugins only (no KEEL_PLUGIN_PATH, no manifests).
#pragma once

#include <string>

#include "keel/keel.hpp"

namespace keel::graph {

inline Runtime& runtime() {
  static Runtime instance = [] {
    RuntimeOptions options;
    options.plugin_paths = {KEEL_BENCH_PLUGIN_DIR};
    options.use_env_path = false;
    options.use_manifests = false;
    return Runtime::create(options);
  }();
  return instance;
}

inline bool has_device(const std::string& name) {
  keel_device_t* device = nullptr;
  keel_status_t status = keel_runtime_find_device(runtime().get(), name.c_str(), &device);
  keel_status_release(status);
  return status == nullptr;
}

}  // namespace keel::graph
