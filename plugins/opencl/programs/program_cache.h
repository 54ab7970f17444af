// OpenCL programs of one device: built from generated OpenCL C the first time a kernel of the program is
// needed, and kept as binaries on disk (DiskCache) so that later processes skip the compiler.
//
// The disk key is the SHA-256 of the source, the build options and the device's identity (name, vendor,
// driver version, device and platform versions), so a driver update or a changed kernel never reuses a
// stale binary. A binary the driver refuses is deleted and the program is rebuilt from source.
#pragma once

#include <CL/cl.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "cl/handle.h"
#include "device_info.h"
#include "programs/disk_cache.h"

namespace keel::opencl {

// A program: a name, unique among the plugin's programs ("elementwise/keel_add_f32"), and the generator of
// its source for a device.
struct ProgramSpec {
  std::string name;
  std::function<std::string(const DeviceInfo& device)> generate;
};

// A kernel of a built program. clSetKernelArg is not thread-safe for one cl_kernel, so launches hold
// mutex() from the first argument to the enqueue.
class Kernel {
 public:
  Kernel(ClRef<cl_kernel> kernel, std::string name, size_t work_group_size)
      : kernel_(std::move(kernel)), name_(std::move(name)), work_group_size_(work_group_size) {}

  cl_kernel get() const { return kernel_.get(); }
  const std::string& name() const { return name_; }
  // CL_KERNEL_WORK_GROUP_SIZE: the largest work-group this kernel can run with on the device.
  size_t work_group_size() const { return work_group_size_; }
  std::mutex& mutex() { return mutex_; }

 private:
  ClRef<cl_kernel> kernel_;
  std::string name_;
  size_t work_group_size_;
  std::mutex mutex_;
};

class Program {
 public:
  Program(ClRef<cl_program> program, cl_device_id device) : program_(std::move(program)), device_(device) {}

  // The kernel called `name`, created on first use. Thread-safe; INTERNAL when the program has no such kernel.
  Kernel& kernel(const std::string& name);

 private:
  ClRef<cl_program> program_;
  cl_device_id device_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::unique_ptr<Kernel>> kernels_;
};

class ProgramCache {
 public:
  ProgramCache(const DeviceInfo& info, cl_context context, DiskCache disk);

  // The program of `spec`, built or loaded on first use. Thread-safe; a program is built at most once.
  Program& get(const ProgramSpec& spec);

  struct Stats {
    uint32_t built = 0;    // compiled from source (disk misses)
    uint32_t loaded = 0;   // created from a binary on disk (disk hits)
    uint32_t rebuilt = 0;  // binaries the driver refused, rebuilt from source
    uint32_t stored = 0;   // binaries written to disk
    double build_ms = 0;   // total time spent compiling from source
    double load_ms = 0;    // total time spent creating programs from binaries
  };
  Stats stats() const;

  // How many of `specs` have a binary on disk for this device.
  size_t count_on_disk(std::span<const ProgramSpec> specs) const;
  const DiskCache& disk() const { return disk_; }
  const std::string& options() const { return options_; }
  // The disk key of a source for this device.
  std::string key_of(const std::string& source) const;

 private:
  struct Entry {
    std::mutex mutex;
    std::unique_ptr<Program> program;
  };

  ClRef<cl_program> build_from_source(const ProgramSpec& spec, const std::string& source);
  ClRef<cl_program> load_binary(const std::vector<uint8_t>& binary);
  void store_binary(cl_program program, const std::string& key);

  const DeviceInfo& info_;
  cl_context context_;
  DiskCache disk_;
  std::string options_;

  mutable std::mutex mutex_;  // guards entries_ and stats_
  std::map<std::string, std::unique_ptr<Entry>> entries_;
  Stats stats_;
};

}  // namespace keel::opencl
