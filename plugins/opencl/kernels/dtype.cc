#include "kernels/dtype.h"

#include "host.h"

namespace keel::opencl {

bool dtype_implemented(keel_dtype_t dtype) {
  switch (dtype) {
    case KEEL_DTYPE_BOOL:
    case KEEL_DTYPE_I32:
    case KEEL_DTYPE_I64:
    case KEEL_DTYPE_F32:
    case KEEL_DTYPE_F64: return true;
    default: return false;
  }
}

bool dtype_on_device(keel_dtype_t dtype, const DeviceInfo& device) {
  return dtype_implemented(dtype) && (dtype != KEEL_DTYPE_F64 || device.fp64);
}

std::string dtype_refusal(keel_dtype_t dtype, const DeviceInfo& device) {
  if (!dtype_implemented(dtype)) {
    return concat(dtype_name(dtype), " is not implemented by the OpenCL plugin (it computes bool, i32, i64, f32 and f64)");
  }
  if (!dtype_on_device(dtype, device)) return concat(dtype_name(dtype), " needs cl_khr_fp64, which ", device.name, " lacks");
  return "";
}

size_t dtype_size(keel_dtype_t dtype) {
  switch (dtype) {
    case KEEL_DTYPE_BOOL:
    case KEEL_DTYPE_I8:
    case KEEL_DTYPE_U8: return 1;
    case KEEL_DTYPE_F16:
    case KEEL_DTYPE_BF16: return 2;
    case KEEL_DTYPE_I32:
    case KEEL_DTYPE_F32: return 4;
    case KEEL_DTYPE_I64:
    case KEEL_DTYPE_F64: return 8;
    default: return 0;
  }
}

const char* dtype_name(keel_dtype_t dtype) {
  switch (dtype) {
    case KEEL_DTYPE_BOOL: return "bool";
    case KEEL_DTYPE_I8: return "i8";
    case KEEL_DTYPE_U8: return "u8";
    case KEEL_DTYPE_I32: return "i32";
    case KEEL_DTYPE_I64: return "i64";
    case KEEL_DTYPE_F16: return "f16";
    case KEEL_DTYPE_BF16: return "bf16";
    case KEEL_DTYPE_F32: return "f32";
    case KEEL_DTYPE_F64: return "f64";
    default: return "invalid";
  }
}

const char* cl_type(keel_dtype_t dtype) {
  switch (dtype) {
    case KEEL_DTYPE_BOOL: return "uchar";
    case KEEL_DTYPE_I8: return "char";
    case KEEL_DTYPE_U8: return "uchar";
    case KEEL_DTYPE_I32: return "int";
    case KEEL_DTYPE_I64: return "long";
    case KEEL_DTYPE_F32: return "float";
    case KEEL_DTYPE_F64: return "double";
    default: fail(KEEL_STATUS_INTERNAL, "no OpenCL C type for dtype ", dtype_name(dtype));
  }
}

const char* cl_unsigned_type(keel_dtype_t dtype) { return cl_bits_type(dtype_size(dtype)); }

const char* cl_bits_type(size_t element_size) {
  switch (element_size) {
    case 1: return "uchar";
    case 2: return "ushort";
    case 4: return "uint";
    case 8: return "ulong";
    default: fail(KEEL_STATUS_INTERNAL, "no OpenCL C type of ", element_size, " bytes");
  }
}

bool is_float(keel_dtype_t dtype) {
  return dtype == KEEL_DTYPE_F16 || dtype == KEEL_DTYPE_BF16 || dtype == KEEL_DTYPE_F32 || dtype == KEEL_DTYPE_F64;
}

bool is_integer(keel_dtype_t dtype) {
  return dtype == KEEL_DTYPE_I8 || dtype == KEEL_DTYPE_U8 || dtype == KEEL_DTYPE_I32 || dtype == KEEL_DTYPE_I64;
}

}  // namespace keel::opencl
