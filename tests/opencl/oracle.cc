#include "oracle.h"

#include <cmath>
#include <limits>
#include <random>

namespace keel::opencl_test {
namespace {

constexpr int kMaxReported = 8;

bool is_float(keel_dtype_t dtype) { return dtype == KEEL_DTYPE_F32 || dtype == KEEL_DTYPE_F64; }

// The spacing of actual's dtype at |value|.
double ulp_of(double value, keel_dtype_t dtype) {
  const int mantissa = dtype == KEEL_DTYPE_F32 ? 24 : 53;
  const int min_exponent = dtype == KEEL_DTYPE_F32 ? -149 : -1074;
  if (value == 0 || !std::isfinite(value)) return std::ldexp(1.0, min_exponent);
  int exponent = 0;
  std::frexp(std::fabs(value), &exponent);
  return std::ldexp(1.0, std::max(exponent - mantissa, min_exponent));
}

double rounded_to(double value, keel_dtype_t dtype) {
  return dtype == KEEL_DTYPE_F32 ? static_cast<double>(static_cast<float>(value)) : value;
}

::testing::AssertionResult compare(const Tensor& actual, const Tensor& expected, const char* what,
                                   bool (*equal)(const Tensor&, const Tensor&, int64_t, double), double limit) {
  if (actual.shape != expected.shape) return ::testing::AssertionFailure() << "shapes differ";
  int mismatches = 0;
  ::testing::AssertionResult failure = ::testing::AssertionFailure();
  for (int64_t i = 0; i < actual.count(); ++i) {
    if (equal(actual, expected, i, limit)) continue;
    if (++mismatches <= kMaxReported) {
      failure << "\n  element " << i << ": got " << actual.text(i) << ", expected " << expected.text(i) << " (" << what
              << ")";
    }
  }
  if (mismatches == 0) return ::testing::AssertionSuccess();
  return failure << "\n  " << mismatches << " of " << actual.count() << " elements differ";
}

}  // namespace

::testing::AssertionResult same_values(const Tensor& actual, const Tensor& expected) {
  if (actual.dtype != expected.dtype) return ::testing::AssertionFailure() << "dtypes differ";
  return compare(actual, expected, "exact", [](const Tensor& a, const Tensor& e, int64_t i, double) {
    if (is_float(a.dtype) && std::isnan(a.number(i)) && std::isnan(e.number(i))) return true;
    return a.bits(i) == e.bits(i);
  }, 0);
}

::testing::AssertionResult same_bits(const Tensor& actual, const Tensor& expected) {
  if (actual.dtype != expected.dtype) return ::testing::AssertionFailure() << "dtypes differ";
  return compare(actual, expected, "bit for bit",
                 [](const Tensor& a, const Tensor& e, int64_t i, double) { return a.bits(i) == e.bits(i); }, 0);
}

::testing::AssertionResult within_ulps(const Tensor& actual, const Tensor& ref, double ulps) {
  return compare(actual, ref, "ulp bound", [](const Tensor& a, const Tensor& r, int64_t i, double limit) {
    const double y = a.number(i);
    const double expected = r.number(i);
    if (std::isnan(expected) || std::isnan(y)) return std::isnan(expected) && std::isnan(y);
    const double rounded = rounded_to(expected, a.dtype);
    if (std::isinf(rounded) || std::isinf(y)) return y == rounded;
    return std::fabs(y - expected) <= limit * ulp_of(rounded, a.dtype);
  }, ulps);
}

::testing::AssertionResult within_accumulation(const Tensor& actual, const Tensor& ref, double c,
                                               const std::vector<double>& k, const Tensor& m) {
  if (actual.shape != ref.shape) return ::testing::AssertionFailure() << "shapes differ";
  const double eps = actual.dtype == KEEL_DTYPE_F32 ? std::ldexp(1.0, -23) : std::ldexp(1.0, -52);
  const double tiny = actual.dtype == KEEL_DTYPE_F32 ? std::numeric_limits<float>::min() : std::numeric_limits<double>::min();
  int mismatches = 0;
  ::testing::AssertionResult failure = ::testing::AssertionFailure();
  for (int64_t i = 0; i < actual.count(); ++i) {
    const double y = actual.number(i);
    const double expected = ref.number(i);
    bool ok;
    if (std::isnan(expected) || std::isnan(y)) {
      ok = std::isnan(expected) && std::isnan(y);
    } else if (std::isinf(rounded_to(expected, actual.dtype)) || std::isinf(y)) {
      ok = y == rounded_to(expected, actual.dtype);
    } else {
      const double kk = k.size() == 1 ? k[0] : k[static_cast<size_t>(i)];
      ok = std::fabs(y - expected) <= c * kk * eps * std::fabs(m.number(i)) + tiny;
    }
    if (!ok && ++mismatches <= kMaxReported) {
      failure << "\n  element " << i << ": got " << actual.text(i) << ", expected " << ref.text(i);
    }
  }
  if (mismatches == 0) return ::testing::AssertionSuccess();
  return failure << "\n  " << mismatches << " of " << actual.count() << " elements exceed the accumulation bound";
}

Tensor random_tensor(keel_dtype_t dtype, const std::vector<int64_t>& shape, uint32_t seed, Domain domain) {
  Tensor t = make_tensor(dtype, shape);
  std::mt19937 random(seed);
  std::vector<double> specials;
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  switch (dtype) {
    case KEEL_DTYPE_BOOL: specials = {0, 1}; break;
    case KEEL_DTYPE_I32:
      specials = {0, 1, -1, 2147483647.0, -2147483648.0, 7, -7};
      if (domain == Domain::kSmall) specials = {0, 1, -1, 3, -4};
      break;
    case KEEL_DTYPE_I64:
      specials = {0, 1, -1, 9.2233720368547758e18 /* wraps to INT64_MIN below */, -9.2233720368547758e18, 5, -5};
      if (domain == Domain::kSmall) specials = {0, 1, -1, 3, -4};
      break;
    default: {
      const bool f32 = dtype == KEEL_DTYPE_F32;
      const double max = f32 ? std::numeric_limits<float>::max() : std::numeric_limits<double>::max();
      const double min_normal = f32 ? std::numeric_limits<float>::min() : std::numeric_limits<double>::min();
      const double denorm = f32 ? std::numeric_limits<float>::denorm_min() : std::numeric_limits<double>::denorm_min();
      switch (domain) {
        case Domain::kAny: specials = {0.0, -0.0, 1, -1, inf, -inf, nan, denorm, -denorm, min_normal, max, -max, 0.5, -2.5, 1e-3, 30, -30, 100, -100}; break;
        case Domain::kFinite: specials = {0.0, -0.0, 1, -1, denorm, -denorm, min_normal, 0.5, -2.5, 30, -30, 1e6, -1e6}; break;
        case Domain::kPositive: specials = {0.0, inf, denorm, min_normal, 1, 0.5, 2, 1e-30, 1e30}; break;
        case Domain::kSmall: specials = {}; break;
      }
    }
  }
  for (int64_t i = 0; i < t.count(); ++i) {
    if (static_cast<size_t>(i) < specials.size()) {
      if (dtype == KEEL_DTYPE_I64 && std::fabs(specials[i]) > 9e18) {
        set_bits(t, i, specials[i] > 0 ? uint64_t{0x7fffffffffffffff} : uint64_t{0x8000000000000000});
      } else {
        set_number(t, i, specials[static_cast<size_t>(i)]);
      }
      continue;
    }
    double value = 0;
    switch (domain) {
      case Domain::kAny:
      case Domain::kFinite: value = std::uniform_real_distribution<double>(-20, 20)(random); break;
      case Domain::kPositive: value = std::exp(std::uniform_real_distribution<double>(-20, 20)(random)); break;
      case Domain::kSmall: value = std::uniform_real_distribution<double>(-4, 4)(random); break;
    }
    if (dtype == KEEL_DTYPE_BOOL) value = random() & 1;
    if (dtype == KEEL_DTYPE_I32 || dtype == KEEL_DTYPE_I64) {
      value = domain == Domain::kSmall ? std::round(value) : static_cast<double>(static_cast<int32_t>(random()) >> 8);
    }
    set_number(t, i, value);
  }
  return t;
}

}  // namespace keel::opencl_test
