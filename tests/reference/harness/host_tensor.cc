#include "host_tensor.h"

#include <cmath>
#include <limits>

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
    case KEEL_DTYPE_I8: return "i8";
    case KEEL_DTYPE_U8: return "u8";
    case KEEL_DTYPE_I32: return "i32";
    case KEEL_DTYPE_I64: return "i64";
    case KEEL_DTYPE_F16: return "f16";
    case KEEL_DTYPE_BF16: return "bf16";
    case KEEL_DTYPE_F32: return "f32";
    case KEEL_DTYPE_F64: return "f64";
    default: return "dtype" + std::to_string(dtype);
  }
}

bool is_float(keel_dtype_t dtype) {
  return dtype == KEEL_DTYPE_F16 || dtype == KEEL_DTYPE_BF16 || dtype == KEEL_DTYPE_F32 || dtype == KEEL_DTYPE_F64;
}

namespace {

// A binary float format: significand digits (the implicit bit included) and exponent range, with values
// written m · 2^e, m in [1, 2) for normal numbers (as std::ilogb counts).
struct FloatFormat {
  int digits;
  int min_exponent;  // of the normal numbers
  int max_exponent;
  int fraction_bits() const { return digits - 1; }
};

FloatFormat format_of(keel_dtype_t dtype) {
  switch (dtype) {
    case KEEL_DTYPE_F16: return {11, -14, 15};
    case KEEL_DTYPE_BF16: return {8, -126, 127};
    case KEEL_DTYPE_F32: return {24, -126, 127};
    default: return {53, -1022, 1023};
  }
}

}  // namespace

long double round_to(long double x, keel_dtype_t dtype) {
  if (std::isnan(x) || std::isinf(x) || x == 0) return x;
  const FloatFormat f = format_of(dtype);
  // The last place of the result: 2^(e - fraction_bits), with e clamped to the normal range from below.
  int e = std::ilogb(x);
  if (e < f.min_exponent) e = f.min_exponent;
  const int last_place = e - f.fraction_bits();
  const long double rounded = std::ldexp(std::nearbyint(std::ldexp(x, -last_place)), last_place);
  const long double largest = std::ldexp(2.0L - std::ldexp(1.0L, -f.fraction_bits()), f.max_exponent);
  if (std::fabs(rounded) > largest) return std::copysign(std::numeric_limits<long double>::infinity(), x);
  return rounded == 0 ? std::copysign(0.0L, x) : rounded;
}

long double decode_16(uint16_t bits, keel_dtype_t dtype) {
  const FloatFormat f = format_of(dtype);
  const int exponent_bits = 15 - f.fraction_bits();
  const unsigned fraction = bits & ((1u << f.fraction_bits()) - 1);
  const unsigned exponent = (bits >> f.fraction_bits()) & ((1u << exponent_bits) - 1);
  const long double sign = (bits & 0x8000u) != 0 ? -1.0L : 1.0L;
  if (exponent == (1u << exponent_bits) - 1) {
    return fraction == 0 ? sign * std::numeric_limits<long double>::infinity()
                         : std::numeric_limits<long double>::quiet_NaN();
  }
  if (exponent == 0) return sign * std::ldexp(static_cast<long double>(fraction), f.min_exponent - f.fraction_bits());
  return sign * std::ldexp(static_cast<long double>(fraction + (1u << f.fraction_bits())),
                           static_cast<int>(exponent) - f.max_exponent - f.fraction_bits());
}

uint16_t encode_16(long double x, keel_dtype_t dtype) {
  const FloatFormat f = format_of(dtype);
  const int exponent_bits = 15 - f.fraction_bits();
  const uint16_t infinity = static_cast<uint16_t>(((1u << exponent_bits) - 1) << f.fraction_bits());
  if (std::isnan(x)) return infinity | static_cast<uint16_t>(1u << (f.fraction_bits() - 1));
  const uint16_t sign = std::signbit(x) ? 0x8000 : 0;
  const long double v = std::fabs(round_to(x, dtype));
  if (std::isinf(v)) return sign | infinity;
  if (v == 0) return sign;
  const int e = std::ilogb(v);
  if (e < f.min_exponent) {  // subnormal: the fraction counts units of the smallest subnormal
    return sign | static_cast<uint16_t>(std::ldexp(v, f.fraction_bits() - f.min_exponent));
  }
  const auto fraction = static_cast<unsigned>(std::ldexp(v, f.fraction_bits() - e)) - (1u << f.fraction_bits());
  const auto biased = static_cast<unsigned>(e + f.max_exponent);
  return sign | static_cast<uint16_t>((biased << f.fraction_bits()) | fraction);
}

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
    case KEEL_DTYPE_I8: return get<int8_t>(i);
    case KEEL_DTYPE_U8: return get<uint8_t>(i);
    case KEEL_DTYPE_I32: return get<int32_t>(i);
    case KEEL_DTYPE_F16:
    case KEEL_DTYPE_BF16: return decode_16(get<uint16_t>(i), dtype);
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
