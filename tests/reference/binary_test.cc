// add sub mul div pow maximum minimum with broadcasting, against long double / 128-bit integer references.
#include <cmath>
#include <functional>
#include <limits>

#include "harness/test_support.h"
#include "keel/keel_ops.h"

namespace keel::reference_test {
namespace {

__extension__ typedef __int128 Wide;  // exact products and sums of any two int64 values
__extension__ typedef unsigned __int128 UnsignedWide;

// The low bits of an exact integer, as the dtype (the spec's wrap modulo 2^bits).
long double wrapped(keel_dtype_t dtype, Wide exact) {
  const auto low = static_cast<uint64_t>(static_cast<UnsignedWide>(exact));
  if (dtype == KEEL_DTYPE_I32) return static_cast<int32_t>(static_cast<uint32_t>(low));
  return static_cast<long double>(static_cast<int64_t>(low));
}

Wide wide(long double integer) { return static_cast<Wide>(static_cast<int64_t>(integer)); }

// Integer division rounded toward zero or toward -inf; b = 0 gives 0 (INT_MIN / -1 wraps back to INT_MIN).
long double integer_quotient(keel_dtype_t dtype, long double a, long double b, bool floor) {
  if (b == 0) return 0;
  const Wide x = wide(a);
  const Wide y = wide(b);
  Wide q = x / y;
  if (floor && q * y != x && ((x < 0) != (y < 0))) q -= 1;
  return wrapped(dtype, q);
}

// The correctly rounded quotient in the dtype (IEEE division), then trunc or floor.
long double float_quotient(keel_dtype_t dtype, long double a, long double b, bool floor) {
  const long double q = dtype == KEEL_DTYPE_F32
                            ? static_cast<long double>(static_cast<float>(a) / static_cast<float>(b))
                            : static_cast<long double>(static_cast<double>(a) / static_cast<double>(b));
  return floor ? std::floor(q) : std::trunc(q);
}

long double ieee_maximum(long double a, long double b) {
  if (std::isnan(a) || std::isnan(b)) return std::numeric_limits<long double>::quiet_NaN();
  if (a == 0 && b == 0) return std::signbit(a) && std::signbit(b) ? -0.0L : 0.0L;
  return a > b ? a : b;
}

long double ieee_minimum(long double a, long double b) {
  if (std::isnan(a) || std::isnan(b)) return std::numeric_limits<long double>::quiet_NaN();
  if (a == 0 && b == 0) return std::signbit(a) || std::signbit(b) ? -0.0L : 0.0L;
  return a < b ? a : b;
}

using BinaryReference = std::function<long double(long double a, long double b, keel_dtype_t dtype)>;

struct BinaryOp {
  std::string name;
  std::vector<keel_dtype_t> dtypes;
  BinaryReference reference;
  double ulps;  // for floats; 0: exact. Integers are always exact.
  const void* attrs = nullptr;
  double low = -8;
  double high = 8;
};

// The spec's 0.5 ulp (correctly rounded), plus room for the long double reference's own rounding.
constexpr double kCorrectlyRounded = 0.5 + 1.0 / 1024;

const keel_div_attrs_t kTrunc = {sizeof(keel_div_attrs_t), KEEL_DIV_ROUNDING_TRUNC};
const keel_div_attrs_t kFloor = {sizeof(keel_div_attrs_t), KEEL_DIV_ROUNDING_FLOOR};

const std::vector<BinaryOp>& binary_ops() {
  static const std::vector<BinaryOp> ops = {
      {"add", kNumericTypes,
       [](long double a, long double b, keel_dtype_t t) { return is_float(t) ? a + b : wrapped(t, wide(a) + wide(b)); },
       kCorrectlyRounded, nullptr, -2e9, 2e9},
      {"sub", kNumericTypes,
       [](long double a, long double b, keel_dtype_t t) { return is_float(t) ? a - b : wrapped(t, wide(a) - wide(b)); },
       kCorrectlyRounded, nullptr, -2e9, 2e9},
      {"mul", kNumericTypes,
       [](long double a, long double b, keel_dtype_t t) { return is_float(t) ? a * b : wrapped(t, wide(a) * wide(b)); },
       kCorrectlyRounded, nullptr, -1e6, 1e6},
      {"div", kFloatTypes, [](long double a, long double b, keel_dtype_t) { return a / b; }, kCorrectlyRounded},
      {"div (trunc)", kNumericTypes,
       [](long double a, long double b, keel_dtype_t t) {
         return is_float(t) ? float_quotient(t, a, b, false) : integer_quotient(t, a, b, false);
       },
       0, &kTrunc, -20, 20},
      {"div (floor)", kNumericTypes,
       [](long double a, long double b, keel_dtype_t t) {
         return is_float(t) ? float_quotient(t, a, b, true) : integer_quotient(t, a, b, true);
       },
       0, &kFloor, -20, 20},
      {"pow", kFloatTypes, [](long double a, long double b, keel_dtype_t) { return std::pow(a, b); }, 16, nullptr, 0,
       6},
      {"maximum", kNumericTypes, [](long double a, long double b, keel_dtype_t) { return ieee_maximum(a, b); }, 0},
      {"minimum", kNumericTypes, [](long double a, long double b, keel_dtype_t) { return ieee_minimum(a, b); }, 0},
  };
  return ops;
}

std::string op_name(const BinaryOp& op) { return op.name.substr(0, op.name.find(' ')); }

struct ShapePair {
  Dims a;
  Dims b;
};

const std::vector<ShapePair>& shape_pairs() {
  static const std::vector<ShapePair> pairs = {
      {{}, {}},         {{5}, {5}},          {{2, 3}, {3}},
      {{3}, {2, 3}},    {{4, 1, 3}, {2, 1}}, {{}, {2, 2}},
      {{0, 3}, {1, 3}}, {{2, 1}, {1, 0}},    {{2, 1, 3, 1, 2, 1}, {1, 2, 1, 4, 1, 3}},
  };
  return pairs;
}

class Binary : public BackendTest {
 protected:
  void check(const BinaryOp& op, keel_dtype_t dtype, const HostTensor& a, const HostTensor& b, const Layout& a_layout,
             const Layout& b_layout, const Layout& y_layout) {
    const Dims shape = broadcast_dims(a.shape, b.shape);
    SCOPED_TRACE(op.name + " " + name_of(dtype) + text_of(a.shape) + text_of(b.shape) + " layouts " + a_layout.label +
                 ", " + b_layout.label + " -> " + y_layout.label);
    const HostTensor y = run_one(op_name(op), op.attrs, {a, b}, {a_layout, b_layout}, dtype, shape, y_layout);
    if (y.dtype == KEEL_DTYPE_INVALID) return;
    std::vector<long double> ref;
    for (int64_t i = 0; i < count_of(shape); ++i) {
      const Dims index = unravel(i, shape);
      const long double x0 = a.value(ravel(broadcast_source(index, a.shape), a.shape));
      const long double x1 = b.value(ravel(broadcast_source(index, b.shape), b.shape));
      ref.push_back(op.reference(x0, x1, dtype));
    }
    if (!is_float(dtype) || op.ulps == 0) {
      EXPECT_TRUE(exactly(y, rounded(dtype, shape, ref)));
    } else {
      EXPECT_TRUE(within_ulps(y, ref, op.ulps));
    }
  }
};

TEST_P(Binary, BroadcastShapesInEveryLayout) {
  Random random(3);
  for (const BinaryOp& op : binary_ops()) {
    for (const keel_dtype_t dtype : op.dtypes) {
      const double low = is_float(dtype) ? std::max(op.low, -1e4) : op.low;
      const double high = is_float(dtype) ? std::min(op.high, 1e4) : op.high;
      for (const ShapePair& pair : shape_pairs()) {
        const HostTensor a = random.tensor(dtype, pair.a, low, high);
        const HostTensor b = random.tensor(dtype, pair.b, op.name == "pow" ? -4 : low, op.name == "pow" ? 4 : high);
        const std::vector<Layout> a_layouts = Layout::all(pair.a.size());
        const std::vector<Layout> b_layouts = Layout::all(pair.b.size());
        const std::vector<Layout> y_layouts = Layout::all(broadcast_dims(pair.a, pair.b).size());
        for (size_t l = 0; l < a_layouts.size(); ++l) {
          check(op, dtype, a, b, a_layouts[l], b_layouts[(l + 1) % b_layouts.size()],
                y_layouts[(l + 2) % y_layouts.size()]);
        }
      }
    }
  }
}

TEST_P(Binary, EveryPairOfSpecialValues) {
  for (const BinaryOp& op : binary_ops()) {
    for (const keel_dtype_t dtype : op.dtypes) {
      const auto [a, b] = special_pairs(dtype);
      check(op, dtype, a, b, Layout::dense(), Layout::dense(), Layout::dense());
    }
  }
}

TEST_P(Binary, SpecRulesSpelledOut) {
  const auto one = [&](const char* op, const void* attrs, keel_dtype_t dtype, long double a, long double b) {
    const HostTensor y = run_one(op, attrs, {tensor_of(dtype, {}, {a}), tensor_of(dtype, {}, {b})}, {}, dtype, {});
    return y.value(0);
  };
  const long double nan = std::numeric_limits<long double>::quiet_NaN();
  EXPECT_FALSE(std::signbit(one("maximum", nullptr, KEEL_DTYPE_F32, 0.0L, -0.0L)));
  EXPECT_FALSE(std::signbit(one("maximum", nullptr, KEEL_DTYPE_F64, -0.0L, 0.0L)));
  EXPECT_TRUE(std::signbit(one("minimum", nullptr, KEEL_DTYPE_F32, 0.0L, -0.0L)));
  EXPECT_TRUE(std::signbit(one("minimum", nullptr, KEEL_DTYPE_F64, -0.0L, 0.0L)));
  EXPECT_TRUE(std::isnan(one("maximum", nullptr, KEEL_DTYPE_F32, nan, 1.0L)));
  EXPECT_TRUE(std::isnan(one("minimum", nullptr, KEEL_DTYPE_F64, 1.0L, nan)));
  EXPECT_EQ(one("pow", nullptr, KEEL_DTYPE_F32, nan, 0.0L), 1.0L);
  EXPECT_EQ(one("pow", nullptr, KEEL_DTYPE_F64, 1.0L, nan), 1.0L);
  EXPECT_TRUE(std::isnan(one("pow", nullptr, KEEL_DTYPE_F64, -8.0L, 1.0L / 3)));
  EXPECT_EQ(one("div", &kTrunc, KEEL_DTYPE_I32, 7, 0), 0);
  EXPECT_EQ(one("div", &kFloor, KEEL_DTYPE_I64, -7, 2), -4);
  EXPECT_EQ(one("div", &kTrunc, KEEL_DTYPE_I64, -7, 2), -3);
  EXPECT_EQ(one("div", &kFloor, KEEL_DTYPE_I32, std::numeric_limits<int32_t>::min(), -1),
            std::numeric_limits<int32_t>::min());
  EXPECT_EQ(one("div", &kFloor, KEEL_DTYPE_F32, -7.0L, 2.0L), -4.0L);
  EXPECT_EQ(one("div", nullptr, KEEL_DTYPE_F64, 1.0L, -0.0L), -std::numeric_limits<long double>::infinity());
  EXPECT_EQ(one("add", nullptr, KEEL_DTYPE_I32, std::numeric_limits<int32_t>::max(), 1),
            std::numeric_limits<int32_t>::min());
  EXPECT_EQ(one("mul", nullptr, KEEL_DTYPE_I64, 4294967296.0L, 4294967296.0L), 0);
}

TEST_P(Binary, OutputAliasingAnInput) {
  const HostTensor a = tensor_of(KEEL_DTYPE_I32, {2, 2}, {1, 2, 3, 4});
  const HostTensor b = tensor_of(KEEL_DTYPE_I32, {2}, {10, 20});
  const DeviceTensor x = session().upload(a);
  const DeviceTensor y = session().upload(b);
  ASSERT_TRUE(session().run("add", nullptr, {x, y}, {x}).ok());
  EXPECT_TRUE(exactly(session().download(x), tensor_of(KEEL_DTYPE_I32, {2, 2}, {11, 22, 13, 24})));
}

KEEL_INSTANTIATE_FOR_BACKENDS(Binary);

}  // namespace
}  // namespace keel::reference_test
