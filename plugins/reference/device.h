// The one device of the reference plugin: the host CPU, running every call to completion on the caller's
// thread.
#pragma once

#include <cstdint>
#include <span>

#include "host.h"
#include "memory.h"

namespace keel::reference {

class Device {
 public:
  explicit Device(const Host& host);

  const Host& host() const { return host_; }

  void properties(keel_device_properties_t& inout) const;
  std::span<const keel_attribute_t> attributes() const;

  // OUT_OF_RANGE for any index but 0.
  MemorySpace& memory_space(uint32_t index);

 private:
  Host host_;
  MemorySpace memory_;
};

}  // namespace keel::reference
