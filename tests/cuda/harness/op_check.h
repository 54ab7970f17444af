// Running one operator call on the device under test and on the reference plugin, and comparing the results
// with the spec's tolerance classes (ir_spec/README.md). The oracle computes in f64 (f16, bf16 and f32
// inputs are widened exactly), so "ref" is the f64 result the ulp and accumulation bounds are defined on.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "harness/gpu_env.h"
#include "harness/host_values.h"

namespace keel::cuda_test {

struct Tolerance {
  enum Kind { kExact, kUlp, kAccumulation } kind = kExact;
  double ulp_f32 = 0, ulp_f16 = 0, ulp_bf16 = 0, ulp_f64 = 0;  // kUlp
  double c = 0;                                                // kAccumulation

  static Tolerance exact() { return {}; }
  static Tolerance ulps(double f32, double f16, double bf16, double f64) { return {kUlp, f32, f16, bf16, f64, 0}; }
  static Tolerance accumulation(double c) { return {kAccumulation, 0, 0, 0, 0, c}; }
  double ulps_for(keel_dtype_t dtype) const;
};

// The K of an accumulation bound for each output element.
using KFunction = std::function<std::vector<double>(const std::vector<HostValues>& inputs, const HostValues& out)>;

struct OpCase {
  std::string op;
  std::vector<HostValues> inputs;  // values exact in their dtype
  const void* attrs = nullptr;
  const void* oracle_attrs = nullptr;  // when the oracle needs other attributes (a dtype attribute); else attrs
  Layout in_layout = Layout::kDense;
  Layout out_layout = Layout::kDense;
  bool moves_data = false;  // data movement: the oracle keeps f32/f64 as they are

  std::string describe() const;
};

// The M of an accumulation bound: the operator applied to |inputs|, |ref|, or |ref| + 1.
enum class Magnitude { kOpOnAbs, kOutput, kOutputPlusOne };

// K = 1 for every output element: elementwise operators with an accumulation bound.
std::vector<double> one_per_element(const std::vector<HostValues>& inputs, const HostValues& out);

// Runs `c` on both devices and checks every output against `tolerance`. For accumulation, `k` gives K per
// output element and `magnitude` says what M is. Skips (with a note) calls a non-CUDA device under test does
// not support, and calls the reference plugin has no kernel for; the CUDA device must support every call.
void check_op(const OpCase& c, const Tolerance& tolerance, const KFunction& k = nullptr,
              Magnitude magnitude = Magnitude::kOpOnAbs);

// The comparisons, exposed for tests that build their own expectations.
testing::AssertionResult within(const HostValues& got, const std::vector<double>& ref, keel_dtype_t ref_dtype,
                                const Tolerance& tolerance, const std::vector<double>& bounds);

}  // namespace keel::cuda_test
