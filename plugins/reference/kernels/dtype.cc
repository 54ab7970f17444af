#include "dtype.h"

namespace keel::reference {

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

bool dtype_implemented(keel_dtype_t dtype) {
  switch (dtype) {
    case KEEL_DTYPE_BOOL:
    case KEEL_DTYPE_I8:
    case KEEL_DTYPE_U8:
    case KEEL_DTYPE_I32:
    case KEEL_DTYPE_I64:
    case KEEL_DTYPE_F16:
    case KEEL_DTYPE_BF16:
    case KEEL_DTYPE_F32:
    case KEEL_DTYPE_F64: return true;
    default: return false;
  }
}

void fail_unimplemented_dtype(keel_dtype_t dtype) {
  fail(KEEL_STATUS_UNIMPLEMENTED, "dtype ", dtype_name(dtype), " is not implemented by the reference plugin");
}

}  // namespace keel::reference
