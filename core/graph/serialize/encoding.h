// Byte-level helpers of the serialized graph forms: base64 (constants in JSON) and CRC-32 (the binary
// form's checksum).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace keel::graph {

std::string base64_encode(std::span<const uint8_t> bytes);
// nullopt for text that is not canonical base64 (wrong alphabet, bad length or padding).
std::optional<std::vector<uint8_t>> base64_decode(std::string_view text);

// CRC-32 (IEEE 802.3, the zlib polynomial), continuing from `crc` (0 to start).
uint32_t crc32(std::span<const uint8_t> bytes, uint32_t crc = 0);

}  // namespace keel::graph
