#include "host_tensor.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace keel::onednn_test {

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
    default: throw std::runtime_error("unexpected dtype " + std::to_string(dtype));
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

int64_t count_of(const Dims& shape) {
  int64_t count = 1;
  for (const int64_t d : shape) count *= d;
  return count;
}

std::string text_of(const Dims& shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i) text += (i ? "," : "") + std::to_string(shape[i]);
  return text + "]";
}

Dims unravel(int64_t linear, const Dims& shape) {
  Dims index(shape.size());
  for (size_t d = shape.size(); d-- > 0;) {
    index[d] = linear % shape[d];
    linear /= shape[d];
  }
  return index;
}

namespace {

struct HalfFormat {
  int exponent_bits;
  int mantissa_bits;
};

HalfFormat format_of(keel_dtype_t dtype) {
  return dtype == KEEL_DTYPE_F16 ? HalfFormat{5, 10} : HalfFormat{8, 7};
}

}  // namespace

long double decode_half(uint16_t bits, keel_dtype_t dtype) {
  const HalfFormat f = format_of(dtype);
  const int bias = (1 << (f.exponent_bits - 1)) - 1;
  const bool negative = (bits >> 15) != 0;
  const int exponent = (bits >> f.mantissa_bits) & ((1 << f.exponent_bits) - 1);
  const int mantissa = bits & ((1 << f.mantissa_bits) - 1);
  long double value;
  if (exponent == (1 << f.exponent_bits) - 1) {
    value = mantissa != 0 ? std::numeric_limits<long double>::quiet_NaN() : std::numeric_limits<long double>::infinity();
  } else if (exponent == 0) {
    value = std::ldexp(static_cast<long double>(mantissa), 1 - bias - f.mantissa_bits);
  } else {
    value = std::ldexp(static_cast<long double>(mantissa + (1 << f.mantissa_bits)), exponent - bias - f.mantissa_bits);
  }
  return negative ? -value : value;
}

// The nearest encoding, ties to the even one, found by scanning the ordered positive encodings (binary search
// over magnitudes; the encodings of one sign are monotonic in value).
uint16_t encode_half(long double value, keel_dtype_t dtype) {
  const HalfFormat f = format_of(dtype);
  const uint16_t inf_bits = static_cast<uint16_t>(((1 << f.exponent_bits) - 1) << f.mantissa_bits);
  if (std::isnan(value)) return static_cast<uint16_t>(inf_bits | (1 << (f.mantissa_bits - 1)));
  const uint16_t sign = std::signbit(value) ? 0x8000 : 0;
  const long double magnitude = std::fabs(value);
  // Largest encoding with decoded value <= magnitude (among finite ones, then inf).
  uint16_t low = 0;
  uint16_t high = inf_bits;  // inf
  while (high - low > 1) {
    const uint16_t mid = static_cast<uint16_t>((low + high) / 2);
    if (decode_half(mid, dtype) <= magnitude) low = mid;
    else high = mid;
  }
  uint16_t result;
  if (decode_half(high, dtype) <= magnitude) {
    result = high;  // inf
  } else {
    const long double below = decode_half(low, dtype);
    // The value one step past the largest finite number stands in for inf when rounding to it.
    const long double above = high == inf_bits
                                  ? 2 * decode_half(static_cast<uint16_t>(inf_bits - 1), dtype) -
                                        decode_half(static_cast<uint16_t>(inf_bits - 2), dtype)
                                  : decode_half(high, dtype);
    const long double to_low = magnitude - below;
    const long double to_high = above - magnitude;
    if (to_low < to_high) result = low;
    else if (to_high < to_low) result = high;
    else result = (low & 1) == 0 ? low : high;
  }
  return static_cast<uint16_t>(sign | result);
}

HostTensor HostTensor::zeros(keel_dtype_t dtype, const Dims& shape) {
  HostTensor t;
  t.dtype = dtype;
  t.shape = shape;
  t.bytes.assign(static_cast<size_t>(count_of(shape)) * size_of(dtype), std::byte{0});
  return t;
}

uint64_t HostTensor::bits(int64_t i) const {
  uint64_t word = 0;
  std::memcpy(&word, bytes.data() + static_cast<size_t>(i) * size_of(dtype), size_of(dtype));
  return word;
}

void HostTensor::set_bits(int64_t i, uint64_t word) {
  std::memcpy(bytes.data() + static_cast<size_t>(i) * size_of(dtype), &word, size_of(dtype));
}

