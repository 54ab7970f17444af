// add sub mul div pow maximum minimum with broadcasting, against long double / 128-bit integer references.
#include <cmath>
#include <functional>
#include <limits>

#include "harness/ref_util.h"
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
  const long double q = dtype == KEEL_DTYPE_F64 ? static_cast<long double>(static_cast<double>(a) / static_cast<double>(b))
                                                : round_to(a / b, dtype);
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

// ---- References (the spec samples and the cases below run through these) ---------------------------------

// a op b correctly rounded to the dtype: f64 by the hardware's IEEE operation, the narrower floats from the
// long double result (exact for +, -, · of f16, bf16 and f32 operands, and a harmless double rounding for /).
long double rounded_op(keel_dtype_t dtype, long double a, long double b, char op) {
  if (dtype == KEEL_DTYPE_F64) {
    const auto x = static_cast<double>(a);
    const auto y = static_cast<double>(b);
    return op == '+' ? x + y : op == '-' ? x - y : op == '*' ? x * y : x / y;
  }
  return round_to(op == '+' ? a + b : op == '-' ? a - b : op == '*' ? a * b : a / b, dtype);
}

long double integer_fmod(keel_dtype_t dtype, long double a, long double b, bool floor) {
  const Wide q = wide(integer_quotient(dtype, a, b, floor));
  return wrapped(dtype, wide(a) - q * wide(b));
}

KEEL_REFERENCE(add) {
  const keel_dtype_t t = call.outputs[0].dtype;
  return {Expected::of_values(map_binary(call, [&](long double a, long double b) {
    return is_float(t) ? rounded_op(t, a, b, '+') : wrapped(t, wide(a) + wide(b));
  }))};
}

KEEL_REFERENCE(sub) {
  const keel_dtype_t t = call.outputs[0].dtype;
  return {Expected::of_values(map_binary(call, [&](long double a, long double b) {
    return is_float(t) ? rounded_op(t, a, b, '-') : wrapped(t, wide(a) - wide(b));
  }))};
}

KEEL_REFERENCE(mul) {
  const keel_dtype_t t = call.outputs[0].dtype;
  return {Expected::of_values(map_binary(call, [&](long double a, long double b) {
    return is_float(t) ? rounded_op(t, a, b, '*') : wrapped(t, wide(a) * wide(b));
  }))};
}

KEEL_REFERENCE(div) {
  const keel_dtype_t t = call.outputs[0].dtype;
  const uint32_t rounding = call.attrs_as<keel_div_attrs_t>().rounding;
  return {Expected::of_values(map_binary(call, [&](long double a, long double b) {
    if (!is_float(t)) return integer_quotient(t, a, b, rounding == KEEL_DIV_ROUNDING_FLOOR);
    const long double q = rounded_op(t, a, b, '/');
    if (rounding == KEEL_DIV_ROUNDING_TRUNC) return std::trunc(q);
    if (rounding == KEEL_DIV_ROUNDING_FLOOR) return std::floor(q);
    return q;
  }))};
}

KEEL_REFERENCE(pow) {
  return {Expected::of_values(map_binary(call, [](long double a, long double b) { return std::pow(a, b); }))};
}

KEEL_REFERENCE(maximum) { return {Expected::of_values(map_binary(call, ieee_maximum))}; }
KEEL_REFERENCE(minimum) { return {Expected::of_values(map_binary(call, ieee_minimum))}; }

// C fmod: exact; integers a - div(a, b, trunc) · b with div's rules.
KEEL_REFERENCE(fmod) {
  const keel_dtype_t t = call.outputs[0].dtype;
  return {Expected::of_values(map_binary(call, [&](long double a, long double b) {
    return is_float(t) ? std::fmod(a, b) : integer_fmod(t, a, b, false);
  }))};
}

// Python %: r = fmod(a, b); a non-zero r of the other sign than b becomes r + b (rounded); a zero r takes b's
// sign. Integers a - div(a, b, floor) · b.
KEEL_REFERENCE(remainder) {
  const keel_dtype_t t = call.outputs[0].dtype;
  return {Expected::of_values(map_binary(call, [&](long double a, long double b) {
    if (!is_float(t)) return integer_fmod(t, a, b, true);
    const long double r = std::fmod(a, b);
    if (r == 0) return std::copysign(0.0L, b);
    if (std::signbit(r) != std::signbit(b)) return rounded_op(t, r, b, '+');
    return r;
  }))};
}

const std::vector<keel_dtype_t> kEveryNumeric = {KEEL_DTYPE_I32, KEEL_DTYPE_I64, KEEL_DTYPE_F16,
                                                 KEEL_DTYPE_BF16, KEEL_DTYPE_F32, KEEL_DTYPE_F64};

