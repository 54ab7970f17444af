#include "numeric.h"

#include <cmath>
#include <limits>
#include <sstream>

namespace keel::reference_test {
namespace {

// At most this many mismatches are described in a failure.
constexpr int kReported = 8;

// "12.5 (bits 0x...)": element i of a tensor.
std::string describe(const HostTensor& got, int64_t i) {
  std::ostringstream text;
  text.precision(21);
  text << got.value(i);
  if (is_float(got.dtype)) text << " (bits 0x" << std::hex << got.bits(i) << std::dec << ")";
  return text.str();
}

// "element 4 [1,0]: "
std::string where(const HostTensor& got, int64_t i) {
  return "element " + std::to_string(i) + " " + text_of(unravel(i, got.shape)) + ": ";
}

long double round_to_dtype(long double x, keel_dtype_t dtype) { return round_to(x, dtype); }

testing::AssertionResult shapes_match(const HostTensor& got, size_t ref_count) {
  if (static_cast<size_t>(got.count()) != ref_count) {
    return testing::AssertionFailure() << "got " << got.count() << " elements, the reference has " << ref_count;
  }
  return testing::AssertionSuccess();
}

}  // namespace

int digits_of(keel_dtype_t dtype) {
  switch (dtype) {
    case KEEL_DTYPE_F16: return 11;
    case KEEL_DTYPE_BF16: return 8;
    case KEEL_DTYPE_F32: return 24;
    default: return 53;
  }
}

// The frexp exponent of the smallest normal number (std::numeric_limits' min_exponent).
int min_exponent_of(keel_dtype_t dtype) {
  switch (dtype) {
    case KEEL_DTYPE_F16: return -13;
    case KEEL_DTYPE_BF16:
    case KEEL_DTYPE_F32: return -125;
    default: return -1021;
  }
}

long double epsilon_of(keel_dtype_t dtype) { return std::ldexp(1.0L, 1 - digits_of(dtype)); }

long double smallest_normal_of(keel_dtype_t dtype) { return std::ldexp(1.0L, min_exponent_of(dtype) - 1); }

long double largest_of(keel_dtype_t dtype) {
  switch (dtype) {
    case KEEL_DTYPE_F16: return 65504.0L;
    case KEEL_DTYPE_BF16: return std::ldexp(255.0L, 120);
    case KEEL_DTYPE_F32: return std::numeric_limits<float>::max();
    default: return std::numeric_limits<double>::max();
  }
}

long double ulp_of(long double x, keel_dtype_t dtype) {
  const int digits = digits_of(dtype);
  const int min_exponent = min_exponent_of(dtype);
  // |x| in [2^(e-1), 2^e) has spacing 2^(e - digits); below the normal range the spacing stays that of the
  // smallest normal binade.
  int exponent = 0;
  std::frexp(std::fabs(x), &exponent);
  if (x == 0 || exponent < min_exponent) exponent = min_exponent;
  return std::ldexp(1.0L, exponent - digits);
}

testing::AssertionResult within_ulps(const HostTensor& got, const std::vector<long double>& ref, double ulps) {
  if (auto sizes = shapes_match(got, ref.size()); !sizes) return sizes;
  testing::AssertionResult result = testing::AssertionSuccess();
  int failures = 0;
  for (int64_t i = 0; i < got.count(); ++i) {
    const long double y = got.value(i);
    const long double r = ref[static_cast<size_t>(i)];
    const long double r_in_dtype = round_to_dtype(r, got.dtype);
    bool ok = false;
    long double distance = 0;
    if (std::isnan(r)) {
      ok = std::isnan(y);
    } else if (std::isinf(r_in_dtype)) {
      ok = y == r_in_dtype;  // infinities, and finite results that overflow the dtype, match exactly
    } else {
      distance = std::fabs(y - r) / ulp_of(r, got.dtype);
      ok = !std::isnan(y) && distance <= ulps;
    }
    if (!ok && failures++ < kReported) {
      if (result) result = testing::AssertionFailure();
      result << "\n  " << where(got, i) << "got " << describe(got, i) << ", reference " << static_cast<double>(r)
             << " (" << distance << " ulp; allowed " << ulps << ")";
    }
  }
  if (failures > kReported) result << "\n  ... " << failures << " mismatches in all";
  return result;
}

testing::AssertionResult exactly(const HostTensor& got, const HostTensor& expected) {
  if (got.dtype != expected.dtype) {
    return testing::AssertionFailure() << "got dtype " << name_of(got.dtype) << ", expected "
                                       << name_of(expected.dtype);
  }
  if (got.shape != expected.shape) {
    return testing::AssertionFailure() << "got shape " << text_of(got.shape) << ", expected "
                                       << text_of(expected.shape);
  }
  testing::AssertionResult result = testing::AssertionSuccess();
  int failures = 0;
  for (int64_t i = 0; i < got.count(); ++i) {
    bool ok = got.bits(i) == expected.bits(i);
    if (is_float(got.dtype)) ok = ok || (std::isnan(got.value(i)) && std::isnan(expected.value(i)));
    if (got.dtype == KEEL_DTYPE_BOOL) ok = got.get<bool>(i) == expected.get<bool>(i) && got.bits(i) <= 1;
    if (!ok && failures++ < kReported) {
      if (result) result = testing::AssertionFailure();
      result << "\n  " << where(got, i) << "got " << describe(got, i) << ", expected " << describe(expected, i);
    }
  }
  if (failures > kReported) result << "\n  ... " << failures << " mismatches in all";
  return result;
}

testing::AssertionResult bitwise(const HostTensor& got, const HostTensor& expected) {
  if (got.dtype != expected.dtype || got.shape != expected.shape) {
    return testing::AssertionFailure() << "got " << name_of(got.dtype) << text_of(got.shape) << ", expected "
                                       << name_of(expected.dtype) << text_of(expected.shape);
  }
  testing::AssertionResult result = testing::AssertionSuccess();
  int failures = 0;
  for (int64_t i = 0; i < got.count(); ++i) {
    if (got.bits(i) != expected.bits(i) && failures++ < kReported) {
      if (result) result = testing::AssertionFailure();
      result << "\n  " << where(got, i) << "got " << describe(got, i) << ", expected bits 0x" << std::hex
             << expected.bits(i) << std::dec;
    }
  }
  if (failures > kReported) result << "\n  ... " << failures << " mismatches in all";
  return result;
}

testing::AssertionResult within_bounds(const HostTensor& got, const std::vector<long double>& ref,
                                       const std::vector<long double>& bound) {
  if (auto sizes = shapes_match(got, ref.size()); !sizes) return sizes;
  testing::AssertionResult result = testing::AssertionSuccess();
  int failures = 0;
  const long double floor = smallest_normal_of(got.dtype);
  for (int64_t i = 0; i < got.count(); ++i) {
    const long double y = got.value(i);
    const long double r = ref[static_cast<size_t>(i)];
    const long double allowed = bound[static_cast<size_t>(i)] + floor;
    bool ok = false;
    if (std::isnan(r)) {
      ok = std::isnan(y);
    } else if (std::isinf(r) || std::isinf(round_to(r, got.dtype))) {
      ok = y == round_to(r, got.dtype);  // infinities, and finite results beyond the dtype's range, exactly
    } else {
      ok = std::fabs(y - r) <= allowed;
    }
    if (!ok && failures++ < kReported) {
      if (result) result = testing::AssertionFailure();
      result << "\n  " << where(got, i) << "got " << describe(got, i) << ", reference " << static_cast<double>(r)
             << " (off by " << static_cast<double>(std::fabs(y - r)) << "; allowed " << static_cast<double>(allowed)
             << ")";
    }
  }
  if (failures > kReported) result << "\n  ... " << failures << " mismatches in all";
  return result;
}

HostTensor rounded(keel_dtype_t dtype, const Dims& shape, const std::vector<long double>& values) {
  return tensor_of(dtype, shape, values);
}

HostTensor tensor_of(keel_dtype_t dtype, const Dims& shape, const std::vector<long double>& values) {
  HostTensor tensor = HostTensor::zeros(dtype, shape);
  for (size_t i = 0; i < values.size(); ++i) {
    const auto index = static_cast<int64_t>(i);
    const long double v = values[i];
    switch (dtype) {
      // Integers: the value's low bits (an integer given beyond the dtype's range wraps).
      case KEEL_DTYPE_BOOL: tensor.set<bool>(index, v != 0); break;
      case KEEL_DTYPE_I8: tensor.set<int8_t>(index, static_cast<int8_t>(static_cast<int64_t>(v))); break;
      case KEEL_DTYPE_U8: tensor.set<uint8_t>(index, static_cast<uint8_t>(static_cast<int64_t>(v))); break;
      case KEEL_DTYPE_I32: tensor.set<int32_t>(index, static_cast<int32_t>(static_cast<int64_t>(v))); break;
      case KEEL_DTYPE_I64: tensor.set<int64_t>(index, static_cast<int64_t>(v)); break;
      case KEEL_DTYPE_F16:
      case KEEL_DTYPE_BF16: tensor.set<uint16_t>(index, encode_16(v, dtype)); break;
      case KEEL_DTYPE_F32: tensor.set<float>(index, static_cast<float>(v)); break;
      case KEEL_DTYPE_F64: tensor.set<double>(index, static_cast<double>(v)); break;
      default: break;
    }
  }
  return tensor;
}

HostTensor Random::tensor(keel_dtype_t dtype, const Dims& shape, double low, double high) {
  std::vector<long double> values(static_cast<size_t>(count_of(shape)));
  for (long double& v : values) {
    if (dtype == KEEL_DTYPE_BOOL) {
      v = static_cast<long double>(integer(0, 1));
    } else if (is_float(dtype)) {
      v = uniform(low, high);
    } else {
      v = static_cast<long double>(integer(static_cast<int64_t>(low), static_cast<int64_t>(high)));
    }
  }
  return tensor_of(dtype, shape, values);
}

std::vector<long double> special_values(keel_dtype_t dtype) {
  switch (dtype) {
    case KEEL_DTYPE_BOOL: return {0, 1};
    case KEEL_DTYPE_I32: {
      using L = std::numeric_limits<int32_t>;
      return {0, 1, -1, 2, -3, 7, L::min(), L::min() + 1, L::max(), L::max() - 1, 1 << 16, -(1 << 16)};
    }
    case KEEL_DTYPE_I64: {
      using L = std::numeric_limits<int64_t>;
      return {0,
              1,
              -1,
              2,
              -3,
              7,
              static_cast<long double>(L::min()),
              static_cast<long double>(L::min() + 1),
              static_cast<long double>(L::max()),
              static_cast<long double>(L::max() - 1),
              4294967296.0L,
              -4294967296.0L};
    }
    case KEEL_DTYPE_I8: return {0, 1, -1, 2, -3, 7, -128, -127, 127, 126, 64, -64};
    case KEEL_DTYPE_U8: return {0, 1, 2, 3, 7, 127, 128, 254, 255, 64, 16, 200};
    case KEEL_DTYPE_F16:
    case KEEL_DTYPE_BF16:
    case KEEL_DTYPE_F32:
    case KEEL_DTYPE_F64: {
      const long double inf = std::numeric_limits<long double>::infinity();
      const long double nan = std::numeric_limits<long double>::quiet_NaN();
      const long double max = largest_of(dtype);
      const long double tiny = std::ldexp(smallest_normal_of(dtype), 1 - digits_of(dtype));
      const long double normal = smallest_normal_of(dtype);
      return {0.0L, -0.0L, 1.0L, -1.0L, 0.5L,   -2.5L, 3.0L,    inf,  -inf,   nan,
              max,  -max,  tiny, -tiny, normal, 1e30L, -1e-30L, 2.0L, -0.75L, 100.0L};
    }
    default: return {};
  }
}

HostTensor special_tensor(keel_dtype_t dtype) {
  const std::vector<long double> values = special_values(dtype);
  return tensor_of(dtype, {static_cast<int64_t>(values.size())}, values);
}

std::pair<HostTensor, HostTensor> special_pairs(keel_dtype_t dtype) {
  const std::vector<long double> values = special_values(dtype);
  std::vector<long double> lhs;
  std::vector<long double> rhs;
  for (const long double a : values) {
    for (const long double b : values) {
      lhs.push_back(a);
      rhs.push_back(b);
    }
  }
  const Dims shape = {static_cast<int64_t>(lhs.size())};
  return {tensor_of(dtype, shape, lhs), tensor_of(dtype, shape, rhs)};
}

}  // namespace keel::reference_test
