#include "harness/host_values.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "gpu/numeric.h"

namespace keel::cuda_test {

using keel::cuda::BFloat16;
using keel::cuda::Bool;
using keel::cuda::convert;
using keel::cuda::Half;

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

size_t size_of(keel_dtype_t dtype) {
  switch (dtype) {
    case KEEL_DTYPE_BOOL: return 1;
    case KEEL_DTYPE_F16:
    case KEEL_DTYPE_BF16: return 2;
    case KEEL_DTYPE_I32:
    case KEEL_DTYPE_F32: return 4;
    default: return 8;
  }
}

const char* name_of(keel_dtype_t dtype) {
  switch (dtype) {
    case KEEL_DTYPE_BOOL: return "bool";
    case KEEL_DTYPE_I32: return "i32";
    case KEEL_DTYPE_I64: return "i64";
    case KEEL_DTYPE_F16: return "f16";
    case KEEL_DTYPE_BF16: return "bf16";
    case KEEL_DTYPE_F32: return "f32";
    case KEEL_DTYPE_F64: return "f64";
    default: return "?";
  }
}

bool is_float(keel_dtype_t dtype) {
  return dtype == KEEL_DTYPE_F16 || dtype == KEEL_DTYPE_BF16 || dtype == KEEL_DTYPE_F32 || dtype == KEEL_DTYPE_F64;
}

void encode(keel_dtype_t dtype, double x, std::byte* out) {
  const auto put = [&](auto value) { std::memcpy(out, &value, sizeof value); };
  switch (dtype) {
    case KEEL_DTYPE_BOOL: put(convert<Bool>(x).value); break;
    case KEEL_DTYPE_I32: put(convert<int32_t>(x)); break;
    case KEEL_DTYPE_I64: put(convert<int64_t>(x)); break;
    case KEEL_DTYPE_F16: put(convert<Half>(x).bits); break;
    case KEEL_DTYPE_BF16: put(convert<BFloat16>(x).bits); break;
    case KEEL_DTYPE_F32: put(convert<float>(x)); break;
    default: put(x); break;
  }
}

double decode(keel_dtype_t dtype, const std::byte* in) {
  const auto get = [&](auto value) {
    std::memcpy(&value, in, sizeof value);
    return value;
  };
  switch (dtype) {
    case KEEL_DTYPE_BOOL: return get(uint8_t{}) != 0 ? 1.0 : 0.0;
    case KEEL_DTYPE_I32: return get(int32_t{});
    case KEEL_DTYPE_I64: return static_cast<double>(get(int64_t{}));
    case KEEL_DTYPE_F16: return keel::cuda::half_to_float(Half{get(uint16_t{})});
    case KEEL_DTYPE_BF16: return keel::cuda::bfloat16_to_float(BFloat16{get(uint16_t{})});
    case KEEL_DTYPE_F32: return get(float{});
    default: return get(double{});
  }
}

uint64_t bits_at(keel_dtype_t dtype, const std::byte* in) {
  uint64_t bits = 0;
  std::memcpy(&bits, in, size_of(dtype));
  return bits;
}

double round_to(keel_dtype_t dtype, double x) {
  std::byte bytes[8];
  encode(dtype, x, bytes);
  return decode(dtype, bytes);
}

namespace {

struct FloatFormat {
  int precision;
  int min_exponent;  // of normal numbers
};

FloatFormat format_of(keel_dtype_t dtype) {
  switch (dtype) {
    case KEEL_DTYPE_F16: return {11, -14};
    case KEEL_DTYPE_BF16: return {8, -126};
    case KEEL_DTYPE_F32: return {24, -126};
    default: return {53, -1022};
  }
}

}  // namespace

double ulp_of(keel_dtype_t dtype, double x) {
  const FloatFormat format = format_of(dtype);
  int exponent = 0;
  (void)std::frexp(x, &exponent);  // |x| in [2^(exponent-1), 2^exponent)
  const int binade = x == 0 || !std::isfinite(x) ? format.min_exponent : std::max(exponent - 1, format.min_exponent);
  return std::ldexp(1.0, binade - format.precision + 1);
}

double epsilon_of(keel_dtype_t dtype) { return std::ldexp(1.0, 1 - format_of(dtype).precision); }

double smallest_normal_of(keel_dtype_t dtype) { return std::ldexp(1.0, format_of(dtype).min_exponent); }

double largest_of(keel_dtype_t dtype) {
  switch (dtype) {
    case KEEL_DTYPE_F16: return 65504.0;
    case KEEL_DTYPE_BF16: return 3.3895313892515355e38;
    case KEEL_DTYPE_F32: return std::numeric_limits<float>::max();
    default: return std::numeric_limits<double>::max();
  }
}

double Generator::special(keel_dtype_t dtype) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  if (dtype == KEEL_DTYPE_I32) {
    const double values[] = {0, 1, -1, 2147483647.0, -2147483648.0, 12345};
    return values[engine_() % 6];
  }
  if (dtype == KEEL_DTYPE_I64) {
    const double values[] = {0, 1, -1, 9007199254740992.0, -9007199254740992.0, 4096};
    return values[engine_() % 6];
  }
  const double values[] = {0.0, -0.0, 1.0, -1.0, kInf, -kInf, std::nan(""), smallest_normal_of(dtype) / 4,
                           -smallest_normal_of(dtype), largest_of(dtype), 0.5, 88.0, -104.0, 1e-3};
  return round_to(dtype, values[engine_() % 14]);
}

HostValues Generator::make(keel_dtype_t dtype, const Dims& shape, Domain domain) {
  HostValues tensor{dtype, shape, {}};
  std::normal_distribution<double> normal(0.0, 2.0);
  std::uniform_int_distribution<int> small(-8, 8);
  for (int64_t i = 0; i < tensor.count(); ++i) {
    double x = 0;
    switch (domain) {
      case Domain::kAny:
        x = engine_() % 5 == 0 ? special(dtype) : (is_float(dtype) ? normal(engine_) : small(engine_) * 1000.0 + i);
        break;
      case Domain::kFinite: x = is_float(dtype) ? normal(engine_) : small(engine_) * 1000.0 + i; break;
      case Domain::kPositive: x = std::fabs(normal(engine_)) + 0.01; break;
      case Domain::kSmallInts: x = small(engine_); break;
      case Domain::kBool: x = engine_() % 2; break;
    }
    if (dtype == KEEL_DTYPE_BOOL) x = x != 0 ? 1 : 0;
    tensor.values.push_back(round_to(dtype, x));
  }
  return tensor;
}

}  // namespace keel::cuda_test
