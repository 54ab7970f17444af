// The state behind one keel_plugin_init: the host table, one Device per usable OpenCL device, the worker
// thread, and the kernel registrations. Every init creates its own Plugin; shutdown deletes it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "device.h"
#include "host.h"
#include "kernels/registry.h"
#include "worker.h"

namespace keel::opencl {

class Plugin {
 public:
  // Enumerates every platform and device. UNAVAILABLE (with the reasons) when none is usable.
  explicit Plugin(const Host& host);
  ~Plugin();

  const Host& host() const { return host_; }
  size_t device_count() const { return devices_.size(); }
  Device& device(size_t index) { return *devices_.at(index); }

  // Registers every kernel through the host (only valid during init).
  void register_kernels();

 private:
  Host host_;
  std::vector<std::unique_ptr<Device>> devices_;
  std::vector<KernelContext> kernels_;  // what each registration's kernel_ctx points at
  Worker worker_;                       // destroyed first: joined before the devices go away
};

}  // namespace keel::opencl
