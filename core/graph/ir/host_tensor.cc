#include "graph/ir/host_tensor.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

#include "keel/keel.hpp"

namespace keel::graph {
namespace {

[[noreturn]] void invalid(const std::string& message) {
  throw Error(KEEL_STATUS_INVALID_ARGUMENT, "tensor: " + message, "keel");
}

size_t checked_bytes(keel_dtype_t dtype, const std::vector<int64_t>& shape, int64_t* numel) {
  if (shape.size() > KEEL_MAX_RANK) invalid("rank " + std::to_string(shape.size()) + " is above KEEL_MAX_RANK");
  const size_t element = dtype_bytes(dtype);
  if (element == 0) invalid("unknown dtype " + std::to_string(dtype));
  for (int64_t d : shape) {
    if (d < 0) invalid("negative dimension in " + format_shape(shape));
  }
  const int64_t count = element_count(shape);
  uint64_t bytes = 0;
  if (count < 0 || __builtin_mul_overflow(static_cast<uint64_t>(count), element, &bytes) ||
      bytes > (uint64_t{1} << 40)) {
    invalid("shape " + format_shape(shape) + " is too large");
  }
  *numel = count;
  return static_cast<size_t>(bytes);
}

template <class T>
T saturate(double value) {
  if (std::isnan(value)) return 0;
  if (value <= static_cast<double>(std::numeric_limits<T>::min())) return std::numeric_limits<T>::min();
  if (value >= static_cast<double>(std::numeric_limits<T>::max())) return std::numeric_limits<T>::max();
  return static_cast<T>(value);
}

}  // namespace

float half_to_float(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t exp = (h >> 10) & 0x1fu;
  uint32_t mant = h & 0x3ffu;
  uint32_t bits;
  if (exp == 0) {
    if (mant == 0) {
      bits = sign;
    } else {  // subnormal: normalize
      int e = -1;
      do {
        ++e;
        mant <<= 1;
      } while ((mant & 0x400u) == 0);
      bits = sign | static_cast<uint32_t>(127 - 15 - e) << 23 | (mant & 0x3ffu) << 13;
    }
  } else if (exp == 31) {
    bits = sign | 0x7f800000u | mant << 13;
  } else {
    bits = sign | (exp + 127 - 15) << 23 | mant << 13;
  }
  return std::bit_cast<float>(bits);
}

uint16_t float_to_half(float value) {
  const uint32_t f = std::bit_cast<uint32_t>(value);
  const uint32_t sign = (f >> 16) & 0x8000u;
  const uint32_t abs = f & 0x7fffffffu;
  if (abs >= 0x7f800000u) return static_cast<uint16_t>(sign | 0x7c00u | (abs > 0x7f800000u ? 0x200u : 0));
  if (abs >= 0x477ff000u) return static_cast<uint16_t>(sign | 0x7c00u);  // rounds to infinity
  if (abs < 0x38800000u) {  // subnormal or zero in half
    const float magic = std::bit_cast<float>(0x3f000000u);  // 0.5: aligns the mantissa so adding rounds
    const float scaled = std::bit_cast<float>(abs) + magic;
    return static_cast<uint16_t>(sign | (std::bit_cast<uint32_t>(scaled) - 0x3f000000u));
  }
  const uint32_t mant_odd = (abs >> 13) & 1u;
  uint32_t rounded = abs + 0xc8000fffu + mant_odd;  // rebias exponent (-112 << 23) and round half to even
  return static_cast<uint16_t>(sign | (rounded >> 13));
}

float bfloat_to_float(uint16_t bits) { return std::bit_cast<float>(static_cast<uint32_t>(bits) << 16); }

uint16_t float_to_bfloat(float value) {
  uint32_t f = std::bit_cast<uint32_t>(value);
  if ((f & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((f >> 16) | 0x40u);  // quiet NaN
  f += 0x7fffu + ((f >> 16) & 1u);
  return static_cast<uint16_t>(f >> 16);
}

HostTensor::HostTensor(keel_dtype_t dtype, std::vector<int64_t> shape) : dtype_(dtype), shape_(std::move(shape)) {
  bytes_.assign(checked_bytes(dtype_, shape_, &numel_), 0);
}

HostTensor::HostTensor(keel_dtype_t dtype, std::vector<int64_t> shape, std::vector<uint8_t> bytes)
    : dtype_(dtype), shape_(std::move(shape)), bytes_(std::move(bytes)) {
  const size_t expected = checked_bytes(dtype_, shape_, &numel_);
  if (bytes_.size() != expected) {
    invalid(std::to_string(bytes_.size()) + " bytes given for " + format_type(type()) + ", which needs " +
            std::to_string(expected));
  }
}

HostTensor HostTensor::from_ints(std::span<const int64_t> values) {
  HostTensor t(KEEL_DTYPE_I64, {static_cast<int64_t>(values.size())});
  std::memcpy(t.data(), values.data(), values.size_bytes());
  return t;
}

HostTensor HostTensor::scalar(keel_dtype_t dtype, double value) {
  HostTensor t(dtype, {});
  t.set(0, value);
  return t;
}

double HostTensor::get(int64_t i) const {
  switch (dtype_) {
    case KEEL_DTYPE_BOOL: return as<uint8_t>()[i] != 0 ? 1.0 : 0.0;
    case KEEL_DTYPE_I8: return as<int8_t>()[i];
    case KEEL_DTYPE_U8: return as<uint8_t>()[i];
    case KEEL_DTYPE_I32: return as<int32_t>()[i];
    case KEEL_DTYPE_I64: return static_cast<double>(as<int64_t>()[i]);
    case KEEL_DTYPE_F16: return half_to_float(as<uint16_t>()[i]);
    case KEEL_DTYPE_BF16: return bfloat_to_float(as<uint16_t>()[i]);
    case KEEL_DTYPE_F32: return as<float>()[i];
    case KEEL_DTYPE_F64: return as<double>()[i];
    default: return 0;
  }
}

int64_t HostTensor::get_int(int64_t i) const {
  switch (dtype_) {
    case KEEL_DTYPE_I32: return as<int32_t>()[i];
    case KEEL_DTYPE_I64: return as<int64_t>()[i];
    default: return saturate<int64_t>(get(i));
  }
}

void HostTensor::set(int64_t i, double value) {
  switch (dtype_) {
    case KEEL_DTYPE_BOOL: as<uint8_t>()[i] = value != 0 ? 1 : 0; break;
    case KEEL_DTYPE_I8: as<int8_t>()[i] = saturate<int8_t>(value); break;
    case KEEL_DTYPE_U8: as<uint8_t>()[i] = saturate<uint8_t>(value); break;
    case KEEL_DTYPE_I32: as<int32_t>()[i] = saturate<int32_t>(value); break;
    case KEEL_DTYPE_I64: as<int64_t>()[i] = saturate<int64_t>(value); break;
    case KEEL_DTYPE_F16: as<uint16_t>()[i] = float_to_half(static_cast<float>(value)); break;
    case KEEL_DTYPE_BF16: as<uint16_t>()[i] = float_to_bfloat(static_cast<float>(value)); break;
    case KEEL_DTYPE_F32: as<float>()[i] = static_cast<float>(value); break;
    case KEEL_DTYPE_F64: as<double>()[i] = value; break;
    default: break;
  }
}

void HostTensor::set_int(int64_t i, int64_t value) {
  switch (dtype_) {
    case KEEL_DTYPE_I32: as<int32_t>()[i] = static_cast<int32_t>(value); break;
    case KEEL_DTYPE_I64: as<int64_t>()[i] = value; break;
    default: set(i, static_cast<double>(value)); break;
  }
}

std::vector<int64_t> HostTensor::to_ints() const {
  std::vector<int64_t> values(static_cast<size_t>(numel_));
  for (int64_t i = 0; i < numel_; ++i) values[static_cast<size_t>(i)] = get_int(i);
  return values;
}

std::vector<double> HostTensor::to_doubles() const {
  std::vector<double> values(static_cast<size_t>(numel_));
  for (int64_t i = 0; i < numel_; ++i) values[static_cast<size_t>(i)] = get(i);
  return values;
}

}  // namespace keel::graph
