// Binary arithmetic with broadcasting against the reference: every registered dtype, special values (NaN,
// ±inf, ±0, subnormals; integer extremes for wrap-around), broadcasting of either side, every layout, and
// sizes that take the oneDNN binary primitive (including the swapped-operand and the reference-fallback
// cases).
#include <gtest/gtest.h>

#include <random>

#include "oracle.h"

namespace keel::onednn_test {
namespace {

const std::vector<keel_dtype_t> kNumeric = {KEEL_DTYPE_F32, KEEL_DTYPE_F64, KEEL_DTYPE_I32, KEEL_DTYPE_I64};
const std::vector<keel_dtype_t> kFloat = {KEEL_DTYPE_F32, KEEL_DTYPE_F64};
const std::vector<keel_dtype_t> kBool = {KEEL_DTYPE_BOOL};

Values values_for(keel_dtype_t dtype) { return dtype == KEEL_DTYPE_BOOL ? Values::kBool : Values::kSpecial; }

struct BinaryOp {
  const char* name;
  std::vector<keel_dtype_t> dtypes;
  const void* attrs;
};

const keel_div_attrs_t kTrunc = {sizeof(keel_div_attrs_t), KEEL_DIV_ROUNDING_TRUNC};
const keel_div_attrs_t kFloor = {sizeof(keel_div_attrs_t), KEEL_DIV_ROUNDING_FLOOR};

std::vector<BinaryOp> binary_ops() {
  return {{"add", kNumeric, nullptr},     {"sub", kNumeric, nullptr},      {"mul", kNumeric, nullptr},
          {"div", kFloat, nullptr},       {"div_trunc", kNumeric, &kTrunc}, {"div_floor", kNumeric, &kFloor},
          {"pow", kFloat, nullptr},       {"maximum", kNumeric, nullptr},  {"minimum", kNumeric, nullptr},
          {"fmod", kNumeric, nullptr},    {"remainder", kNumeric, nullptr},
          {"logical_and", kBool, nullptr}, {"logical_or", kBool, nullptr}, {"logical_xor", kBool, nullptr}};
}

// Rounded division floors or truncates the quotient rounded in the dtype itself, so its reference runs in
// the same dtype rather than widened to f64.
// remainder's r + b is rounded in the dtype too.
bool widen(const BinaryOp& op) { return op.attrs == nullptr && std::string(op.name) != "remainder"; }

std::string op_name(const BinaryOp& op) {
  const std::string name = op.name;
  return name.rfind("div", 0) == 0 ? "div" : name;
}

class BinaryTest : public ::testing::TestWithParam<BinaryOp> {};

const std::vector<std::pair<Dims, Dims>> kShapePairs = {
    {{}, {}},         {{0, 4}, {1, 4}},      {{5}, {5}},        {{2, 3}, {3}},        {{3}, {2, 3}},
    {{3, 1}, {1, 4}}, {{2, 1, 3}, {4, 1}},   {{}, {2, 3}},      {{4, 1, 5, 1}, {3, 1, 6}}, {{2, 3, 4, 5, 6}, {1, 4, 1, 6}},
};

TEST_P(BinaryTest, MatchesReferenceWithBroadcasting) {
  const BinaryOp& op = GetParam();
  std::mt19937_64 rng(3);
  for (const keel_dtype_t dtype : op.dtypes) {
    for (const auto& [a, b] : kShapePairs) {
      // Integer division by zero is defined (0) and tested; the special mix includes 0 and -1.
      expect_matches_reference({.op = op_name(op),
                                .attrs = op.attrs,
                                .inputs = {random_tensor(dtype, a, values_for(dtype), rng),
                                           random_tensor(dtype, b, values_for(dtype), rng)},
                                .widen = widen(op)});
    }
  }
}

TEST_P(BinaryTest, MatchesReferenceInEveryLayout) {
  const BinaryOp& op = GetParam();
  std::mt19937_64 rng(5);
  const std::vector<Layout> layouts = {Layout::kDense, Layout::kTransposed, Layout::kStrided, Layout::kReversed,
                                       Layout::kOffset, Layout::kExpanded};
  for (const keel_dtype_t dtype : op.dtypes) {
    for (const Layout la : layouts) {
      for (const Layout lb : {Layout::kDense, Layout::kReversed, Layout::kTransposed}) {
        for (const Layout out : {Layout::kDense, Layout::kStrided}) {
          expect_matches_reference({.op = op_name(op),
                                    .attrs = op.attrs,
                                    .inputs = {random_tensor(dtype, {3, 4, 5}, values_for(dtype), rng),
                                               random_tensor(dtype, {3, 4, 5}, values_for(dtype), rng)},
                                    .input_layouts = {la, lb},
                                    .output_layout = out,
                                    .widen = widen(op)});
        }
      }
    }
  }
}

// Sizes above the primitive threshold: same shapes, b broadcast, a broadcast (swapped for add and mul, the
// loop for the others), and transposed layouts (oneDNN's reference implementation, so the loop).
TEST_P(BinaryTest, MatchesReferenceOnLargeTensors) {
  const BinaryOp& op = GetParam();
  std::mt19937_64 rng(9);
  const std::vector<std::pair<Dims, Dims>> pairs = {{{300, 260}, {300, 260}}, {{300, 260}, {260}},
                                                    {{260}, {300, 260}},      {{300, 1}, {300, 260}},
                                                    {{1 << 17}, {}}};
  for (const keel_dtype_t dtype : op.dtypes) {
    for (const auto& [a, b] : pairs) {
      expect_matches_reference({.op = op_name(op),
                                .attrs = op.attrs,
                                .inputs = {random_tensor(dtype, a, values_for(dtype), rng),
                                           random_tensor(dtype, b, values_for(dtype), rng)},
                                .widen = widen(op)});
    }
    expect_matches_reference({.op = op_name(op),
                              .attrs = op.attrs,
                              .inputs = {random_tensor(dtype, {300, 260}, dtype == KEEL_DTYPE_BOOL ? Values::kBool : Values::kFinite, rng),
                                         random_tensor(dtype, {300, 260}, dtype == KEEL_DTYPE_BOOL ? Values::kBool : Values::kFinite, rng)},
                              .input_layouts = {Layout::kTransposed, Layout::kDense},
                              .output_layout = Layout::kStrided,
                              .widen = widen(op)});
  }
}

INSTANTIATE_TEST_SUITE_P(Ops, BinaryTest, ::testing::ValuesIn(binary_ops()),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

// Outputs of 16 MiB and more are written with streaming stores (aligned and unaligned starts).
TEST(BinaryLargeTest, StreamingOutputsMatchReference) {
  std::mt19937_64 rng(15);
  const Dims shape = {(int64_t{1} << 22) + 5};
  for (const char* op : {"add", "mul"}) {
    for (const Layout out : {Layout::kDense, Layout::kOffset}) {
      expect_matches_reference({.op = op,
                                .inputs = {random_tensor(KEEL_DTYPE_F32, shape, Values::kSpecial, rng),
                                           random_tensor(KEEL_DTYPE_F32, shape, Values::kSpecial, rng)},
                                .input_layouts = {Layout::kOffset, Layout::kDense},
                                .output_layout = out});
    }
  }
}

// The IEEE 754-2019 rules that oneDNN's max/min do not follow, and integer wrap-around.
TEST(BinarySpecialValuesTest, MaximumMinimumOrderSignedZerosAndPropagateNaN) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const std::vector<std::pair<float, float>> pairs = {{0.0f, -0.0f}, {-0.0f, 0.0f}, {nan, 1.0f}, {1.0f, nan},
                                                      {-0.0f, -0.0f}, {nan, nan},  {2.0f, 3.0f}};
  HostTensor a = HostTensor::zeros(KEEL_DTYPE_F32, {static_cast<int64_t>(pairs.size())});
  HostTensor b = a;
  for (size_t i = 0; i < pairs.size(); ++i) {
    a.set(static_cast<int64_t>(i), pairs[i].first);
    b.set(static_cast<int64_t>(i), pairs[i].second);
  }
  for (const char* op : {"maximum", "minimum"}) expect_matches_reference({.op = op, .inputs = {a, b}});
}

TEST(BinarySpecialValuesTest, IntegersWrapAndDivideAsSpecified) {
  for (const keel_dtype_t dtype : {KEEL_DTYPE_I32, KEEL_DTYPE_I64}) {
    const long double max = dtype == KEEL_DTYPE_I32 ? 2147483647.0L : 9223372036854775807.0L;
    const long double min = -max - 1;
    const std::vector<std::pair<long double, long double>> pairs = {
        {max, 1}, {min, -1}, {min, 1}, {max, max}, {min, min}, {7, 0}, {-7, 2}, {7, -2}, {-7, -2}, {0, 0}};
    HostTensor a = HostTensor::zeros(dtype, {static_cast<int64_t>(pairs.size())});
    HostTensor b = a;
    for (size_t i = 0; i < pairs.size(); ++i) {
      a.set(static_cast<int64_t>(i), pairs[i].first);
      b.set(static_cast<int64_t>(i), pairs[i].second);
    }
    for (const char* op : {"add", "sub", "mul", "maximum", "minimum", "fmod", "remainder"}) {
      expect_matches_reference({.op = op, .inputs = {a, b}});
    }
    expect_matches_reference({.op = "div", .attrs = &kTrunc, .inputs = {a, b}, .widen = false});
    expect_matches_reference({.op = "div", .attrs = &kFloor, .inputs = {a, b}, .widen = false});
  }
}

}  // namespace
}  // namespace keel::onednn_test
