// The elementwise operators (unary, binary, comparisons, where, cast) against the reference plugin: f64
// reference results for the ulp classes, identical results for the exact ones; 0-D, zero-size, broadcast,
// strided, transposed, reversed and rank-4 shapes, and every special value of each dtype.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "harness.h"
#include "oracle.h"

namespace keel::opencl_test {
namespace {

struct OpCase {
  const char* op;
  std::vector<keel_dtype_t> dtypes;
  double ulps;  // 0: exact
  Domain domain;
};

constexpr keel_dtype_t kF32 = KEEL_DTYPE_F32, kF64 = KEEL_DTYPE_F64, kI32 = KEEL_DTYPE_I32, kI64 = KEEL_DTYPE_I64,
                       kBool = KEEL_DTYPE_BOOL;

std::string name_of(const OpCase& c) { return c.op; }

// Runs `op` on both devices and checks the OpenCL result with the op's tolerance.
void check_op(const OpCase& op_case, keel_dtype_t dtype, const void* attrs, const std::vector<Tensor>& inputs,
              const std::vector<Layout>& layouts = {}, Layout output_layout = Layout::kDense) {
  Devices& d = Devices::get();
  OpCase c = op_case;
  if (std::string(c.op) == "div" && static_cast<const keel_div_attrs_t*>(attrs)->rounding != KEEL_DIV_ROUNDING_NONE) {
    // trunc and floor apply to the quotient correctly rounded in the input's dtype, so the oracle computes in
    // that dtype, and the integral results must match exactly.
    c.ulps = 0;
  }
  const Result got = run(d.opencl, c.op, attrs, inputs, layouts, output_layout);
  ASSERT_TRUE(got.ok()) << c.op << " on OpenCL: " << got.message;
  const bool wide = c.ulps > 0 && dtype == kF32;
  std::vector<Tensor> oracle_inputs;
  for (const Tensor& t : inputs) oracle_inputs.push_back(wide ? widened(t) : t);
  const Result want = run(d.reference, c.op, attrs, oracle_inputs);
  ASSERT_TRUE(want.ok()) << c.op << " on the reference: " << want.message;
  ASSERT_EQ(got.outputs.size(), want.outputs.size());
  for (size_t i = 0; i < got.outputs.size(); ++i) {
    if (c.ulps > 0 && (dtype == kF32 || dtype == kF64)) {
      EXPECT_TRUE(within_ulps(got.outputs[i], want.outputs[i], c.ulps)) << c.op << " " << keel_dtype_name(dtype);
    } else {
      EXPECT_TRUE(same_values(got.outputs[i], want.outputs[i])) << c.op << " " << keel_dtype_name(dtype);
    }
  }
}

class UnaryTest : public ::testing::TestWithParam<OpCase> {};

TEST_P(UnaryTest, MatchesTheReference) {
  KEEL_REQUIRE_OPENCL();
  const OpCase& c = GetParam();
  for (const keel_dtype_t dtype : c.dtypes) {
    SCOPED_TRACE(keel_dtype_name(dtype));
    check_op(c, dtype, nullptr, {random_tensor(dtype, {}, 1, c.domain)});                        // 0-D
    check_op(c, dtype, nullptr, {random_tensor(dtype, {0, 3}, 2, c.domain)});                    // zero-size
    check_op(c, dtype, nullptr, {random_tensor(dtype, {1500}, 3, c.domain)});                    // dense
    check_op(c, dtype, nullptr, {random_tensor(dtype, {2, 3, 4, 5}, 4, c.domain)});              // rank 4
    for (const Layout in : {Layout::kTransposed, Layout::kPadded, Layout::kReversed}) {
      SCOPED_TRACE(layout_name(in));
      check_op(c, dtype, nullptr, {random_tensor(dtype, {6, 7}, 5, c.domain)}, {in}, Layout::kTransposed);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Ops, UnaryTest,
    ::testing::Values(OpCase{"neg", {kF32, kF64, kI32, kI64}, 0, Domain::kAny},
                      OpCase{"abs", {kF32, kF64, kI32, kI64}, 0, Domain::kAny},
                      OpCase{"sign", {kF32, kF64, kI32, kI64}, 0, Domain::kAny},
                      OpCase{"relu", {kF32, kF64, kI32, kI64}, 0, Domain::kAny},
                      OpCase{"exp", {kF32, kF64}, 3, Domain::kAny}, OpCase{"log", {kF32, kF64}, 3, Domain::kAny},
                      OpCase{"sqrt", {kF32, kF64}, 3, Domain::kAny}, OpCase{"tanh", {kF32, kF64}, 5, Domain::kAny},
                      OpCase{"sigmoid", {kF32, kF64}, 5, Domain::kAny},
                      OpCase{"reciprocal", {kF32, kF64}, 1, Domain::kAny},
                      OpCase{"rsqrt", {kF32, kF64}, 2, Domain::kAny}, OpCase{"sin", {kF32, kF64}, 4, Domain::kAny},
                      OpCase{"cos", {kF32, kF64}, 4, Domain::kAny}, OpCase{"erf", {kF32, kF64}, 4, Domain::kAny},
                      OpCase{"floor", {kF32, kF64}, 0, Domain::kAny}, OpCase{"ceil", {kF32, kF64}, 0, Domain::kAny},
                      OpCase{"round", {kF32, kF64}, 0, Domain::kAny}, OpCase{"isnan", {kF32, kF64}, 0, Domain::kAny},
                      OpCase{"isinf", {kF32, kF64}, 0, Domain::kAny}, OpCase{"logical_not", {kBool}, 0, Domain::kAny}),
    [](const auto& test) { return name_of(test.param); });

class BinaryTest : public ::testing::TestWithParam<OpCase> {};

TEST_P(BinaryTest, MatchesTheReference) {
  KEEL_REQUIRE_OPENCL();
  const OpCase& c = GetParam();
  for (const keel_dtype_t dtype : c.dtypes) {
    SCOPED_TRACE(keel_dtype_name(dtype));
    keel_div_attrs_t div = KEEL_DIV_ATTRS_INIT;
    std::vector<const void*> attrs = {nullptr};
    if (std::string(c.op) == "div") {
      attrs.clear();
      for (const uint32_t rounding : {KEEL_DIV_ROUNDING_NONE, KEEL_DIV_ROUNDING_TRUNC, KEEL_DIV_ROUNDING_FLOOR}) {
        if (rounding == KEEL_DIV_ROUNDING_NONE && (dtype == kI32 || dtype == kI64)) continue;
        auto* a = new keel_div_attrs_t(div);
        a->rounding = rounding;
        attrs.push_back(a);
      }
    }
    for (const void* attr : attrs) {
      // Every special value against every other: [n, 1] against [1, n].
      const Tensor column = random_tensor(dtype, {24, 1}, 11, c.domain);
      Tensor row = random_tensor(dtype, {1, 24}, 11, c.domain);
      check_op(c, dtype, attr, {column, row});
      check_op(c, dtype, attr, {random_tensor(dtype, {}, 12, c.domain), random_tensor(dtype, {}, 13, c.domain)});
      check_op(c, dtype, attr, {random_tensor(dtype, {0, 3}, 14, c.domain), random_tensor(dtype, {1, 3}, 15, c.domain)});
      check_op(c, dtype, attr, {random_tensor(dtype, {2000}, 16, c.domain), random_tensor(dtype, {2000}, 17, c.domain)});
      check_op(c, dtype, attr,
               {random_tensor(dtype, {2, 3, 4, 5}, 18, c.domain), random_tensor(dtype, {3, 1, 5}, 19, c.domain)});
      check_op(c, dtype, attr, {random_tensor(dtype, {5, 6}, 20, c.domain), random_tensor(dtype, {5, 6}, 21, c.domain)},
               {Layout::kTransposed, Layout::kReversed}, Layout::kPadded);
      check_op(c, dtype, attr, {random_tensor(dtype, {4, 6}, 22, c.domain), random_tensor(dtype, {6}, 23, c.domain)},
               {Layout::kPadded, Layout::kReversed}, Layout::kReversed);
      if (attr != nullptr) delete static_cast<const keel_div_attrs_t*>(attr);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Ops, BinaryTest,
                         ::testing::Values(OpCase{"add", {kF32, kF64, kI32, kI64}, 0.5, Domain::kAny},
                                           OpCase{"sub", {kF32, kF64, kI32, kI64}, 0.5, Domain::kAny},
                                           OpCase{"mul", {kF32, kF64, kI32, kI64}, 0.5, Domain::kAny},
                                           OpCase{"div", {kF32, kF64, kI32, kI64}, 0.5, Domain::kAny},
                                           OpCase{"pow", {kF32, kF64}, 16, Domain::kAny},
                                           OpCase{"maximum", {kF32, kF64, kI32, kI64}, 0, Domain::kAny},
                                           OpCase{"minimum", {kF32, kF64, kI32, kI64}, 0, Domain::kAny},
                                           OpCase{"equal", {kBool, kF32, kF64, kI32, kI64}, 0, Domain::kAny},
                                           OpCase{"not_equal", {kBool, kF32, kF64, kI32, kI64}, 0, Domain::kAny},
                                           OpCase{"less", {kF32, kF64, kI32, kI64}, 0, Domain::kAny},
                                           OpCase{"less_equal", {kF32, kF64, kI32, kI64}, 0, Domain::kAny},
                                           OpCase{"greater", {kF32, kF64, kI32, kI64}, 0, Domain::kAny},
                                           OpCase{"greater_equal", {kF32, kF64, kI32, kI64}, 0, Domain::kAny},
                                           OpCase{"fmod", {kF32, kF64, kI32, kI64}, 0, Domain::kAny},
                                           OpCase{"remainder", {kF32, kF64, kI32, kI64}, 0, Domain::kAny},
                                           OpCase{"logical_and", {kBool}, 0, Domain::kAny},
                                           OpCase{"logical_or", {kBool}, 0, Domain::kAny},
                                           OpCase{"logical_xor", {kBool}, 0, Domain::kAny}),
                         [](const auto& test) { return name_of(test.param); });

TEST(PowTest, SmallBasesAndExponentsMatch) {
  KEEL_REQUIRE_OPENCL();
  const OpCase c{"pow", {kF32, kF64}, 16, Domain::kSmall};
  for (const keel_dtype_t dtype : c.dtypes) {
    Tensor base = random_tensor(dtype, {40, 1}, 31, Domain::kSmall);
    Tensor exponent = random_tensor(dtype, {1, 40}, 32, Domain::kSmall);
    for (int64_t i = 0; i < 10; ++i) set_number(exponent, i, static_cast<double>(i) - 4);  // integer exponents
    check_op(c, dtype, nullptr, {base, exponent});
  }
}

TEST(WhereTest, PicksBitForBitWithBroadcasting) {
  KEEL_REQUIRE_OPENCL();
  Devices& d = Devices::get();
  for (const keel_dtype_t dtype : {kBool, kI32, kI64, kF32, kF64}) {
    SCOPED_TRACE(keel_dtype_name(dtype));
    const Tensor cond = random_tensor(kBool, {5, 1, 4}, 41);
    Tensor a = random_tensor(dtype, {3, 1}, 42);
    Tensor b = random_tensor(dtype, {4}, 43);
    if (dtype == kF32) set_bits(a, 0, 0x7fa00001);  // a signalling NaN with a payload must survive
    for (const auto& [layouts, out] : {std::pair{std::vector<Layout>{}, Layout::kDense},
                                       std::pair{std::vector{Layout::kReversed, Layout::kTransposed, Layout::kPadded},
                                                 Layout::kTransposed}}) {
      const Result got = run(d.opencl, "where", nullptr, {cond, a, b}, layouts, out);
      const Result want = run(d.reference, "where", nullptr, {cond, a, b});
      ASSERT_TRUE(got.ok()) << got.message;
      ASSERT_TRUE(want.ok()) << want.message;
      EXPECT_TRUE(same_bits(got.outputs[0], want.outputs[0]));
    }
    const Result scalar = run(d.opencl, "where", nullptr,
                              {random_tensor(kBool, {}, 44), random_tensor(dtype, {}, 45), random_tensor(dtype, {}, 46)});
    ASSERT_TRUE(scalar.ok()) << scalar.message;
  }
}

TEST(CastTest, EveryDtypePairFollowsTheCastRules) {
  KEEL_REQUIRE_OPENCL();
  Devices& d = Devices::get();
  for (const keel_dtype_t from : {kBool, kI32, kI64, kF32, kF64}) {
    for (const keel_dtype_t to : {kBool, kI32, kI64, kF32, kF64}) {
      SCOPED_TRACE(std::string(keel_dtype_name(from)) + " -> " + keel_dtype_name(to));
      Tensor x = random_tensor(from, {64}, 51);
      if (from == kF32 || from == kF64) {
        // Values around the integer limits and halfway cases, to check truncation and saturation.
        const double edges[] = {2147483647.5, 2147483648.0, -2147483649.0, 9.3e18, -9.3e18, 2.5, -2.5, 0.49999997,
                                1e-40, 3.4028235677973366e38, 1e39, -1e39, 16777217.0};
        for (size_t i = 0; i < std::size(edges); ++i) set_number(x, 30 + static_cast<int64_t>(i), edges[i]);
      }
      keel_cast_attrs_t attrs = KEEL_CAST_ATTRS_INIT;
      attrs.to = to;
      for (const Layout layout : {Layout::kDense, Layout::kReversed}) {
        const Result got = run(d.opencl, "cast", &attrs, {x}, {layout}, layout);
        const Result want = run(d.reference, "cast", &attrs, {x});
        ASSERT_TRUE(got.ok()) << got.message;
        ASSERT_TRUE(want.ok()) << want.message;
        if (from == to) {
          EXPECT_TRUE(same_bits(got.outputs[0], want.outputs[0]));
        } else {
          EXPECT_TRUE(same_values(got.outputs[0], want.outputs[0]));
        }
      }
    }
  }
}

TEST(ElementwiseTest, RepeatedRowsThroughStrideZeroViews) {
  KEEL_REQUIRE_OPENCL();
  Devices& d = Devices::get();
  // An input whose first axis has stride 0: one row seen four times.
  const Tensor row = random_tensor(kF32, {6}, 61);
  const Placed x = place(d.opencl, row, Layout::kDense);
  keel_tensor_t view = x.view;
  view.rank = 2;
  view.shape[0] = 4;
  view.shape[1] = 6;
  view.strides[0] = 0;
  view.strides[1] = 1;
  const Placed y = place_output(d.opencl, kF32, {4, 6}, Layout::kDense);
  const keel_op_t* op = nullptr;
  ASSERT_TRUE(IsOk(keel_op_find("neg", &op)));
  ASSERT_TRUE(IsOk(keel_op_run(d.opencl_queue.get(), op, nullptr, &view, 1, &y.view, 1)));
  ASSERT_TRUE(IsOk(keel_queue_synchronize(d.opencl_queue.get())));
  const Tensor out = fetch(y);
  for (int64_t i = 0; i < 24; ++i) {
    if (std::isnan(row.number(i % 6))) continue;
    EXPECT_EQ(out.number(i), -row.number(i % 6)) << i;
  }
}

}  // namespace
}  // namespace keel::opencl_test
