// SHA-256 (FIPS 180-4), for the must-pass list hashes and the certificate's integrity field.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace keel::conform {

class Sha256 {
 public:
  Sha256();
  void update(std::string_view bytes);
  void update(const void* data, size_t size);
  std::string hex_digest();  // 64 lowercase hex digits; the object must not be updated afterwards

 private:
  void compress(const uint8_t* block);

  uint32_t state_[8];
  uint8_t block_[64];
  size_t block_used_ = 0;
  uint64_t total_bytes_ = 0;
};

std::string sha256_hex(std::string_view bytes);

}  // namespace keel::conform
