// Every kernel the plugin implements, registered with the host through one shared vtable
// (supports/create/compute/release_state). Adding an operator means adding a KernelDef to its group's table
// (see kernels.h); nothing here changes.
#pragma once

#include <string>
#include <vector>

#include "host.h"
#include "kernel.h"
#include "signature.h"

namespace keel::onednn {

class Device;

class Registry {
 public:
  // Kernels are tried before any priority-0 kernel of the same device (there is one per op here).
  static constexpr int32_t kPriority = 10;

  Registry(const Host& host, Device& device) : host_(host), device_(device) {}

  // Registers every KernelDef with the host. Operators the host's spec does not know are skipped (a host
  // older than the plugin); any other refusal fails init.
  void register_all();

  // What each registration's kernel_ctx points at.
  struct Entry {
    Registry* registry;
    const KernelDef* def;
    std::string name;  // "onednn.<op>"
  };

  const Host& host() const { return host_; }
  Device& device() const { return device_; }
  KernelCache& cache() { return cache_; }

 private:
  Host host_;
  Device& device_;
  KernelCache cache_;
  std::vector<Entry> entries_;
};

}  // namespace keel::onednn
