#include "layers/ops/dtype_convert.h"

#include <cmath>
#include <cstring>
#include <limits>

namespace keel::conform {
namespace {

template <class T>
T load(const uint8_t* element) {
  T value;
  std::memcpy(&value, element, sizeof(T));
  return value;
}

template <class T>
void store(T value, uint8_t* element) {
  std::memcpy(element, &value, sizeof(T));
}

double f16_to_double(uint16_t bits) {
  const int sign = bits >> 15;
  const int exponent = (bits >> 10) & 0x1f;
  const int mantissa = bits & 0x3ff;
  double value;
  if (exponent == 0x1f) {
    value = mantissa == 0 ? std::numeric_limits<double>::infinity() : std::numeric_limits<double>::quiet_NaN();
  } else if (exponent == 0) {
    value = std::ldexp(mantissa, -24);
  } else {
    value = std::ldexp(mantissa + 1024, exponent - 25);
  }
  return sign ? -value : value;
}

double bf16_to_double(uint16_t bits) {
  const uint32_t widened = uint32_t{bits} << 16;
  float value;
  std::memcpy(&value, &widened, 4);
  return value;
}

// A finite value already rounded to f16 (round_to), encoded.
uint16_t encode_f16(double rounded) {
  const uint16_t sign = std::signbit(rounded) ? 0x8000 : 0;
  const double magnitude = std::fabs(rounded);
  if (std::isinf(magnitude)) return sign | 0x7c00;
  if (magnitude == 0) return sign;
  const int exponent = std::ilogb(magnitude);
  if (exponent < -14) return sign | static_cast<uint16_t>(std::ldexp(magnitude, 24));
  const double mantissa = std::ldexp(magnitude, -exponent) - 1.0;
  return sign | static_cast<uint16_t>((exponent + 15) << 10) | static_cast<uint16_t>(std::ldexp(mantissa, 10));
}

uint64_t double_bits(double value) { return load<uint64_t>(reinterpret_cast<const uint8_t*>(&value)); }

}  // namespace

bool is_float_dtype(keel_dtype_t dtype) {
  return dtype == KEEL_DTYPE_F16 || dtype == KEEL_DTYPE_BF16 || dtype == KEEL_DTYPE_F32 || dtype == KEEL_DTYPE_F64;
}

bool is_integer_dtype(keel_dtype_t dtype) {
  return dtype == KEEL_DTYPE_I8 || dtype == KEEL_DTYPE_U8 || dtype == KEEL_DTYPE_I32 || dtype == KEEL_DTYPE_I64;
}

size_t dtype_bytes(keel_dtype_t dtype) {
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

int mantissa_bits(keel_dtype_t dtype) {
  switch (dtype) {
    case KEEL_DTYPE_F16: return 11;
    case KEEL_DTYPE_BF16: return 8;
    case KEEL_DTYPE_F32: return 24;
    default: return 53;
  }
}

int min_exponent(keel_dtype_t dtype) {
  switch (dtype) {
    case KEEL_DTYPE_F16: return -14;
    case KEEL_DTYPE_BF16:
    case KEEL_DTYPE_F32: return -126;
    default: return -1022;
  }
}

int max_exponent(keel_dtype_t dtype) {
  switch (dtype) {
    case KEEL_DTYPE_F16: return 15;
    case KEEL_DTYPE_BF16:
    case KEEL_DTYPE_F32: return 127;
    default: return 1023;
  }
}

double epsilon_of(keel_dtype_t dtype) { return std::ldexp(1.0, 1 - mantissa_bits(dtype)); }

double smallest_normal_of(keel_dtype_t dtype) { return std::ldexp(1.0, min_exponent(dtype)); }

double largest_finite_of(keel_dtype_t dtype) {
  return std::ldexp(2.0 - std::ldexp(1.0, 1 - mantissa_bits(dtype)), max_exponent(dtype));
}

double ulp_of(keel_dtype_t dtype, double x) {
  if (!std::isfinite(x)) return std::numeric_limits<double>::quiet_NaN();
  const double magnitude = std::fabs(x);
  const int exponent = magnitude == 0 ? min_exponent(dtype) : std::max(std::ilogb(magnitude), min_exponent(dtype));
  return std::ldexp(1.0, exponent - mantissa_bits(dtype) + 1);
}

double round_to(keel_dtype_t dtype, double value) {
  if (!std::isfinite(value) || value == 0 || dtype == KEEL_DTYPE_F64) return value;
  const double quantum = ulp_of(dtype, value);
  const double rounded = std::nearbyint(value / quantum) * quantum;  // the default mode: ties to even
  if (std::fabs(rounded) > largest_finite_of(dtype)) return std::copysign(std::numeric_limits<double>::infinity(), value);
  return rounded == 0 ? std::copysign(0.0, value) : rounded;
}

double read_value(keel_dtype_t dtype, const uint8_t* element) {
  switch (dtype) {
    case KEEL_DTYPE_BOOL: return element[0] != 0 ? 1.0 : 0.0;
    case KEEL_DTYPE_I8: return load<int8_t>(element);
    case KEEL_DTYPE_U8: return load<uint8_t>(element);
    case KEEL_DTYPE_I32: return load<int32_t>(element);
    case KEEL_DTYPE_I64: return static_cast<double>(load<int64_t>(element));
    case KEEL_DTYPE_F16: return f16_to_double(load<uint16_t>(element));
    case KEEL_DTYPE_BF16: return bf16_to_double(load<uint16_t>(element));
    case KEEL_DTYPE_F32: return load<float>(element);
    case KEEL_DTYPE_F64: return load<double>(element);
    default: return std::numeric_limits<double>::quiet_NaN();
  }
}

int64_t read_integer(keel_dtype_t dtype, const uint8_t* element) {
  switch (dtype) {
    case KEEL_DTYPE_BOOL: return element[0] != 0 ? 1 : 0;
    case KEEL_DTYPE_I8: return load<int8_t>(element);
    case KEEL_DTYPE_U8: return load<uint8_t>(element);
    case KEEL_DTYPE_I32: return load<int32_t>(element);
    case KEEL_DTYPE_I64: return load<int64_t>(element);
    default: return static_cast<int64_t>(read_value(dtype, element));
  }
}

void write_value(keel_dtype_t dtype, double value, uint8_t* element) {
  const auto clamp = [&](double low, double high) {
    if (std::isnan(value)) return 0.0;
    return std::trunc(std::fmin(std::fmax(value, low), high));
  };
  switch (dtype) {
    case KEEL_DTYPE_BOOL: element[0] = value != 0 ? 1 : 0; break;
    case KEEL_DTYPE_I8: store(static_cast<int8_t>(clamp(-128, 127)), element); break;
    case KEEL_DTYPE_U8: store(static_cast<uint8_t>(clamp(0, 255)), element); break;
    case KEEL_DTYPE_I32: store(static_cast<int32_t>(clamp(-2147483648.0, 2147483647.0)), element); break;
    case KEEL_DTYPE_I64:
      store(std::isnan(value) ? int64_t{0}
            : value >= 0x1p63 ? std::numeric_limits<int64_t>::max()
            : value < -0x1p63 ? std::numeric_limits<int64_t>::min()
                              : static_cast<int64_t>(std::trunc(value)),
            element);
      break;
    case KEEL_DTYPE_F16:
      store(std::isnan(value) ? uint16_t{0x7e00} : encode_f16(round_to(KEEL_DTYPE_F16, value)), element);
      break;
    case KEEL_DTYPE_BF16: {
      if (std::isnan(value)) {
        store(uint16_t{0x7fc0}, element);
        break;
      }
      const float rounded = static_cast<float>(round_to(KEEL_DTYPE_BF16, value));  // exact in f32
      store(static_cast<uint16_t>(load<uint32_t>(reinterpret_cast<const uint8_t*>(&rounded)) >> 16), element);
      break;
    }
    case KEEL_DTYPE_F32: store(static_cast<float>(round_to(KEEL_DTYPE_F32, value)), element); break;
    case KEEL_DTYPE_F64: store(value, element); break;
    default: break;
  }
}

uint64_t widen_to_f64_bits(keel_dtype_t from, const uint8_t* element) {
  const int payload_bits = mantissa_bits(from) - 1;
  uint64_t bits = 0;
  std::memcpy(&bits, element, dtype_bytes(from));
  const double value = read_value(from, element);
  if (from == KEEL_DTYPE_F64 || !std::isnan(value)) return from == KEEL_DTYPE_F64 ? bits : double_bits(value);
  const int width = static_cast<int>(dtype_bytes(from)) * 8;
  const uint64_t sign = (bits >> (width - 1)) & 1;
  const uint64_t payload = bits & ((uint64_t{1} << payload_bits) - 1);
  return sign << 63 | uint64_t{0x7ff} << 52 | payload << (52 - payload_bits);
}

void narrow_from_f64_bits(keel_dtype_t to, uint64_t bits, uint8_t* element) {
  double value;
  std::memcpy(&value, &bits, 8);
  if (to == KEEL_DTYPE_F64) {
    std::memcpy(element, &bits, 8);
    return;
  }
  if (!is_float_dtype(to) || !std::isnan(value)) {
    write_value(to, value, element);
    return;
  }
  const int payload_bits = mantissa_bits(to) - 1;
  const int exponent_bits = static_cast<int>(dtype_bytes(to)) * 8 - 1 - payload_bits;
  uint64_t payload = (bits & ((uint64_t{1} << 52) - 1)) >> (52 - payload_bits);
  if (payload == 0) payload = uint64_t{1} << (payload_bits - 1);  // a payload that did not fit: stay a NaN
  const uint64_t narrow = (bits >> 63) << (payload_bits + exponent_bits) |
                          ((uint64_t{1} << exponent_bits) - 1) << payload_bits | payload;
  std::memcpy(element, &narrow, dtype_bytes(to));
}

}  // namespace keel::conform
