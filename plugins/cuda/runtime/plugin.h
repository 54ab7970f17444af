// The state behind one keel_plugin_init: the host table, the CUDA driver, cuBLAS, the devices and the
// kernel registrations. Every init creates its own Plugin; shutdown deletes it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "driver/cublas.h"
#include "driver/driver.h"
#include "kernels/registry.h"
#include "runtime/device.h"
#include "runtime/host.h"

namespace keel::cuda {

class Plugin {
 public:
  // Opens the driver and cuBLAS and creates a device for every GPU that can run this build. Throws
  // UNAVAILABLE naming the cause when there is no driver, no device, or no device this build can use.
  explicit Plugin(const Host& host);
  ~Plugin();
  Plugin(const Plugin&) = delete;
  Plugin& operator=(const Plugin&) = delete;

  const Host& host() const { return host_; }
  size_t device_count() const { return devices_.size(); }
  Device& device(size_t index) { return *devices_.at(index); }

  // Registers one kernel per op_kernels() entry through the host (only valid during init).
  void register_kernels() { keel::cuda::register_kernels(host_, kernels_); }

  // One line for the log: the devices and the libraries found.
  std::string summary() const;

 private:
  Host host_;
  std::unique_ptr<Driver> driver_;
  std::unique_ptr<Cublas> cublas_;
  std::string cublas_problem_;
  DeviceEnvironment environment_;
  std::vector<std::unique_ptr<Device>> devices_;
  std::vector<KernelContext> kernels_;
};

}  // namespace keel::cuda
