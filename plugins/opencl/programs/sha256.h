// SHA-256 (FIPS 180-4), for the keys and checksums of the program cache.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace keel::opencl {

class Sha256 {
 public:
  using Digest = std::array<uint8_t, 32>;

  Sha256();
  Sha256& update(std::span<const uint8_t> bytes);
  Sha256& update(std::string_view text) {
    return update(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
  }
  Digest finish();

  static Digest of(std::span<const uint8_t> bytes) { return Sha256().update(bytes).finish(); }
  static std::string hex(const Digest& digest);

 private:
  void compress(const uint8_t* block);

  std::array<uint32_t, 8> state_;
  std::array<uint8_t, 64> block_{};
  size_t block_used_ = 0;
  uint64_t length_ = 0;  // bytes hashed so far
};

}  // namespace keel::opencl
