// TensorMeta and the dtype helpers of op_schema.h.
#include <limits>

#include "spec/op_schema.h"

namespace keel::spec {

int64_t TensorMeta::element_count() const {
  // Saturates instead of overflowing: a count this large fails allocation anyway.
  int64_t count = 1;
  for (uint32_t i = 0; i < rank && i < KEEL_MAX_RANK; ++i) {
    if (dims[i] <= 0) return 0;
    if (__builtin_mul_overflow(count, dims[i], &count)) return std::numeric_limits<int64_t>::max();
  }
  return count;
}

const char* dtype_name(keel_dtype_t dtype) {
  for (const DtypeInfo& info : all_dtypes()) {
    if (info.dtype == dtype) return info.name;
  }
  return "invalid";
}

bool is_integer_dtype(keel_dtype_t dtype) {
  return dtype == KEEL_DTYPE_I8 || dtype == KEEL_DTYPE_U8 || dtype == KEEL_DTYPE_I32 || dtype == KEEL_DTYPE_I64;
}

}  // namespace keel::spec
