// An OpenCL device as a Keel device: its context, a transfer queue for the synchronous copies, its memory
// space, its programs, and the properties and attributes the host reads.
#pragma once

#include <CL/cl.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "cl/handle.h"
#include "device_info.h"
#include "host.h"
#include "memory.h"
#include "programs/program_cache.h"

namespace keel::opencl {

class Worker;

class Device {
 public:
  // Creates the context and the transfer queue. Throws Error when the driver refuses.
  Device(const Host& host, Worker& worker, DeviceInfo info);

  Device(const Device&) = delete;
  Device& operator=(const Device&) = delete;

  const Host& host() const { return host_; }
  Worker& worker() const { return worker_; }
  const DeviceInfo& info() const { return info_; }
  cl_device_id id() const { return info_.device; }
  cl_context context() const { return context_.get(); }
  // An in-order queue for the synchronous buffer calls (blocking reads, writes and copies).
  cl_command_queue transfer_queue() const { return transfer_queue_.get(); }
  ProgramCache& programs() { return programs_; }

  void properties(keel_device_properties_t& inout) const;
  // Query, then fill (keel_plugin_api_t.device_attributes). The set of keys never changes; values that
  // change (program statistics) are kept alive for the device's lifetime.
  void attributes(keel_attribute_t* out, size_t* inout_count);

  // OUT_OF_RANGE for any index but 0.
  MemorySpace& memory_space(uint32_t index);

  // Keeps `object` until the device goes away, after its context: for memory a driver callback might still
  // be handed although the plugin no longer waits for it.
  void keep_until_shutdown(std::shared_ptr<void> object);

 private:
  const char* keep(std::string text);  // a pointer that stays valid until the device goes away

  Host host_;
  Worker& worker_;
  DeviceInfo info_;
  std::mutex kept_mutex_;
  std::vector<std::shared_ptr<void>> kept_;  // declared before context_: released after it
  ClRef<cl_context> context_;
  ClRef<cl_command_queue> transfer_queue_;
  MemorySpace memory_;
  ProgramCache programs_;

  std::mutex strings_mutex_;
  std::set<std::string> strings_;
};

}  // namespace keel::opencl
