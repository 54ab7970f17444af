// equal not_equal less less_equal greater greater_equal (bool results) and where (bit-exact selection).
#include <cmath>
#include <functional>
#include <limits>

#include "harness/ref_util.h"
#include "harness/test_support.h"

namespace keel::reference_test {
namespace {

struct Comparison {
  const char* name;
  std::vector<keel_dtype_t> dtypes;
  std::function<bool(long double, long double)> holds;  // long double comparisons follow IEEE 754 too
};

const std::vector<Comparison>& comparisons() {
  static const std::vector<Comparison> ops = {
      {"equal", kAllTypes, [](long double a, long double b) { return a == b; }},
      {"not_equal", kAllTypes, [](long double a, long double b) { return a != b; }},
      {"less", kNumericTypes, [](long double a, long double b) { return a < b; }},
      {"less_equal", kNumericTypes, [](long double a, long double b) { return a <= b; }},
      {"greater", kNumericTypes, [](long double a, long double b) { return a > b; }},
      {"greater_equal", kNumericTypes, [](long double a, long double b) { return a >= b; }},
  };
  return ops;
}

class Compare : public BackendTest {
 protected:
  void check(const Comparison& op, const HostTensor& a, const HostTensor& b, const Layout& a_layout,
             const Layout& b_layout, const Layout& y_layout) {
    const Dims shape = broadcast_dims(a.shape, b.shape);
    SCOPED_TRACE(std::string(op.name) + " " + name_of(a.dtype) + text_of(a.shape) + text_of(b.shape) + " " +
                 a_layout.label + ", " + b_layout.label + " -> " + y_layout.label);
    const HostTensor y = run_one(op.name, nullptr, {a, b}, {a_layout, b_layout}, KEEL_DTYPE_BOOL, shape, y_layout);
    if (y.dtype == KEEL_DTYPE_INVALID) return;
    HostTensor expected = HostTensor::zeros(KEEL_DTYPE_BOOL, shape);
    for (int64_t i = 0; i < count_of(shape); ++i) {
      const Dims index = unravel(i, shape);
      expected.set<bool>(i, op.holds(a.value(ravel(broadcast_source(index, a.shape), a.shape)),
                                     b.value(ravel(broadcast_source(index, b.shape), b.shape))));
    }
    EXPECT_TRUE(exactly(y, expected));
  }
};

TEST_P(Compare, SpecialValuePairs) {
  // NaN compares false (unequal to itself), +0 equals -0, extremes of every dtype.
  for (const Comparison& op : comparisons()) {
    for (const keel_dtype_t dtype : op.dtypes) {
      const auto [a, b] = special_pairs(dtype);
      check(op, a, b, Layout::dense(), Layout::dense(), Layout::dense());
    }
  }
}

TEST_P(Compare, BroadcastAndLayouts) {
  Random random(5);
  const std::vector<std::pair<Dims, Dims>> shapes = {
      {{}, {}}, {{3, 4}, {4}}, {{2, 1, 3}, {4, 1}}, {{0, 2}, {2}}, {{2, 1, 2, 1, 2, 1}, {2, 1, 2, 1, 3}}};
  for (const Comparison& op : comparisons()) {
    for (const keel_dtype_t dtype : op.dtypes) {
      for (const auto& [a_shape, b_shape] : shapes) {
        // Small integers make ties common, so == and <= see both answers.
        const HostTensor a = random.tensor(dtype, a_shape, -2, 2);
        const HostTensor b = random.tensor(dtype, b_shape, -2, 2);
        const std::vector<Layout> la = Layout::all(a_shape.size());
        const std::vector<Layout> lb = Layout::all(b_shape.size());
        const std::vector<Layout> ly = Layout::all(broadcast_dims(a_shape, b_shape).size());
        for (size_t l = 0; l < la.size(); ++l) check(op, a, b, la[l], lb[(l + 1) % lb.size()], ly[(l + 2) % ly.size()]);
      }
    }
  }
}

TEST_P(Compare, NonCanonicalBoolInputsCountAsTrue) {
  // A bool byte other than 0/1 is still "true"; the result is always written as 0 or 1.
  HostTensor a = HostTensor::zeros(KEEL_DTYPE_BOOL, {3});
  a.bytes = {std::byte{2}, std::byte{0}, std::byte{1}};
  const HostTensor b = tensor_of(KEEL_DTYPE_BOOL, {3}, {1, 0, 1});
  const HostTensor y = run_one("equal", nullptr, {a, b}, {}, KEEL_DTYPE_BOOL, {3});
  EXPECT_TRUE(bitwise(y, tensor_of(KEEL_DTYPE_BOOL, {3}, {1, 1, 1})));
}

class Where : public BackendTest {};

TEST_P(Where, ThreeWayBroadcastCopiesBits) {
  Random random(9);
  const std::vector<std::array<Dims, 3>> shapes = {{{{}, {}, {}}},
                                                   {{{2, 3}, {3}, {2, 1}}},
                                                   {{{4, 1, 2}, {3, 1}, {}}},
                                                   {{{0}, {1}, {0}}},
                                                   {{{2, 1, 2, 1, 2}, {1, 3, 1, 2, 1}, {2, 1, 1, 1, 2}}}};
  for (const keel_dtype_t dtype : kAllTypes) {
    for (const auto& [c_shape, a_shape, b_shape] : shapes) {
      const HostTensor cond = random.tensor(KEEL_DTYPE_BOOL, c_shape);
      HostTensor a = random.tensor(dtype, a_shape, -100, 100);
      const HostTensor b = random.tensor(dtype, b_shape, -100, 100);
      if (dtype == KEEL_DTYPE_F32 && a.count() > 0) a.set<uint32_t>(0, 0x7fc01234u);  // a NaN with a payload
      const Dims shape = broadcast_dims(broadcast_dims(c_shape, a_shape), b_shape);
      const std::vector<Layout> lc = Layout::all(c_shape.size());
      const std::vector<Layout> la = Layout::all(a_shape.size());
      const std::vector<Layout> ly = Layout::all(shape.size());
      for (size_t l = 0; l < la.size(); ++l) {
        SCOPED_TRACE(name_of(dtype) + text_of(shape) + " layout " + la[l].label);
        const HostTensor y =
            run_one("where", nullptr, {cond, a, b}, {lc[l % lc.size()], la[l]}, dtype, shape, ly[(l + 1) % ly.size()]);
        if (y.dtype == KEEL_DTYPE_INVALID) continue;
        HostTensor expected = HostTensor::zeros(dtype, shape);
        const size_t size = size_of(dtype);
        for (int64_t i = 0; i < count_of(shape); ++i) {
          const Dims index = unravel(i, shape);
          const bool pick_a = cond.get<bool>(ravel(broadcast_source(index, c_shape), c_shape));
          const HostTensor& source = pick_a ? a : b;
          const int64_t j = ravel(broadcast_source(index, source.shape), source.shape);
          std::copy_n(source.bytes.begin() + static_cast<std::ptrdiff_t>(static_cast<size_t>(j) * size), size,
                      expected.bytes.begin() + static_cast<std::ptrdiff_t>(static_cast<size_t>(i) * size));
        }
        EXPECT_TRUE(bitwise(y, expected));
      }
    }
  }
}

KEEL_INSTANTIATE_FOR_BACKENDS(Compare);
KEEL_INSTANTIATE_FOR_BACKENDS(Where);

// ---- References -------------------------------------------------------------------------------------------

std::vector<Expected> compared(const RefCall& call, const char* name) {
  for (const Comparison& op : comparisons()) {
    if (std::string(op.name) == name) {
      return {Expected::of_values(
          map_binary(call, [&](long double a, long double b) -> long double { return op.holds(a, b) ? 1 : 0; }))};
    }
  }
  return {};
}

KEEL_REFERENCE(equal) { return compared(call, "equal"); }
KEEL_REFERENCE(not_equal) { return compared(call, "not_equal"); }
KEEL_REFERENCE(less) { return compared(call, "less"); }
KEEL_REFERENCE(less_equal) { return compared(call, "less_equal"); }
KEEL_REFERENCE(greater) { return compared(call, "greater"); }
KEEL_REFERENCE(greater_equal) { return compared(call, "greater_equal"); }

// Bit-exact selection with three-way broadcasting.
KEEL_REFERENCE(where) {
  const HostTensor& cond = call.inputs[0];
  const Dims& shape = call.outputs[0].shape;
  HostTensor expected = HostTensor::zeros(call.outputs[0].dtype, shape);
  const size_t size = size_of(expected.dtype);
  for (int64_t i = 0; i < count_of(shape); ++i) {
    const Dims index = unravel(i, shape);
    const HostTensor& source = broadcast_value(cond, index) != 0 ? call.inputs[1] : call.inputs[2];
    const int64_t j = ravel(broadcast_source(index, source.shape), source.shape);
    std::copy_n(source.bytes.begin() + static_cast<std::ptrdiff_t>(static_cast<size_t>(j) * size), size,
                expected.bytes.begin() + static_cast<std::ptrdiff_t>(static_cast<size_t>(i) * size));
  }
  return {Expected::of_bits(expected)};
}

KEEL_REFERENCE(logical_not) {
  return {Expected::of_values(map_unary(call, [](long double x) -> long double { return x == 0 ? 1 : 0; }))};
}

KEEL_REFERENCE(logical_and) {
  return {Expected::of_values(
      map_binary(call, [](long double a, long double b) -> long double { return a != 0 && b != 0 ? 1 : 0; }))};
}

KEEL_REFERENCE(logical_or) {
  return {Expected::of_values(
      map_binary(call, [](long double a, long double b) -> long double { return a != 0 || b != 0 ? 1 : 0; }))};
}

KEEL_REFERENCE(logical_xor) {
  return {Expected::of_values(
      map_binary(call, [](long double a, long double b) -> long double { return (a != 0) != (b != 0) ? 1 : 0; }))};
}

class Logical : public BackendTest {};

TEST_P(Logical, TruthTablesWithBroadcastAndNonCanonicalBytes) {
  HostTensor a = HostTensor::zeros(KEEL_DTYPE_BOOL, {4, 1});
  a.bytes = {std::byte{0}, std::byte{1}, std::byte{7}, std::byte{0}};  // 7 reads as true
  const HostTensor b = tensor_of(KEEL_DTYPE_BOOL, {2}, {0, 1});
  for (const char* op : {"logical_and", "logical_or", "logical_xor"}) {
    SCOPED_TRACE(op);
    check_call(session(), op, nullptr, {a, b});
    check_call(session(), op, nullptr, {b, a}, {Layout::transposed(1)}, {Layout::transposed(2)});
  }
  check_call(session(), "logical_not", nullptr, {a}, {Layout::transposed(2)}, {Layout::scrambled(2)});
  const HostTensor y = run_one("logical_not", nullptr, {a}, {}, KEEL_DTYPE_BOOL, {4, 1});
  EXPECT_TRUE(bitwise(y, tensor_of(KEEL_DTYPE_BOOL, {4, 1}, {1, 0, 0, 1})));  // written as 0 or 1
}

TEST_P(Logical, ShapeClasses) {
  Random random(19);
  const std::vector<std::pair<Dims, Dims>> shapes = {{{}, {}}, {{0, 3}, {1, 3}}, {{2, 1, 2, 1, 2, 3}, {2, 1, 3}}};
  for (const auto& [a_shape, b_shape] : shapes) {
    const HostTensor a = random.tensor(KEEL_DTYPE_BOOL, a_shape);
    const HostTensor b = random.tensor(KEEL_DTYPE_BOOL, b_shape);
    const std::vector<Layout> la = Layout::all(a_shape.size());
    for (size_t l = 0; l < la.size(); ++l) {
      for (const char* op : {"logical_and", "logical_or", "logical_xor"}) check_call(session(), op, nullptr, {a, b}, {la[l]});
      check_call(session(), "logical_not", nullptr, {a}, {la[l]}, {la[(l + 1) % la.size()]});
    }
  }
}

KEEL_INSTANTIATE_FOR_BACKENDS(Logical);

}  // namespace
}  // namespace keel::reference_test
