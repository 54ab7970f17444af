// NumPy .npy files (format versions 1.0 and 2.0, little-endian, C order) to and from HostTensor: how
// `keel run` takes inputs and writes outputs. Supported dtypes: f16 f32 f64 i8 u8 i32 i64 bool (numpy has
// no bf16). Reading never trusts the file: a bad magic, a malformed header, an unsupported dtype, Fortran
// order, or data shorter or longer than the header promises throws keel::Error (INVALID_ARGUMENT) saying
// what is wrong.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "graph/ir/host_tensor.h"

namespace keel::graph {

HostTensor read_npy_bytes(std::span<const uint8_t> bytes);
// Format 1.0 when the header fits in 64 KiB, else 2.0 (as numpy does).
std::vector<uint8_t> write_npy_bytes(const HostTensor& tensor);

HostTensor read_npy(const std::string& path);
void write_npy(const HostTensor& tensor, const std::string& path);

}  // namespace keel::graph
