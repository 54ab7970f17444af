// Saving and loading named tensors and module parameters in Keel's parameter file format (little-endian,
// versioned, CRC-32 checked; docs/parameter-format.md describes every byte).
//
//   keel::serialize::save(*model, "model.keelp");
//   keel::serialize::load(*model, "model.keelp");  // checks names, dtypes and shapes first
//
// Errors throw keel::Error naming the file and the problem: NOT_FOUND (cannot open), DATA_LOSS (not a
// parameter file, truncated, malformed, checksum mismatch), UNIMPLEMENTED (a format version this build does
// not read), INVALID_ARGUMENT (the file does not match the module), INTERNAL (cannot write).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "keel/nn.hpp"
#include "keel/tensor.hpp"

namespace keel::serialize {

inline constexpr char kMagic[8] = {'K', 'E', 'E', 'L', 'P', 'A', 'R', 'M'};
inline constexpr uint32_t kFormatVersion = 1;

struct NamedTensor {
  std::string name;
  Tensor tensor;
};

// The file's bytes for these tensors (any device; names unique and non-empty).
std::string encode(std::span<const NamedTensor> tensors);
// The tensors of a file's bytes, in file order, created on `device` (default_device() when empty).
// `source` names the data in error messages.
std::vector<NamedTensor> decode(std::string_view bytes, const std::optional<Device>& device = std::nullopt,
                                std::string_view source = "<memory>");

void save_tensors(const std::string& path, std::span<const NamedTensor> tensors);
std::vector<NamedTensor> load_tensors(const std::string& path, const std::optional<Device>& device = std::nullopt);

// Every parameter and buffer of the module (Module::state()), by dotted name.
void save(const nn::Module& module, const std::string& path);
// Reads the file and checks that it holds exactly the module's parameters and buffers with the same dtypes
// and shapes before writing any of them (in place, so optimizers keep working); on error nothing changes.
void load(nn::Module& module, const std::string& path);

}  // namespace keel::serialize
