// Buffers for the runtime layers: an owning handle, allocation that fails the case with its status, reads
// of a whole buffer, and a byte comparison that names the first difference.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "keel/keel.hpp"

namespace keel::conform {

struct BufferRelease {
  void operator()(keel_buffer_t* buffer) const { keel_buffer_release(buffer); }
};
using OwnedBuffer = std::unique_ptr<keel_buffer_t, BufferRelease>;

OwnedBuffer allocate_or_fail(const Device& device, uint64_t size, uint32_t memory_space, uint32_t flags,
                             uint64_t alignment = 0);
std::vector<uint8_t> read_all(const OwnedBuffer& buffer);
void require_same_bytes(const std::vector<uint8_t>& got, const std::vector<uint8_t>& expected, const std::string& what);

}  // namespace keel::conform
