// The state behind one keel_plugin_init: the host table, the device and the kernel registrations.
// Every init creates its own Plugin (two runtimes in one process each get one); shutdown deletes it.
#pragma once

#include <vector>

#include "device.h"
#include "host.h"
#include "kernels/registry.h"

namespace keel::reference {

class Plugin {
 public:
  explicit Plugin(const Host& host) : host_(host), device_(host) {}

  const Host& host() const { return host_; }
  Device& device() { return device_; }

  // Registers one kernel per spec operator through the host (only valid during init).
  void register_kernels() { keel::reference::register_kernels(host_, kernels_); }

 private:
  Host host_;
  Device device_;
  std::vector<KernelContext> kernels_;  // what each registration's kernel_ctx points at
};

}  // namespace keel::reference
