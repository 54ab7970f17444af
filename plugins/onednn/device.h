// The plugin's one device: the host CPU as oneDNN drives it. Every call runs to completion before it
// returns (no KEEL_CAP_ASYNC), on the calling thread plus the OpenMP pool.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "cpu_info.h"
#include "host.h"
#include "memory.h"

namespace dnnl {
struct engine;
}

namespace keel::onednn {

class Device {
 public:
  Device(const Host& host, CpuInfo cpu);
  ~Device();
  Device(const Device&) = delete;
  Device& operator=(const Device&) = delete;

  const Host& host() const { return host_; }
  const CpuInfo& cpu() const { return cpu_; }

  void properties(keel_device_properties_t& inout) const;
  std::span<const keel_attribute_t> attributes() const { return attributes_; }

  // OUT_OF_RANGE for any index but 0.
  MemorySpace& memory_space(uint32_t index);

  // The oneDNN CPU engine, created on first use (so that loading the plugin stays cheap). Thread-safe.
  const dnnl::engine& engine() const;

 private:
  Host host_;
  CpuInfo cpu_;
  std::string name_;
  std::array<uint8_t, 16> uuid_{};
  MemorySpace memory_;
  std::vector<std::string> attribute_text_;  // storage the attributes point into
  std::vector<keel_attribute_t> attributes_;
  mutable std::once_flag engine_once_;
  mutable std::unique_ptr<dnnl::engine> engine_;
};

}  // namespace keel::onednn
