#include "layers/runtime/device_memory.h"

#include <cstdio>

#include "layers/check.h"

namespace keel::conform {

OwnedBuffer allocate_or_fail(const Device& device, uint64_t size, uint32_t memory_space, uint32_t flags,
                             uint64_t alignment) {
  keel_buffer_allocate_args_t args{};
  args.struct_size = sizeof(args);
  args.memory_space = memory_space;
  args.flags = flags;
  args.size = size;
  args.alignment = alignment;
  keel_buffer_t* buffer = nullptr;
  require_ok(keel_buffer_allocate(device.get(), &args, &buffer), "allocating " + std::to_string(size) + " bytes");
  return OwnedBuffer(buffer);
}

std::vector<uint8_t> read_all(const OwnedBuffer& buffer) {
  std::vector<uint8_t> bytes(keel_buffer_size(buffer.get()));
  require_ok(keel_buffer_read(buffer.get(), 0, bytes.data(), bytes.size()), "buffer_read");
  return bytes;
}

void require_same_bytes(const std::vector<uint8_t>& got, const std::vector<uint8_t>& expected, const std::string& what) {
  require(got.size() == expected.size(), what + ": " + std::to_string(got.size()) + " bytes instead of " +
                                             std::to_string(expected.size()));
  for (size_t i = 0; i < got.size(); ++i) {
    if (got[i] != expected[i]) {
      char text[96];
      std::snprintf(text, sizeof(text), ": byte %zu is 0x%02x, expected 0x%02x", i, got[i], expected[i]);
      fail_case(what + text);
    }
  }
}

}  // namespace keel::conform
