// Keel element types as OpenCL C sees them, and which of them a device computes.
#pragma once

#include <cstddef>
#include <string>

#include "device_info.h"
#include "keel/keel_types.h"

namespace keel::opencl {

// The dtypes this plugin computes: bool, i32, i64, f32, and f64 on devices with cl_khr_fp64. f16 and bf16
// kernels are not written (yet).
bool dtype_implemented(keel_dtype_t dtype);
// Implemented, and computable on this device (f64 needs cl_khr_fp64).
bool dtype_on_device(keel_dtype_t dtype, const DeviceInfo& device);
// Why not, for supports(): "", or a sentence naming the dtype and the reason.
std::string dtype_refusal(keel_dtype_t dtype, const DeviceInfo& device);

size_t dtype_size(keel_dtype_t dtype);  // 0 for unknown values
const char* dtype_name(keel_dtype_t dtype);  // "f32"; "invalid" for unknown values

// OpenCL C spellings: the value type ("float"; "uchar" for bool), the unsigned type of the same width
// ("uint"), and the bit type used for bit-exact copies (the unsigned type of the element size).
const char* cl_type(keel_dtype_t dtype);
const char* cl_unsigned_type(keel_dtype_t dtype);
const char* cl_bits_type(size_t element_size);

bool is_float(keel_dtype_t dtype);    // f16, bf16, f32, f64
bool is_integer(keel_dtype_t dtype);  // i8, u8, i32, i64

}  // namespace keel::opencl
