// cast between every pair of dtypes, full and arange, against the spec's conversion rules written out here.
#include <cmath>
#include <limits>

#include "harness/ref_util.h"
#include "harness/test_support.h"
#include "keel/keel_ops.h"

namespace keel::reference_test {
namespace {

// The spec's cast of one value, from its exact long double form.
long double cast_value(long double x, keel_dtype_t from, keel_dtype_t to) {
  if (to == KEEL_DTYPE_BOOL) return x != 0 ? 1 : 0;  // NaN != 0, -0 == 0
  if (from == KEEL_DTYPE_BOOL) return x;             // already 0 or 1
  if (is_float(to)) return x;                        // rounded to nearest even when stored (one rounding)
  if (is_float(from)) {
    if (std::isnan(x)) return 0;
    const long double limit = to == KEEL_DTYPE_I32 ? 2147483648.0L : 9223372036854775808.0L;
    const long double t = std::trunc(x);
    if (t >= limit) return limit - 1;
    if (t < -limit) return -limit;
    return t;
  }
  // integer -> integer keeps the low bits
  return to == KEEL_DTYPE_I32 ? wrap<int32_t>(x) : static_cast<long double>(wrap<int64_t>(x));
}

class Cast : public BackendTest {
 protected:
  void check(const HostTensor& x, keel_dtype_t to, const Layout& in, const Layout& out) {
    SCOPED_TRACE(name_of(x.dtype) + " -> " + name_of(to) + text_of(x.shape) + " " + in.label + " -> " + out.label);
    const keel_cast_attrs_t attrs = {sizeof(keel_cast_attrs_t), to};
    const HostTensor y = run_one("cast", &attrs, {x}, {in}, to, x.shape, out);
    if (y.dtype == KEEL_DTYPE_INVALID) return;
    if (x.dtype == to) {  // the same dtype copies bit for bit, NaN payloads included
      EXPECT_TRUE(bitwise(y, x));
      return;
    }
    std::vector<long double> expected;
    for (int64_t i = 0; i < x.count(); ++i) expected.push_back(cast_value(x.value(i), x.dtype, to));
    EXPECT_TRUE(exactly(y, tensor_of(to, x.shape, expected)));
  }
};

TEST_P(Cast, EveryPairOnSpecialValues) {
  for (const keel_dtype_t from : kAllTypes) {
    HostTensor x = special_tensor(from);
    if (from == KEEL_DTYPE_F64) x.set<uint64_t>(9, 0x7ff8000000abcdefull);  // NaN with a payload
    for (const keel_dtype_t to : kAllTypes) check(x, to, Layout::dense(), Layout::dense());
  }
}

TEST_P(Cast, RoundingAndSaturationEdges) {
  const std::vector<long double> doubles = {
      2147483647.0L,
      2147483647.9L,
      2147483648.0L,
      -2147483648.0L,
      -2147483648.5L,
      -2147483649.0L,
      9223372036854775807.0L,
      -9223372036854775808.0L,
      1e300L,
      -1e300L,
      3.7L,
      -3.7L,
      0.5L,
      -0.5L,
      16777217.0L,             // halfway between two f32 values: ties to even (16777216)
      3.4028235677973366e38L,  // halfway between FLT_MAX and 2^128: ties to even overflows to inf
      1e-45L,                  // rounds to the smallest f32 subnormal
      7e-46L,                  // below half the smallest f32 subnormal: rounds to 0
  };
  const HostTensor x = tensor_of(KEEL_DTYPE_F64, {static_cast<int64_t>(doubles.size())}, doubles);
  for (const keel_dtype_t to : kAllTypes) check(x, to, Layout::dense(), Layout::dense());
  const HostTensor big =
      tensor_of(KEEL_DTYPE_I64, {4}, {9007199254740993.0L, -9007199254740993.0L, 16777217.0L, 4294967297.0L});
  for (const keel_dtype_t to : kAllTypes) check(big, to, Layout::dense(), Layout::dense());
}

TEST_P(Cast, RandomValuesInStridedLayouts) {
  Random random(13);
  for (const keel_dtype_t from : kAllTypes) {
    for (const keel_dtype_t to : kAllTypes) {
      const HostTensor x = random.tensor(from, {3, 4, 2}, -3e9, 3e9);
      const std::vector<Layout> layouts = Layout::all(3);
      for (size_t l = 0; l < layouts.size(); ++l) check(x, to, layouts[l], layouts[(l + 2) % layouts.size()]);
      check(random.tensor(from, {}, -50, 50), to, Layout::dense(), Layout::dense());
      check(random.tensor(from, {2, 0}, -50, 50), to, Layout::dense(), Layout::dense());
    }
  }
}

class Creation : public BackendTest {};

TEST_P(Creation, FullConvertsTheValueWithCastRules) {
  const std::vector<Dims> shapes = {{}, {0}, {3}, {2, 3, 1, 2}};
  const std::vector<double> values = {0.0,
                                      -0.0,
                                      2.5,
                                      -3.7,
                                      1e10,
                                      -1e300,
                                      std::numeric_limits<double>::infinity(),
                                      std::numeric_limits<double>::quiet_NaN()};
  for (const keel_dtype_t dtype : kAllTypes) {
    for (const Dims& shape : shapes) {
      for (const double value : values) {
        SCOPED_TRACE("full " + name_of(dtype) + text_of(shape) + " value " + std::to_string(value));
        std::vector<int64_t> dims = shape;
        const keel_full_attrs_t attrs = {sizeof(keel_full_attrs_t), dims.data(), dims.size(), value, dtype};
        const Layout out = shape.size() >= 2 ? Layout::scrambled(shape.size()) : Layout::dense();
        const HostTensor y = run_one("full", &attrs, {}, {}, dtype, shape, out);
        if (y.dtype == KEEL_DTYPE_INVALID) continue;
        const long double expected = cast_value(value, KEEL_DTYPE_F64, dtype);
        EXPECT_TRUE(exactly(
            y, tensor_of(dtype, shape, std::vector<long double>(static_cast<size_t>(count_of(shape)), expected))));
      }
    }
  }
}

TEST_P(Creation, ArangeCountsAndValues) {
  struct Range {
    double start, limit, delta;
  };
  const std::vector<Range> ranges = {{0, 5, 1}, {2, 3, 0.25},     {10, 0, -3},        {0, 1, 0.1},      {5, 5, 1},
                                     {5, 2, 1}, {-2.5, 2.5, 0.5}, {1e9, 1e9 + 10, 3}, {0.5, -3.7, -1.1}};
  for (const keel_dtype_t dtype : kNumericTypes) {
    for (const Range& r : ranges) {
      const double steps = std::ceil((r.limit - r.start) / r.delta);
      const int64_t count = steps > 0 ? static_cast<int64_t>(steps) : 0;
      SCOPED_TRACE("arange " + name_of(dtype) + " " + std::to_string(r.start) + ".." + std::to_string(r.limit) +
                   " by " + std::to_string(r.delta));
      const keel_arange_attrs_t attrs = {sizeof(keel_arange_attrs_t), r.start, r.limit, r.delta, dtype};
      Layout reversed;
      reversed.label = "reversed";
      reversed.reversed = {0};
      const HostTensor y = run_one("arange", &attrs, {}, {}, dtype, {count}, reversed);
      if (y.dtype == KEEL_DTYPE_INVALID) continue;
      std::vector<long double> expected;
      for (int64_t i = 0; i < count; ++i) {
        const double product = static_cast<double>(i) * r.delta;  // f64, then the sum (no fused multiply-add)
        const double value = r.start + product;
        expected.push_back(cast_value(value, KEEL_DTYPE_F64, dtype));
      }
      EXPECT_TRUE(exactly(y, tensor_of(dtype, {count}, expected)));
    }
  }
}

KEEL_INSTANTIATE_FOR_BACKENDS(Cast);
KEEL_INSTANTIATE_FOR_BACKENDS(Creation);

// ---- References -------------------------------------------------------------------------------------------

KEEL_REFERENCE(cast) {
  const HostTensor& x = call.inputs[0];
  const keel_dtype_t to = call.outputs[0].dtype;
  if (x.dtype == to) return {Expected::of_bits(x)};
  return {Expected::of_values(map_unary(call, [&](long double v) { return cast_value(v, x.dtype, to); }))};
}

KEEL_REFERENCE(full) {
  const auto& a = call.attrs_as<keel_full_attrs_t>();
  const long double value = cast_value(a.value, KEEL_DTYPE_F64, a.dtype);
  return {Expected::of_values(std::vector<long double>(static_cast<size_t>(call.outputs[0].count()), value))};
}

KEEL_REFERENCE(arange) {
  const auto& a = call.attrs_as<keel_arange_attrs_t>();
  std::vector<long double> values;
  for (int64_t i = 0; i < call.outputs[0].count(); ++i) {
    const double product = static_cast<double>(i) * a.delta;  // f64, then the sum (no fused multiply-add)
    values.push_back(cast_value(a.start + product, KEEL_DTYPE_F64, a.dtype));
  }
  return {Expected::of_values(values)};
}

}  // namespace
}  // namespace keel::reference_test
