#include "host_tensor.h"

namespace keel::reference_test {

size_t size_of(keel_dtype_t dtype) {
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

std::string name_of(keel_dtype_t dtype) {
  switch (dtype) {
    case KEEL_DTYPE_BOOL: return "bool";
    case KEEL_DTYPE_I32: return "i32";
    case KEEL_DTYPE_I64: return "i64";
    case KEEL_DTYPE_F16: return "f16";
    case KEEL_DTYPE_BF16: return "bf16";
    case KEEL_DTYPE_F32: return "f32";
    case KEEL_DTYPE_F64: return "f64";
    default: return "dtype" + std::to_string(dtype);
  }
}

bool is_float(keel_dtype_t dtype) { return dtype == KEEL_DTYPE_F32 || dtype == KEEL_DTYPE_F64; }

int64_t count_of(const Dims& shape) {
  int64_t count = 1;
  for (const int64_t dim : shape) count *= dim;
  return count;
}

Dims unravel(int64_t linear, const Dims& shape) {
  Dims index(shape.size(), 0);
  for (size_t k = shape.size(); k-- > 0;) {
    index[k] = linear % shape[k];
    linear /= shape[k];
  }
  return index;
}

int64_t ravel(const Dims& index, const Dims& shape) {
  int64_t linear = 0;
  for (size_t k = 0; k < shape.size(); ++k) linear = linear * shape[k] + index[k];
  return linear;
}

std::string text_of(const Dims& shape) {
  std::string text = "[";
  for (size_t k = 0; k < shape.size(); ++k) text += (k ? "," : "") + std::to_string(shape[k]);
  return text + "]";
}

Dims broadcast_dims(const Dims& a, const Dims& b) {
  const size_t rank = a.size() > b.size() ? a.size() : b.size();
  Dims out(rank, 1);
  for (size_t k = 0; k < rank; ++k) {
    const int64_t da = k < rank - a.size() ? 1 : a[k - (rank - a.size())];
    const int64_t db = k < rank - b.size() ? 1 : b[k - (rank - b.size())];
    out[k] = da == 1 ? db : da;
  }
  return out;
}

Dims broadcast_source(const Dims& out, const Dims& shape) {
  Dims index(shape.size(), 0);
  const size_t lead = out.size() - shape.size();
  for (size_t k = 0; k < shape.size(); ++k) index[k] = shape[k] == 1 ? 0 : out[lead + k];
  return index;
}

HostTensor HostTensor::zeros(keel_dtype_t dtype, const Dims& shape) {
  HostTensor tensor;
  tensor.dtype = dtype;
  tensor.shape = shape;
  tensor.bytes.assign(static_cast<size_t>(count_of(shape)) * size_of(dtype), std::byte{0});
  return tensor;
}

long double HostTensor::value(int64_t i) const {
  switch (dtype) {
    case KEEL_DTYPE_BOOL: return get<bool>(i) ? 1.0L : 0.0L;
    case KEEL_DTYPE_I32: return get<int32_t>(i);
    case KEEL_DTYPE_I64: return static_cast<long double>(get<int64_t>(i));
    case KEEL_DTYPE_F32: return get<float>(i);
    case KEEL_DTYPE_F64: return get<double>(i);
    default: return 0;
  }
}

uint64_t HostTensor::bits(int64_t i) const {
  uint64_t result = 0;
  const size_t size = size_of(dtype);
  std::memcpy(&result, bytes.data() + static_cast<size_t>(i) * size, size);
  return result;
}

}  // namespace keel::reference_test
