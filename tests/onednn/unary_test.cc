// Unary math and activations against the reference: every dtype the kernel registers, special values, and
// every layout; sizes above the oneDNN thresholds too, so both the primitive and the loop paths run.
#include <gtest/gtest.h>

#include <random>

#include "oracle.h"

namespace keel::onednn_test {
namespace {

struct UnaryOp {
  const char* name;
  std::vector<keel_dtype_t> dtypes;
};

const std::vector<UnaryOp>& unary_ops() {
  static const std::vector<UnaryOp> ops = {
      {"neg", {KEEL_DTYPE_F32, KEEL_DTYPE_F64, KEEL_DTYPE_I32, KEEL_DTYPE_I64}},
      {"abs", {KEEL_DTYPE_F32, KEEL_DTYPE_F64, KEEL_DTYPE_I32, KEEL_DTYPE_I64}},
      {"sign", {KEEL_DTYPE_F32, KEEL_DTYPE_F64, KEEL_DTYPE_I32, KEEL_DTYPE_I64}},
      {"relu", {KEEL_DTYPE_F32, KEEL_DTYPE_F64, KEEL_DTYPE_I32, KEEL_DTYPE_I64}},
      {"exp", {KEEL_DTYPE_F32, KEEL_DTYPE_F64}},
      {"log", {KEEL_DTYPE_F32, KEEL_DTYPE_F64}},
      {"sqrt", {KEEL_DTYPE_F32, KEEL_DTYPE_F64}},
      {"tanh", {KEEL_DTYPE_F32, KEEL_DTYPE_F64}},
      {"sigmoid", {KEEL_DTYPE_F32, KEEL_DTYPE_F64}},
      {"reciprocal", {KEEL_DTYPE_F32, KEEL_DTYPE_F64}},
      {"rsqrt", {KEEL_DTYPE_F32, KEEL_DTYPE_F64}},
      {"sin", {KEEL_DTYPE_F32, KEEL_DTYPE_F64}},
      {"cos", {KEEL_DTYPE_F32, KEEL_DTYPE_F64}},
      {"erf", {KEEL_DTYPE_F32, KEEL_DTYPE_F64}},
      {"floor", {KEEL_DTYPE_F32, KEEL_DTYPE_F64}},
      {"ceil", {KEEL_DTYPE_F32, KEEL_DTYPE_F64}},
      {"round", {KEEL_DTYPE_F32, KEEL_DTYPE_F64}},
      {"isnan", {KEEL_DTYPE_F32, KEEL_DTYPE_F64}},
      {"isinf", {KEEL_DTYPE_F32, KEEL_DTYPE_F64}},
      {"logical_not", {KEEL_DTYPE_BOOL}},
  };
  return ops;
}

Values values_for(keel_dtype_t dtype) { return dtype == KEEL_DTYPE_BOOL ? Values::kBool : Values::kSpecial; }

class UnaryTest : public ::testing::TestWithParam<UnaryOp> {};

TEST_P(UnaryTest, MatchesReferenceOnEveryShapeClass) {
  const UnaryOp& op = GetParam();
  std::mt19937_64 rng(7);
  const std::vector<Dims> shapes = {{}, {0}, {7}, {3, 5}, {2, 3, 4, 5}, {2, 0, 3}};
  for (const keel_dtype_t dtype : op.dtypes) {
    for (const Dims& shape : shapes) {
      expect_matches_reference({.op = op.name, .inputs = {random_tensor(dtype, shape, values_for(dtype), rng)}});
    }
  }
}

TEST_P(UnaryTest, MatchesReferenceInEveryLayout) {
  const UnaryOp& op = GetParam();
  std::mt19937_64 rng(11);
  for (const keel_dtype_t dtype : op.dtypes) {
    for (const Layout in : {Layout::kTransposed, Layout::kStrided, Layout::kReversed, Layout::kOffset, Layout::kExpanded}) {
      for (const Layout out : {Layout::kDense, Layout::kStrided, Layout::kTransposed}) {
        expect_matches_reference({.op = op.name,
                                  .inputs = {random_tensor(dtype, {4, 3, 5}, values_for(dtype), rng)},
                                  .input_layouts = {in},
                                  .output_layout = out});
      }
    }
  }
}

// Large enough for the oneDNN eltwise primitive (sqrt, tanh, abs) and for the parallel loops.
TEST_P(UnaryTest, MatchesReferenceOnLargeTensors) {
  const UnaryOp& op = GetParam();
  std::mt19937_64 rng(13);
  for (const keel_dtype_t dtype : op.dtypes) {
    expect_matches_reference({.op = op.name, .inputs = {random_tensor(dtype, {300, 257}, values_for(dtype), rng)}});
    expect_matches_reference({.op = op.name,
                              .inputs = {random_tensor(dtype, {257, 300}, dtype == KEEL_DTYPE_BOOL ? Values::kBool : Values::kFinite, rng)},
                              .input_layouts = {Layout::kTransposed},
                              .output_layout = Layout::kTransposed});
  }
}

INSTANTIATE_TEST_SUITE_P(Ops, UnaryTest, ::testing::ValuesIn(unary_ops()),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

// The values where oneDNN's own eltwise algorithms break the spec; the plugin must get them right.
TEST(UnarySpecialValuesTest, SpecRulesHoldWhereOneDnnDiffers) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  const std::vector<float> values = {nan, -nan, inf, -inf, 0.0f, -0.0f, 1.0f, 1.0000001f, 0.99999994f, -88.0f,
                                     -95.5f, -103.9f, 89.0f, 1e-45f, -1e-45f, 3e-39f};
  HostTensor x = HostTensor::zeros(KEEL_DTYPE_F32, {static_cast<int64_t>(values.size())});
  for (size_t i = 0; i < values.size(); ++i) x.set(static_cast<int64_t>(i), values[i]);
  for (const char* op : {"exp", "log", "sigmoid", "relu", "sqrt", "tanh", "abs", "neg", "sign", "reciprocal", "rsqrt",
                         "sin", "cos", "erf", "floor", "ceil", "round", "isnan", "isinf"}) {
    expect_matches_reference({.op = op, .inputs = {x}});
  }
  // The same values spread over a tensor large enough for the primitive paths.
  HostTensor big = HostTensor::zeros(KEEL_DTYPE_F32, {64, 256});
  for (int64_t i = 0; i < big.count(); ++i) big.set(i, values[static_cast<size_t>(i) % values.size()]);
  for (const char* op : {"exp", "log", "sigmoid", "relu", "sqrt", "tanh", "abs"}) {
    expect_matches_reference({.op = op, .inputs = {big}, .label = "large"});
  }
}

// Rounding halfway cases, signed zeros, and large arguments of sin and cos (exact argument reduction).
TEST(UnarySpecialValuesTest, RoundingAndLargeArguments) {
  const std::vector<long double> values = {0.5L, 1.5L, 2.5L, -0.5L, -1.5L, -2.5L, -0.4L, 0.49999997L, 8388609.0L,
                                           1e30L, -1e22L, 3.0e38L, 1e-40L};
  for (const keel_dtype_t dtype : {KEEL_DTYPE_F32, KEEL_DTYPE_F64}) {
    HostTensor x = HostTensor::zeros(dtype, {static_cast<int64_t>(values.size())});
    for (size_t i = 0; i < values.size(); ++i) x.set(static_cast<int64_t>(i), values[i]);
    for (const char* op : {"floor", "ceil", "round", "sin", "cos", "rsqrt", "reciprocal"}) {
      expect_matches_reference({.op = op, .inputs = {x}});
    }
  }
  const float inf = std::numeric_limits<float>::infinity();
  HostTensor signs = HostTensor::zeros(KEEL_DTYPE_F32, {4});
  signs.set(0, inf);
  signs.set(1, -inf);
  signs.set(2, std::numeric_limits<float>::quiet_NaN());
  signs.set(3, 1.0f);
  for (const auto& [positive, negative] : std::vector<std::pair<uint8_t, uint8_t>>{{1, 1}, {1, 0}, {0, 1}, {0, 0}}) {
    const keel_isinf_attrs_t attrs = {sizeof(keel_isinf_attrs_t), positive, negative};
    expect_matches_reference({.op = "isinf", .attrs = &attrs, .inputs = {signs}});
  }
}

}  // namespace
}  // namespace keel::onednn_test
