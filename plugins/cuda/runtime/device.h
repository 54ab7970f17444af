// One CUDA device: its primary context, properties and attributes, its two memory spaces (device memory and
// host-pinned memory), a stream for synchronous copies, the pool of CUDA events that mark points in streams,
// and the lost state a sticky CUDA error leaves behind.
#pragma once

#include <cuda.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "driver/cublas.h"
#include "driver/driver.h"
#include "gpu/launch.h"
#include "runtime/host.h"
#include "runtime/memory.h"

namespace keel::cuda {

// A point recorded in a stream: a CUDA event from the device's pool, returned to the pool when the last
// reference goes.
using Marker = std::shared_ptr<CUevent_st>;

// What every device shares: the host table, the driver and cuBLAS (or why cuBLAS is missing).
struct DeviceEnvironment {
  const Host* host;
  const Driver* driver;
  const Cublas* cublas;        // nullptr when cuBLAS could not be loaded
  std::string cublas_problem;  // why, when it could not
};

class Device {
 public:
  // Retains the primary context of device `ordinal` and reads its properties. Throws UNAVAILABLE when the
  // device cannot run this build's kernels (no code for its architecture).
  Device(const DeviceEnvironment& environment, int ordinal);
  ~Device();
  Device(const Device&) = delete;
  Device& operator=(const Device&) = delete;

  const Host& host() const { return *environment_.host; }
  const Driver& driver() const { return *environment_.driver; }
  const Cublas* cublas() const { return environment_.cublas; }
  const std::string& cublas_problem() const { return environment_.cublas_problem; }
  CUcontext context() const { return context_; }
  int ordinal() const { return ordinal_; }
  int multiprocessors() const { return multiprocessors_; }
  const std::string& label() const { return label_; }  // "CUDA device 0 (NVIDIA H100 80GB HBM3)"

  void properties(keel_device_properties_t& inout) const;
  std::span<const keel_attribute_t> attributes() const { return attribute_view_; }

  // Space 0 is device memory, space 1 host-pinned memory; OUT_OF_RANGE for any other index.
  MemorySpace& memory_space(uint32_t index);
  MemorySpace& device_memory() { return *device_memory_; }
  MemorySpace& pinned_memory() { return *pinned_memory_; }

  // Throws the error of a failed CUDA call, naming `what`. A sticky error marks the device lost first.
  void check(CUresult result, const char* what) const;
  void check(const gpu::LaunchResult& result, const char* what) const;
  // DEVICE_LOST (with the first sticky error's message) once the device is lost.
  void check_alive() const;
  // Records a sticky error; later calls fail with DEVICE_LOST. The first reason is kept.
  void mark_lost(const std::string& reason) const;
  std::optional<Failure> lost() const;

  // Copies `size` bytes between any two addresses the device can reach (device, pinned or pageable host
  // memory) and waits for the copy. Ranges must not overlap.
  void copy_sync(CUdeviceptr dst, CUdeviceptr src, uint64_t size) const;
  // Sets `size` bytes of device-reachable memory to zero and waits.
  void zero_sync(CUdeviceptr dst, uint64_t size) const;

  // A CUDA event from the pool (created on demand). The device's context must be current.
  Marker acquire_marker() const;

 private:
  void read_properties();
  void build_attributes();
  void release_marker(CUevent event) const;

  DeviceEnvironment environment_;
  int ordinal_;
  CUdevice handle_ = 0;
  CUcontext context_ = nullptr;
  std::string label_;
  std::string name_;
  std::array<uint8_t, 16> uuid_{};
  std::string pci_bus_id_;
  uint64_t total_memory_ = 0;
  int multiprocessors_ = 0;
  int major_ = 0, minor_ = 0;
  bool integrated_ = false;
  uint64_t capabilities_ = 0;
  std::vector<std::pair<std::string, std::string>> attribute_text_;
  std::vector<keel_attribute_t> attribute_view_;

  std::unique_ptr<MemorySpace> device_memory_;
  std::unique_ptr<MemorySpace> pinned_memory_;

  mutable std::mutex sync_mutex_;  // serializes the synchronous copies on sync_stream_
  CUstream sync_stream_ = nullptr;

  mutable std::mutex marker_mutex_;
  mutable std::vector<CUevent> free_markers_;
  mutable std::vector<CUevent> all_markers_;

  mutable std::mutex lost_mutex_;
  mutable std::optional<Failure> lost_;
  mutable std::atomic<bool> is_lost_{false};
};

// Makes a device's context current on this thread for the scope's lifetime (and restores the previous one).
class ContextScope {
 public:
  explicit ContextScope(const Device& device);
  ~ContextScope();
  ContextScope(const ContextScope&) = delete;
  ContextScope& operator=(const ContextScope&) = delete;

 private:
  const Device& device_;
};

}  // namespace keel::cuda
