// The fixture the numeric suites share: each test runs once per backend ("direct": the plugin's own tables
// under a test host; "libkeel": keel_runtime.h).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "harness/host_tensor.h"
#include "harness/numeric.h"
#include "harness/session.h"

namespace keel::reference_test {

class BackendTest : public testing::TestWithParam<std::string> {
 protected:
  Session& session() {
    if (!session_) session_ = std::make_unique<Session>(GetParam());
    return *session_;
  }

  // Uploads the inputs, runs `op` into a fresh output of `dtype`/`shape` under `out_layout`, and returns the
  // output (empty dtype when the run failed, which is also reported).
  HostTensor run_one(const std::string& op, const void* attrs, const std::vector<HostTensor>& inputs,
                     const std::vector<Layout>& layouts, keel_dtype_t dtype, const Dims& shape,
                     const Layout& out_layout = Layout::dense());

 private:
  std::unique_ptr<Session> session_;
};

// The spec's type sets (spec.yaml): float, numeric (float and int), all (numeric and bool).
inline const std::vector<keel_dtype_t> kFloatTypes = {KEEL_DTYPE_F16, KEEL_DTYPE_BF16, KEEL_DTYPE_F32, KEEL_DTYPE_F64};
inline const std::vector<keel_dtype_t> kNumericTypes = {KEEL_DTYPE_I32,  KEEL_DTYPE_I64, KEEL_DTYPE_F16,
                                                        KEEL_DTYPE_BF16, KEEL_DTYPE_F32, KEEL_DTYPE_F64};
inline const std::vector<keel_dtype_t> kAllTypes = {KEEL_DTYPE_BOOL, KEEL_DTYPE_I32, KEEL_DTYPE_I64, KEEL_DTYPE_F16,
                                                    KEEL_DTYPE_BF16, KEEL_DTYPE_F32, KEEL_DTYPE_F64};

// Wraps a long double exact integer into T two's-complement style (the spec's integer overflow rule).
template <class T>
T wrap(long double exact) {
  const long double modulus = std::ldexp(1.0L, 8 * sizeof(T));
  long double v = std::fmod(exact, modulus);
  if (v < 0) v += modulus;
  if (v >= modulus / 2) v -= modulus;
  return static_cast<T>(v);
}

std::string backend_name(const testing::TestParamInfo<std::string>& info);

}  // namespace keel::reference_test

#define KEEL_INSTANTIATE_FOR_BACKENDS(suite)                                                                \
  INSTANTIATE_TEST_SUITE_P(Backends, suite, testing::Values(std::string("direct"), std::string("libkeel")), \
                           keel::reference_test::backend_name)
