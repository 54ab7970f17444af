// Comparing results with independent references, per the spec's tolerance classes (ir_spec/README.md), and
// generating inputs.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "host_tensor.h"

namespace keel::reference_test {

// The distance between adjacent values of `dtype` (a float dtype) at magnitude |x|: the ulp the spec's ulp
// bounds are measured in. Subnormals share the smallest spacing.
long double ulp_of(long double x, keel_dtype_t dtype);

// `ulps` · ulp(ref) in `dtype`, with NaN ≡ NaN and infinities (and results that overflow the dtype) exact.
testing::AssertionResult within_ulps(const HostTensor& got, const std::vector<long double>& ref, double ulps);

// Every element equal: integers and bools by value, floats bit for bit except that any NaN matches any NaN
// (the spec's "exact" for computing operators; -0 and +0 differ).
testing::AssertionResult exactly(const HostTensor& got, const HostTensor& expected);

// Every byte equal (data movement keeps NaN payloads too).
testing::AssertionResult bitwise(const HostTensor& got, const HostTensor& expected);

// |got - ref| <= bound[i] + the dtype's smallest normal number; NaN ≡ NaN, infinities exact.
testing::AssertionResult within_bounds(const HostTensor& got, const std::vector<long double>& ref,
                                       const std::vector<long double>& bound);

// The machine epsilon, smallest normal number, largest finite number and significand digits of a float
// dtype (f16, bf16, f32, f64).
long double epsilon_of(keel_dtype_t dtype);
long double smallest_normal_of(keel_dtype_t dtype);
long double largest_of(keel_dtype_t dtype);
int digits_of(keel_dtype_t dtype);

// Rounds a long double to `dtype` (floats once, to nearest even; ints and bool by value) and stores it: how expected results of
// the "exact" class are built from a long double reference.
HostTensor rounded(keel_dtype_t dtype, const Dims& shape, const std::vector<long double>& values);

// Deterministic inputs.
class Random {
 public:
  explicit Random(uint64_t seed) : engine_(seed) {}
  double uniform(double low, double high) { return std::uniform_real_distribution<double>(low, high)(engine_); }
  int64_t integer(int64_t low, int64_t high) { return std::uniform_int_distribution<int64_t>(low, high)(engine_); }

  // Values of `dtype` in [low, high] (bool: 0/1).
  HostTensor tensor(keel_dtype_t dtype, const Dims& shape, double low = -4.0, double high = 4.0);

 private:
  std::mt19937_64 engine_;
};

// Interesting values of a dtype: ±0, ±1, ±inf, NaN, extremes, subnormals, INT_MIN/INT_MAX, ...
std::vector<long double> special_values(keel_dtype_t dtype);
// A 1-D tensor of them.
HostTensor special_tensor(keel_dtype_t dtype);
// Every ordered pair of special values as two 1-D tensors.
std::pair<HostTensor, HostTensor> special_pairs(keel_dtype_t dtype);

// A tensor of `dtype` holding `values` (rounded to the dtype).
HostTensor tensor_of(keel_dtype_t dtype, const Dims& shape, const std::vector<long double>& values);

}  // namespace keel::reference_test
