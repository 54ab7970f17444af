// neg abs sign relu (exact) and exp log sqrt tanh sigmoid (ulp bounds), against long double references, over
// every shape class and layout.
#include <cmath>
#include <functional>
#include <limits>

#include "harness/test_support.h"

namespace keel::reference_test {
namespace {

using UnaryReference = std::function<long double(long double x, keel_dtype_t dtype)>;

struct UnaryOp {
  const char* name;
  std::vector<keel_dtype_t> dtypes;
  UnaryReference reference;
  double ulps_f32;  // 0: exact
  double ulps_f64;
  double low;  // random inputs are drawn from [low, high]
  double high;
};

long double integer_or(keel_dtype_t dtype, long double exact, long double x) {
  if (is_float(dtype)) return x;
  return dtype == KEEL_DTYPE_I32 ? wrap<int32_t>(exact) : static_cast<long double>(wrap<int64_t>(exact));
}

const std::vector<UnaryOp>& unary_ops() {
  static const std::vector<UnaryOp> ops = {
      {"neg", kNumericTypes, [](long double x, keel_dtype_t t) { return integer_or(t, -x, -x); }, 0, 0, -9, 9},
      {"abs", kNumericTypes, [](long double x, keel_dtype_t t) { return integer_or(t, std::fabs(x), std::fabs(x)); }, 0,
       0, -9, 9},
      {"sign", kNumericTypes,
       [](long double x, keel_dtype_t) -> long double {
         if (std::isnan(x)) return x;
         return x > 0 ? 1.0L : x < 0 ? -1.0L : 0.0L;  // ±0 gives +0
       },
       0, 0, -3, 3},
      {"relu", kNumericTypes,
       [](long double x, keel_dtype_t) -> long double {
         if (std::isnan(x)) return x;
         return x > 0 ? x : 0.0L;  // relu(-0) = +0
       },
       0, 0, -9, 9},
      {"exp", kFloatTypes, [](long double x, keel_dtype_t) { return std::exp(x); }, 3, 3, -110, 110},
      {"log", kFloatTypes, [](long double x, keel_dtype_t) { return std::log(x); }, 3, 3, 1e-6, 1e6},
      {"sqrt", kFloatTypes, [](long double x, keel_dtype_t) { return std::sqrt(x); }, 3, 3, 0, 1e6},
      {"tanh", kFloatTypes, [](long double x, keel_dtype_t) { return std::tanh(x); }, 5, 5, -12, 12},
      {"sigmoid", kFloatTypes, [](long double x, keel_dtype_t) { return 1.0L / (1.0L + std::exp(-x)); }, 5, 5, -120,
       120},
  };
  return ops;
}

const std::vector<Dims>& shapes() {
  static const std::vector<Dims> all = {{}, {0}, {3, 0, 2}, {7}, {2, 3, 4}, {2, 1, 3, 1, 2, 2}};
  return all;
}

class Unary : public BackendTest {
 protected:
  void check(const UnaryOp& op, keel_dtype_t dtype, const HostTensor& x, const Layout& in_layout,
             const Layout& out_layout) {
    SCOPED_TRACE(std::string(op.name) + " " + name_of(dtype) + text_of(x.shape) + " in " + in_layout.label + ", out " +
                 out_layout.label);
    const HostTensor y = run_one(op.name, nullptr, {x}, {in_layout}, dtype, x.shape, out_layout);
    if (y.dtype == KEEL_DTYPE_INVALID) return;
    std::vector<long double> ref;
    for (int64_t i = 0; i < x.count(); ++i) ref.push_back(op.reference(x.value(i), dtype));
    const double ulps = dtype == KEEL_DTYPE_F32 ? op.ulps_f32 : op.ulps_f64;
    if (ulps == 0) {
      EXPECT_TRUE(exactly(y, rounded(dtype, x.shape, ref)));
    } else {
      EXPECT_TRUE(within_ulps(y, ref, ulps));
    }
  }
};

TEST_P(Unary, RandomInputsInEveryShapeAndLayout) {
  Random random(7);
  for (const UnaryOp& op : unary_ops()) {
    for (const keel_dtype_t dtype : op.dtypes) {
      for (const Dims& shape : shapes()) {
        const HostTensor x = random.tensor(dtype, shape, op.low, op.high);
        const std::vector<Layout> layouts = Layout::all(shape.size());
        for (size_t l = 0; l < layouts.size(); ++l) {
          check(op, dtype, x, layouts[l], layouts[(l + 1) % layouts.size()]);
        }
      }
    }
  }
}

TEST_P(Unary, SpecialValues) {
  for (const UnaryOp& op : unary_ops()) {
    for (const keel_dtype_t dtype : op.dtypes) {
      const HostTensor x = special_tensor(dtype);
      check(op, dtype, x, Layout::dense(), Layout::dense());
    }
  }
}

TEST_P(Unary, SpecRulesForZerosAndIntMin) {
  // The rules spelled out in the spec, checked value by value (sign bits included).
  const auto one = [&](const char* op, keel_dtype_t dtype, long double x) {
    return run_one(op, nullptr, {tensor_of(dtype, {}, {x})}, {}, dtype, {});
  };
  const float nzero = -0.0f;
  EXPECT_TRUE(std::signbit(one("neg", KEEL_DTYPE_F32, 0.0L).get<float>(0)));
  EXPECT_FALSE(std::signbit(one("abs", KEEL_DTYPE_F32, nzero).get<float>(0)));
  EXPECT_FALSE(std::signbit(one("relu", KEEL_DTYPE_F32, nzero).get<float>(0)));
  EXPECT_FALSE(std::signbit(one("sign", KEEL_DTYPE_F64, nzero).get<double>(0)));
  EXPECT_TRUE(std::signbit(one("sqrt", KEEL_DTYPE_F64, nzero).get<double>(0)));
  EXPECT_TRUE(std::signbit(one("tanh", KEEL_DTYPE_F32, nzero).get<float>(0)));
  EXPECT_EQ(one("log", KEEL_DTYPE_F32, nzero).get<float>(0), -std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isnan(one("log", KEEL_DTYPE_F64, -1.0L).get<double>(0)));
  EXPECT_EQ(one("exp", KEEL_DTYPE_F32, 89.0L).get<float>(0), std::numeric_limits<float>::infinity());
  EXPECT_EQ(one("sigmoid", KEEL_DTYPE_F32, -std::numeric_limits<long double>::infinity()).get<float>(0), 0.0f);
  EXPECT_EQ(one("sigmoid", KEEL_DTYPE_F64, std::numeric_limits<long double>::infinity()).get<double>(0), 1.0);
  const int32_t int_min = std::numeric_limits<int32_t>::min();
  EXPECT_EQ(one("neg", KEEL_DTYPE_I32, int_min).get<int32_t>(0), int_min);
  EXPECT_EQ(one("abs", KEEL_DTYPE_I32, int_min).get<int32_t>(0), int_min);
  const int64_t long_min = std::numeric_limits<int64_t>::min();
  EXPECT_EQ(one("neg", KEEL_DTYPE_I64, static_cast<long double>(long_min)).get<int64_t>(0), long_min);
  EXPECT_EQ(one("relu", KEEL_DTYPE_I64, -5).get<int64_t>(0), 0);
  EXPECT_EQ(one("sign", KEEL_DTYPE_I32, -7).get<int32_t>(0), -1);
}

TEST_P(Unary, InPlaceOutputAliasingTheInput) {
  const HostTensor x = tensor_of(KEEL_DTYPE_F32, {2, 3}, {-1, 2, -3, 4, -5, 6});
  const DeviceTensor tensor = session().upload(x, Layout::transposed(2));
  ASSERT_TRUE(session().run("neg", nullptr, {tensor}, {tensor}).ok());
  EXPECT_TRUE(exactly(session().download(tensor), tensor_of(KEEL_DTYPE_F32, {2, 3}, {1, -2, 3, -4, 5, -6})));
}

TEST_P(Unary, RepeatedInputAxes) {
  // An input with a stride-0 axis: every row reads the same memory.
  Random random(11);
  const HostTensor x = random.tensor(KEEL_DTYPE_F64, {4, 3});
  Layout repeated;
  repeated.label = "repeated";
  repeated.repeated = {0};
  const HostTensor seen = seen_through(x, repeated);
  const HostTensor y = run_one("exp", nullptr, {x}, {repeated}, KEEL_DTYPE_F64, {4, 3});
  std::vector<long double> ref;
  for (int64_t i = 0; i < seen.count(); ++i) ref.push_back(std::exp(seen.value(i)));
  EXPECT_TRUE(within_ulps(y, ref, 3));
}

KEEL_INSTANTIATE_FOR_BACKENDS(Unary);

}  // namespace
}  // namespace keel::reference_test