TEST_P(Binary, EveryPairOfSpecialValuesInEveryDtype) {
  const keel_div_attrs_t modes[] = {{sizeof(keel_div_attrs_t), KEEL_DIV_ROUNDING_NONE}, kTrunc, kFloor};
  for (const keel_dtype_t dtype : kEveryNumeric) {
    const auto [a, b] = special_pairs(dtype);
    for (const char* op : {"add", "sub", "mul", "maximum", "minimum", "fmod", "remainder"}) {
      SCOPED_TRACE(std::string(op) + " " + name_of(dtype));
      check_call(session(), op, nullptr, {a, b});
    }
    for (const keel_div_attrs_t& mode : modes) {
      if (!is_float(dtype) && mode.rounding == KEEL_DIV_ROUNDING_NONE) continue;
      SCOPED_TRACE("div " + std::to_string(mode.rounding) + " " + name_of(dtype));
      check_call(session(), "div", &mode, {a, b});
    }
    if (is_float(dtype)) check_call(session(), "pow", nullptr, {a, b});
  }
}

TEST_P(Binary, FmodAndRemainderRules) {
  const auto one = [&](const char* op, keel_dtype_t dtype, long double a, long double b) {
    return run_one(op, nullptr, {tensor_of(dtype, {}, {a}), tensor_of(dtype, {}, {b})}, {}, dtype, {}).value(0);
  };
  const long double inf = std::numeric_limits<long double>::infinity();
  for (const keel_dtype_t dtype : {KEEL_DTYPE_F16, KEEL_DTYPE_BF16, KEEL_DTYPE_F32, KEEL_DTYPE_F64}) {
    EXPECT_EQ(one("fmod", dtype, -7, 2), -1);
    EXPECT_EQ(one("remainder", dtype, -7, 2), 1);
    EXPECT_EQ(one("remainder", dtype, 7, -2), -1);
    EXPECT_TRUE(std::isnan(one("fmod", dtype, 1, 0)));
    EXPECT_TRUE(std::isnan(one("remainder", dtype, inf, 2)));
    EXPECT_EQ(one("fmod", dtype, 3, inf), 3);
    EXPECT_EQ(one("remainder", dtype, -1, inf), inf);
    EXPECT_TRUE(std::signbit(one("fmod", dtype, -0.0L, 3)));
    EXPECT_TRUE(std::signbit(one("remainder", dtype, 4, -2)));  // a zero result takes b's sign
  }
  EXPECT_EQ(one("fmod", KEEL_DTYPE_I32, 7, 0), 7);
  EXPECT_EQ(one("remainder", KEEL_DTYPE_I64, -7, 0), -7);
  EXPECT_EQ(one("fmod", KEEL_DTYPE_I32, std::numeric_limits<int32_t>::min(), -1), 0);
  EXPECT_EQ(one("remainder", KEEL_DTYPE_I32, std::numeric_limits<int32_t>::min(), -1), 0);
  EXPECT_EQ(one("fmod", KEEL_DTYPE_I64, -7, 2), -1);
  EXPECT_EQ(one("remainder", KEEL_DTYPE_I64, -7, 2), 1);
}

TEST_P(Binary, EveryDtypeBroadcastInEveryLayout) {
  Random random(5);
  for (const keel_dtype_t dtype : kEveryNumeric) {
    for (const ShapePair& pair : shape_pairs()) {
      const HostTensor a = random.tensor(dtype, pair.a, -100, 100);
      const HostTensor b = random.tensor(dtype, pair.b, -100, 100);
      const std::vector<Layout> la = Layout::all(pair.a.size());
      const std::vector<Layout> lb = Layout::all(pair.b.size());
      const std::vector<Layout> ly = Layout::all(broadcast_dims(pair.a, pair.b).size());
      for (const char* op : {"add", "sub", "mul", "div", "pow", "maximum", "minimum", "fmod", "remainder"}) {
        const std::string name = op;
        if (!is_float(dtype) && (name == "div" || name == "pow")) continue;  // div needs a rounding for integers
        for (size_t l = 0; l < la.size(); ++l) {
          SCOPED_TRACE(std::string(op) + " " + name_of(dtype) + text_of(pair.a) + text_of(pair.b) + " " + la[l].label);
          check_call(session(), op, nullptr, {a, b}, {la[l], lb[(l + 1) % lb.size()]}, {ly[(l + 2) % ly.size()]});
        }
      }
    }
  }
}

}  // namespace
}  // namespace keel::reference_test
