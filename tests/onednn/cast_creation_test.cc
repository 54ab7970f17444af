// cast, full and arange. Casts among bool, i32, i64, f32 and f64 are checked against the reference in the
// same dtypes (rounding, saturation, NaN, -0, wrap-around); casts from and to f16 and bf16, which the
// reference does not implement, against conversions computed here independently (host_tensor.cc).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "oracle.h"

namespace keel::onednn_test {
namespace {

const std::vector<keel_dtype_t> kReferenceTypes = {KEEL_DTYPE_BOOL, KEEL_DTYPE_I32, KEEL_DTYPE_I64, KEEL_DTYPE_F32,
                                                   KEEL_DTYPE_F64};

HostTensor cast_inputs(keel_dtype_t dtype, std::mt19937_64& rng) {
  HostTensor t = random_tensor(dtype, {6, 37}, dtype == KEEL_DTYPE_BOOL ? Values::kBool : Values::kSpecial, rng);
  if (is_float(dtype)) {  // values around the integer limits and the f32 rounding boundaries
    const long double edges[] = {2147483647.5L, 2147483648.0L, -2147483649.0L, 9.3e18L, -9.3e18L, 16777217.0L,
                                 0.5L, -0.5L, 1.5L, 2.5L, -2.7L, 1e-46L, 3.4028236e38L, 65520.0L, 65519.0L};
    for (size_t i = 0; i < std::size(edges); ++i) t.set(static_cast<int64_t>(i * 3), edges[i]);
  }
  return t;
}

TEST(CastTest, MatchesReferenceForEveryPair) {
  std::mt19937_64 rng(23);
  for (const keel_dtype_t from : kReferenceTypes) {
    for (const keel_dtype_t to : kReferenceTypes) {
      const keel_cast_attrs_t attrs = {sizeof(keel_cast_attrs_t), to};
      expect_matches_reference({.op = "cast", .attrs = &attrs, .inputs = {cast_inputs(from, rng)}, .widen = false,
                                .label = "to " + name_of(to)});
      expect_matches_reference({.op = "cast", .attrs = &attrs, .inputs = {cast_inputs(from, rng)},
                                .input_layouts = {Layout::kReversed}, .output_layout = Layout::kTransposed,
                                .widen = false, .label = "to " + name_of(to)});
    }
  }
}

// cast to the input's own dtype copies bits, NaN payloads included.
TEST(CastTest, SameDtypeCopiesBits) {
  HostTensor x = HostTensor::zeros(KEEL_DTYPE_F32, {3});
  x.set_bits(0, 0x7fc0abcdu);
  x.set_bits(1, 0xff800001u);
  x.set_bits(2, 0x80000000u);
  const keel_cast_attrs_t attrs = {sizeof(keel_cast_attrs_t), KEEL_DTYPE_F32};
  expect_matches_reference({.op = "cast", .attrs = &attrs, .inputs = {x}, .bitwise = true});
}

// The expected result of casting `value` to `to` under the spec's rules, computed here.
long double expected_cast(long double value, keel_dtype_t to) {
  if (to == KEEL_DTYPE_BOOL) return value != 0 ? 1 : 0;  // NaN != 0
  if (to == KEEL_DTYPE_I32 || to == KEEL_DTYPE_I64) {
    if (std::isnan(value)) return 0;
    const long double limit = to == KEEL_DTYPE_I32 ? 2147483648.0L : 9223372036854775808.0L;
    const long double truncated = std::trunc(value);
    if (truncated >= limit) return limit - 1;
    if (truncated < -limit) return -limit;
    return truncated;
  }
  return value;  // floats: HostTensor::set rounds once to nearest even
}

// 16-bit floats, both directions, against the independent conversions of host_tensor.cc.
TEST(CastTest, HalfPrecisionConversionsRoundOnce) {
  std::mt19937_64 rng(29);
  Harness& h = Harness::get();
  const std::vector<keel_dtype_t> all = {KEEL_DTYPE_BOOL, KEEL_DTYPE_I32, KEEL_DTYPE_I64, KEEL_DTYPE_F32,
                                         KEEL_DTYPE_F64,  KEEL_DTYPE_F16, KEEL_DTYPE_BF16};
  for (const keel_dtype_t from : all) {
    for (const keel_dtype_t to : all) {
      const bool half = from == KEEL_DTYPE_F16 || from == KEEL_DTYPE_BF16 || to == KEEL_DTYPE_F16 ||
                        to == KEEL_DTYPE_BF16;
      if (!half || from == to) continue;
      SCOPED_TRACE(name_of(from) + " -> " + name_of(to));
      HostTensor x = cast_inputs(from, rng);
      if (from == KEEL_DTYPE_F32 || from == KEEL_DTYPE_F64) {
        // Values just off the f16/bf16 rounding midpoints, where rounding through f32 first would go wrong.
        x.set(1, 1.0L + std::ldexp(1.0L, -8) + std::ldexp(1.0L, -30));
        x.set(2, 1.0L + std::ldexp(1.0L, -11) + std::ldexp(1.0L, -40));
        x.set(4, std::ldexp(1.0L, -133));  // bf16's smallest subnormal
        x.set(5, std::ldexp(3.0L, -26));   // between f16 subnormals
      }
      if (from == KEEL_DTYPE_I64) x.set(1, 9007199791611905.0L);  // 2^53 + 2^29 + 1: rounds differently via f64
      const keel_cast_attrs_t attrs = {sizeof(keel_cast_attrs_t), to};
      DeviceTensor in = h.upload(h.onednn(), x, Layout::kDense);
      DeviceTensor out = h.allocate(h.onednn(), to, x.shape, Layout::kStrided);
      std::string message;
      ASSERT_EQ(h.run(h.onednn(), "cast", &attrs, {&in}, {&out}, &message), KEEL_STATUS_OK) << message;
      const HostTensor got = h.download(out);
      HostTensor want = HostTensor::zeros(to, x.shape);
      for (int64_t i = 0; i < x.count(); ++i) want.set(i, expected_cast(x.get(i), to));
      int failures = 0;
      for (int64_t i = 0; i < x.count() && failures < 5; ++i) {
        const bool nan = std::isnan(want.get(i)) && std::isnan(got.get(i));
        if (!nan && got.bits(i) != want.bits(i)) {
          ++failures;
          ADD_FAILURE() << "element " << i << " = " << static_cast<double>(x.get(i)) << ": got bits " << std::hex
                        << got.bits(i) << ", want " << want.bits(i);
        }
      }
      EXPECT_TRUE(h.guard_bytes_intact(out));
    }
  }
}

TEST(FullTest, MatchesReference) {
  const double values[] = {0.0, -0.0, 3.75, -2.5, 1e40, -1e20, std::numeric_limits<double>::quiet_NaN(),
                           std::numeric_limits<double>::infinity()};
  for (const keel_dtype_t dtype : kReferenceTypes) {
    for (const double value : values) {
      for (const Dims& shape : {Dims{}, Dims{0}, Dims{3, 70000}, Dims{2, 3, 4}}) {
        keel_full_attrs_t attrs = KEEL_FULL_ATTRS_INIT;
        attrs.shape = shape.data();
        attrs.shape_count = shape.size();
        attrs.value = value;
        attrs.dtype = dtype;
        expect_matches_reference({.op = "full", .attrs = &attrs, .output_layout = Layout::kStrided, .widen = false,
                                  .label = name_of(dtype) + " " + std::to_string(value)});
      }
    }
  }
}

TEST(FullTest, HalfPrecisionValuesRoundOnce) {
  Harness& h = Harness::get();
  for (const keel_dtype_t dtype : {KEEL_DTYPE_F16, KEEL_DTYPE_BF16}) {
    for (const double value : {1.0 + std::ldexp(1.0, -8) + std::ldexp(1.0, -30), -65519.0, 1e-7, 3.0e38}) {
      const Dims shape = {5, 3};
      keel_full_attrs_t attrs = KEEL_FULL_ATTRS_INIT;
      attrs.shape = shape.data();
      attrs.shape_count = shape.size();
      attrs.value = value;
      attrs.dtype = dtype;
      DeviceTensor out = h.allocate(h.onednn(), dtype, shape, Layout::kDense);
      std::string message;
      ASSERT_EQ(h.run(h.onednn(), "full", &attrs, {}, {&out}, &message), KEEL_STATUS_OK) << message;
      const HostTensor got = h.download(out);
      HostTensor want = HostTensor::zeros(dtype, {1});
      want.set(0, value);
      for (int64_t i = 0; i < got.count(); ++i) EXPECT_EQ(got.bits(i), want.bits(0)) << name_of(dtype) << " " << value;
    }
  }
}

TEST(ArangeTest, MatchesReference) {
  struct Range {
    double start, limit, delta;
  };
  const Range ranges[] = {{0, 10, 1}, {-3.5, 7.25, 0.75}, {10, -10, -3}, {5, 5, 1}, {0, 1, 0.1}, {1e9, 1e9 + 300000, 1}};
  for (const keel_dtype_t dtype : {KEEL_DTYPE_I32, KEEL_DTYPE_I64, KEEL_DTYPE_F32, KEEL_DTYPE_F64}) {
    for (const Range& r : ranges) {
      keel_arange_attrs_t attrs = KEEL_ARANGE_ATTRS_INIT;
      attrs.start = r.start;
      attrs.limit = r.limit;
      attrs.delta = r.delta;
      attrs.dtype = dtype;
      expect_matches_reference({.op = "arange", .attrs = &attrs, .output_layout = Layout::kStrided, .widen = false,
                                .label = name_of(dtype)});
    }
  }
}

}  // namespace
}  // namespace keel::onednn_test
