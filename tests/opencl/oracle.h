// Checking OpenCL results against the reference plugin with the spec's tolerance classes
// (ir_spec/README.md): exact, ulp (against the f64 reference), accumulation. Also the test data: random
// values per dtype with the special values of each (NaN, ±inf, ±0, subnormals, extremes).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "harness.h"

namespace keel::opencl_test {

// Bit for bit, except that any NaN matches any NaN (computing operators).
::testing::AssertionResult same_values(const Tensor& actual, const Tensor& expected);
// Bit for bit, NaN payloads included (data movement).
::testing::AssertionResult same_bits(const Tensor& actual, const Tensor& expected);
// |actual - ref| <= ulps * ulp(ref) in actual's dtype; NaN matches NaN; infinities (also a reference that
// rounds to one) must match exactly. `ref` is the f64 result (or the same dtype for f64 outputs).
::testing::AssertionResult within_ulps(const Tensor& actual, const Tensor& ref, double ulps);
// |actual - ref| <= c * k[i] * eps * m[i] + smallest normal, eps the machine epsilon of actual's dtype.
// `k` has one entry per element or a single entry for all.
::testing::AssertionResult within_accumulation(const Tensor& actual, const Tensor& ref, double c,
                                               const std::vector<double>& k, const Tensor& m);

// What values a test feeds an operator.
enum class Domain {
  kAny,       // random values plus every special value
  kFinite,    // random moderate values plus ±0, subnormals and ±1e6 (sums stay far from overflow)
  kPositive,  // positive values (and +0, +inf)
  kSmall,     // |x| <= 4, no specials (pow bases and exponents, matmul data)
};

// A tensor of `shape` whose first elements are the special values of the domain, the rest random.
Tensor random_tensor(keel_dtype_t dtype, const std::vector<int64_t>& shape, uint32_t seed, Domain domain = Domain::kAny);

}  // namespace keel::opencl_test