long double HostTensor::get(int64_t i) const {
  const std::byte* p = bytes.data() + static_cast<size_t>(i) * size_of(dtype);
  switch (dtype) {
    case KEEL_DTYPE_BOOL: return std::to_integer<uint8_t>(*p) != 0 ? 1 : 0;
    case KEEL_DTYPE_I8: return static_cast<int8_t>(std::to_integer<uint8_t>(*p));
    case KEEL_DTYPE_U8: return std::to_integer<uint8_t>(*p);
    case KEEL_DTYPE_I32: { int32_t v; std::memcpy(&v, p, 4); return v; }
    case KEEL_DTYPE_I64: { int64_t v; std::memcpy(&v, p, 8); return static_cast<long double>(v); }
    case KEEL_DTYPE_F32: { float v; std::memcpy(&v, p, 4); return v; }
    case KEEL_DTYPE_F64: { double v; std::memcpy(&v, p, 8); return v; }
    case KEEL_DTYPE_F16:
    case KEEL_DTYPE_BF16: { uint16_t v; std::memcpy(&v, p, 2); return decode_half(v, dtype); }
    default: throw std::runtime_error("get: unexpected dtype");
  }
}

void HostTensor::set(int64_t i, long double value) {
  std::byte* p = bytes.data() + static_cast<size_t>(i) * size_of(dtype);
  switch (dtype) {
    case KEEL_DTYPE_BOOL: *p = value != 0 ? std::byte{1} : std::byte{0}; break;
    case KEEL_DTYPE_I8:
    case KEEL_DTYPE_U8: *p = static_cast<std::byte>(static_cast<int64_t>(value) & 0xff); break;
    case KEEL_DTYPE_I32: { const int32_t v = static_cast<int32_t>(value); std::memcpy(p, &v, 4); break; }
    case KEEL_DTYPE_I64: { const int64_t v = static_cast<int64_t>(value); std::memcpy(p, &v, 8); break; }
    case KEEL_DTYPE_F32: { const float v = static_cast<float>(value); std::memcpy(p, &v, 4); break; }
    case KEEL_DTYPE_F64: { const double v = static_cast<double>(value); std::memcpy(p, &v, 8); break; }
    case KEEL_DTYPE_F16:
    case KEEL_DTYPE_BF16: { const uint16_t v = encode_half(value, dtype); std::memcpy(p, &v, 2); break; }
    default: throw std::runtime_error("set: unexpected dtype");
  }
}

HostTensor HostTensor::converted(keel_dtype_t to) const {
  if (is_absent()) return *this;
  HostTensor out = zeros(to, shape);
  for (int64_t i = 0; i < count(); ++i) out.set(i, get(i));
  return out;
}

HostTensor HostTensor::absolute() const {
  HostTensor out = *this;
  if (is_absent()) return out;
  for (int64_t i = 0; i < count(); ++i) out.set(i, std::fabs(get(i)));
  return out;
}

HostTensor random_tensor(keel_dtype_t dtype, const Dims& shape, Values values, std::mt19937_64& rng) {
  HostTensor t = HostTensor::zeros(dtype, shape);
  std::uniform_real_distribution<double> unit(-4.0, 4.0);
  std::uniform_int_distribution<int> small(-50, 50);
  std::uniform_int_distribution<int> pick(0, 15);
  const long double inf = std::numeric_limits<long double>::infinity();
  const long double specials[] = {std::numeric_limits<long double>::quiet_NaN(), inf, -inf, 0.0L, -0.0L,
                                  1e-40L, -3e-42L, 3e38L, -2.5e38L, 1e-300L, 88.5L, -103.0L, 0.5L, -1.0L};
  for (int64_t i = 0; i < t.count(); ++i) {
    long double v;
    if (values == Values::kBool) {
      v = pick(rng) & 1;
    } else if (is_float(dtype)) {
      v = values == Values::kPositive ? 0.125 + std::fabs(unit(rng)) * 0.97 : unit(rng);
      if (values == Values::kSpecial && pick(rng) < 5) {
        v = specials[static_cast<size_t>(pick(rng)) % std::size(specials)];
      }
    } else {
      v = values == Values::kPositive ? 1 + std::abs(small(rng)) : small(rng);
      if (values == Values::kSpecial && pick(rng) < 3) {
        const bool wide = dtype == KEEL_DTYPE_I64;
        const long double max = wide ? static_cast<long double>(std::numeric_limits<int64_t>::max())
                                     : std::numeric_limits<int32_t>::max();
        const long double min = wide ? static_cast<long double>(std::numeric_limits<int64_t>::min())
                                     : std::numeric_limits<int32_t>::min();
        const long double extremes[] = {max, min, min + 1, max - 1, 0, -1};
        v = extremes[static_cast<size_t>(pick(rng)) % std::size(extremes)];
      }
    }
    t.set(i, v);
  }
  return t;
}

}  // namespace keel::onednn_test
