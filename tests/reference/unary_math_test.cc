// The references of the elementwise unary operators and the primitive activations (elementwise_unary.yaml,
// activations.yaml: sigmoid, relu), and the special values each spells out, for every float dtype.
#include <cmath>
#include <limits>

#include "harness/ref_util.h"
#include "harness/test_support.h"
#include "keel/keel_ops.h"

namespace keel::reference_test {
namespace {

long double negated(long double x, keel_dtype_t dtype) { return is_float(dtype) ? -x : wrap_to(dtype, -x); }

// ---- References -------------------------------------------------------------------------------------------

KEEL_REFERENCE(neg) {
  const keel_dtype_t t = call.inputs[0].dtype;
  return {Expected::of_values(map_unary(call, [&](long double x) { return negated(x, t); }))};
}

KEEL_REFERENCE(abs) {
  const keel_dtype_t t = call.inputs[0].dtype;
  return {Expected::of_values(map_unary(call, [&](long double x) {
    return is_float(t) ? std::fabs(x) : x < 0 ? negated(x, t) : x;
  }))};
}

KEEL_REFERENCE(sign) {
  return {Expected::of_values(map_unary(call, [](long double x) {
    if (std::isnan(x)) return x;
    return x > 0 ? 1.0L : x < 0 ? -1.0L : 0.0L;  // ±0 gives +0
  }))};
}

KEEL_REFERENCE(relu) {
  return {Expected::of_values(map_unary(call, [](long double x) {
    if (std::isnan(x)) return x;
    return x > 0 ? x : 0.0L;  // relu(-0) = +0
  }))};
}

KEEL_REFERENCE(exp) { return {Expected::of_values(map_unary(call, [](long double x) { return std::exp(x); }))}; }
KEEL_REFERENCE(log) { return {Expected::of_values(map_unary(call, [](long double x) { return std::log(x); }))}; }
KEEL_REFERENCE(sqrt) { return {Expected::of_values(map_unary(call, [](long double x) { return std::sqrt(x); }))}; }
KEEL_REFERENCE(tanh) { return {Expected::of_values(map_unary(call, [](long double x) { return std::tanh(x); }))}; }
KEEL_REFERENCE(sin) { return {Expected::of_values(map_unary(call, [](long double x) { return std::sin(x); }))}; }
KEEL_REFERENCE(cos) { return {Expected::of_values(map_unary(call, [](long double x) { return std::cos(x); }))}; }
KEEL_REFERENCE(erf) { return {Expected::of_values(map_unary(call, [](long double x) { return std::erf(x); }))}; }
KEEL_REFERENCE(floor) { return {Expected::of_values(map_unary(call, [](long double x) { return std::floor(x); }))}; }
KEEL_REFERENCE(ceil) { return {Expected::of_values(map_unary(call, [](long double x) { return std::ceil(x); }))}; }

KEEL_REFERENCE(sigmoid) {
  return {Expected::of_values(map_unary(call, [](long double x) { return 1.0L / (1.0L + std::exp(-x)); }))};
}

KEEL_REFERENCE(reciprocal) {
  return {Expected::of_values(map_unary(call, [](long double x) { return 1.0L / x; }))};
}

// 1 / sqrt(x) with sqrt(-0) = -0, so rsqrt(-0) = -inf.
KEEL_REFERENCE(rsqrt) {
  return {Expected::of_values(map_unary(call, [](long double x) { return 1.0L / std::sqrt(x); }))};
}

// Ties to even, written out: the nearest integer, the even one of two equally near, x's sign on a zero.
KEEL_REFERENCE(round) {
  return {Expected::of_values(map_unary(call, [](long double x) {
    if (!std::isfinite(x)) return x;
    const long double below = std::floor(x);
    const long double fraction = x - below;
    long double r = below;
    if (fraction > 0.5L || (fraction == 0.5L && std::fmod(below, 2.0L) != 0)) r = below + 1;
    return r == 0 ? std::copysign(0.0L, x) : r;
  }))};
}

KEEL_REFERENCE(isnan) {
  return {Expected::of_values(map_unary(call, [](long double x) -> long double { return std::isnan(x) ? 1 : 0; }))};
}

KEEL_REFERENCE(isinf) {
  const auto& a = call.attrs_as<keel_isinf_attrs_t>();
  return {Expected::of_values(map_unary(call, [&](long double x) -> long double {
    return (x == kInf && a.detect_positive) || (x == -kInf && a.detect_negative) ? 1 : 0;
  }))};
}

// ---- Special values and shapes ----------------------------------------------------------------------------

class UnaryMath : public BackendTest {
 protected:
  HostTensor one(const std::string& op, keel_dtype_t dtype, long double x, const void* attrs = nullptr) {
    const keel_dtype_t out = op == "isnan" || op == "isinf" ? keel_dtype_t{KEEL_DTYPE_BOOL} : dtype;
    return run_one(op, attrs, {tensor_of(dtype, {}, {x})}, {}, out, {});
  }
};

const std::vector<keel_dtype_t> kAllFloats = {KEEL_DTYPE_F16, KEEL_DTYPE_BF16, KEEL_DTYPE_F32, KEEL_DTYPE_F64};

TEST_P(UnaryMath, EveryOperatorOnSpecialValuesInEveryFloatDtype) {
  for (const char* op : {"neg", "abs", "sign", "relu", "exp", "log", "sqrt", "tanh", "sigmoid", "reciprocal", "rsqrt",
                         "sin", "cos", "erf", "floor", "ceil", "round", "isnan", "isinf"}) {
    for (const keel_dtype_t dtype : kAllFloats) {
      SCOPED_TRACE(std::string(op) + " " + name_of(dtype));
      check_call(session(), op, nullptr, {special_tensor(dtype)});
    }
  }
}

TEST_P(UnaryMath, RandomValuesInEveryShapeAndLayout) {
  Random random(41);
  const std::vector<Dims> shapes = {{}, {0}, {3, 0, 2}, {7}, {2, 3, 4}, {2, 1, 3, 1, 2, 2}};
  for (const char* op : {"reciprocal", "rsqrt", "sin", "cos", "erf", "floor", "ceil", "round", "isnan", "isinf"}) {
    for (const keel_dtype_t dtype : kAllFloats) {
      for (const Dims& shape : shapes) {
        const HostTensor x = random.tensor(dtype, shape, -40, 40);
        const std::vector<Layout> layouts = Layout::all(shape.size());
        for (size_t l = 0; l < layouts.size(); ++l) {
          SCOPED_TRACE(std::string(op) + " " + name_of(dtype) + text_of(shape) + " " + layouts[l].label);
          check_call(session(), op, nullptr, {x}, {layouts[l]}, {layouts[(l + 1) % layouts.size()]});
        }
      }
    }
  }
}

TEST_P(UnaryMath, LargeArgumentsOfSinAndCos) {
  // The bound holds over the whole finite range: argument reduction must be exact.
  for (const keel_dtype_t dtype : kAllFloats) {
    const long double big = largest_of(dtype);
    const HostTensor x = tensor_of(dtype, {6}, {1e4L, -1e5L, 3.0e7L, big, -big / 3, 1e22L});
    check_call(session(), "sin", nullptr, {x});
    check_call(session(), "cos", nullptr, {x});
  }
}

TEST_P(UnaryMath, RulesSpelledOutInTheSpec) {
  for (const keel_dtype_t dtype : kAllFloats) {
    SCOPED_TRACE(name_of(dtype));
    EXPECT_EQ(one("reciprocal", dtype, 0.0L).value(0), kInf);
    EXPECT_EQ(one("reciprocal", dtype, -0.0L).value(0), -kInf);
    EXPECT_TRUE(std::signbit(one("reciprocal", dtype, -kInf).value(0)));
    EXPECT_EQ(one("rsqrt", dtype, 0.0L).value(0), kInf);
    EXPECT_EQ(one("rsqrt", dtype, -0.0L).value(0), -kInf);
    EXPECT_TRUE(std::isnan(one("rsqrt", dtype, -1.0L).value(0)));
    EXPECT_EQ(one("rsqrt", dtype, kInf).value(0), 0.0L);
    EXPECT_TRUE(std::signbit(one("sin", dtype, -0.0L).value(0)));
    EXPECT_TRUE(std::isnan(one("sin", dtype, kInf).value(0)));
    EXPECT_EQ(one("cos", dtype, -0.0L).value(0), 1.0L);
    EXPECT_EQ(one("erf", dtype, -kInf).value(0), -1.0L);
    EXPECT_TRUE(std::signbit(one("erf", dtype, -0.0L).value(0)));
    EXPECT_EQ(one("floor", dtype, -0.5L).value(0), -1.0L);
    EXPECT_TRUE(std::signbit(one("floor", dtype, -0.0L).value(0)));
    EXPECT_FALSE(std::signbit(one("floor", dtype, 0.5L).value(0)));
    EXPECT_TRUE(std::signbit(one("ceil", dtype, -0.5L).value(0)));
    EXPECT_EQ(one("ceil", dtype, 0.5L).value(0), 1.0L);
    EXPECT_FALSE(std::signbit(one("round", dtype, 0.5L).value(0)));
    EXPECT_EQ(one("round", dtype, 0.5L).value(0), 0.0L);
    EXPECT_EQ(one("round", dtype, 1.5L).value(0), 2.0L);
    EXPECT_EQ(one("round", dtype, 2.5L).value(0), 2.0L);
    EXPECT_TRUE(std::signbit(one("round", dtype, -0.5L).value(0)));
    EXPECT_EQ(one("round", dtype, -1.5L).value(0), -2.0L);
    EXPECT_EQ(one("isnan", dtype, kNaN).value(0), 1.0L);
    EXPECT_EQ(one("isinf", dtype, kNaN).value(0), 0.0L);
    const keel_isinf_attrs_t negative_only = {sizeof(keel_isinf_attrs_t), 0, 1};
    EXPECT_EQ(one("isinf", dtype, kInf, &negative_only).value(0), 0.0L);
    EXPECT_EQ(one("isinf", dtype, -kInf, &negative_only).value(0), 1.0L);
  }
}

TEST_P(UnaryMath, SignalingNansAndPayloadsAreNans) {
  // isnan: every NaN, quiet or signaling, any payload.
  HostTensor x = HostTensor::zeros(KEEL_DTYPE_F32, {4});
  const uint32_t patterns[] = {0x7fc00000u, 0x7f800001u, 0xffbfffffu, 0x7f800000u};
  for (int i = 0; i < 4; ++i) x.set<uint32_t>(i, patterns[i]);
  const HostTensor y = run_one("isnan", nullptr, {x}, {}, KEEL_DTYPE_BOOL, {4});
  EXPECT_TRUE(exactly(y, tensor_of(KEEL_DTYPE_BOOL, {4}, {1, 1, 1, 0})));
  HostTensor h = HostTensor::zeros(KEEL_DTYPE_F16, {3});
  const uint16_t half_patterns[] = {0x7c01, 0xfe00, 0x7c00};
  for (int i = 0; i < 3; ++i) h.set<uint16_t>(i, half_patterns[i]);
  EXPECT_TRUE(exactly(run_one("isnan", nullptr, {h}, {}, KEEL_DTYPE_BOOL, {3}),
                      tensor_of(KEEL_DTYPE_BOOL, {3}, {1, 1, 0})));
}

KEEL_INSTANTIATE_FOR_BACKENDS(UnaryMath);

}  // namespace
}  // namespace keel::reference_test
