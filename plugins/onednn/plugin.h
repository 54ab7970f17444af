// The state behind one keel_plugin_init: the host table, the device and the kernel registry. Every init
// creates its own Plugin (two runtimes in one process get one each); shutdown deletes it.
#pragma once

#include <memory>

#include "device.h"
#include "host.h"
#include "kernels/registry.h"

namespace keel::onednn {

class Plugin {
 public:
  explicit Plugin(const Host& host);
  ~Plugin();

  const Host& host() const { return host_; }
  Device& device() { return device_; }

  // Registers the kernels with the host; only valid during init.
  void register_kernels();

 private:
  Host host_;
  Device device_;
  std::unique_ptr<Registry> registry_;
};

}  // namespace keel::onednn
