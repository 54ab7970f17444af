// reduce_sum, reduce_mean, reduce_max against the reference: axes lists (empty = all, negative, several),
// keepdims, zero-size reductions (sum 0, mean NaN), special values (NaN wins max, +0 beats -0), every
// layout, and sizes that take oneDNN's reduction primitive or the blocked parallel loop.
#include <gtest/gtest.h>

#include <limits>
#include <random>
#include <string>

#include "oracle.h"

namespace keel::onednn_test {
namespace {

struct Reduction {
  Dims shape;
  std::vector<int64_t> axes;
  bool keepdims;
};

// All three attribute structs have the layout {struct_size, axes, axes_count, keepdims}.
template <class Attrs>
Attrs attrs_of(const Reduction& r) {
  Attrs attrs{};
  attrs.struct_size = sizeof(Attrs);
  attrs.axes = r.axes.data();
  attrs.axes_count = r.axes.size();
  attrs.keepdims = r.keepdims ? 1 : 0;
  return attrs;
}

void check_reduction(const char* op, const Reduction& r, keel_dtype_t dtype, Values values, Layout layout,
                     Layout out_layout, std::mt19937_64& rng) {
  const std::string name = op;
  const HostTensor x = random_tensor(dtype, r.shape, values, rng);
  Case c{.op = op, .inputs = {x}, .input_layouts = {layout}, .output_layout = out_layout};
  if (name == "reduce_sum") {
    const auto attrs = attrs_of<keel_reduce_sum_attrs_t>(r);
    c.attrs = &attrs;
    expect_matches_reference(c);
  } else if (name == "reduce_mean") {
    const auto attrs = attrs_of<keel_reduce_mean_attrs_t>(r);
    c.attrs = &attrs;
    expect_matches_reference(c);
  } else if (name == "reduce_max") {
    const auto attrs = attrs_of<keel_reduce_max_attrs_t>(r);
    c.attrs = &attrs;
    expect_matches_reference(c);
  } else if (name == "reduce_min") {
    const auto attrs = attrs_of<keel_reduce_min_attrs_t>(r);
    c.attrs = &attrs;
    expect_matches_reference(c);
  } else {
    const auto attrs = attrs_of<keel_reduce_prod_attrs_t>(r);
    c.attrs = &attrs;
    expect_matches_reference(c);
  }
}

const std::vector<Reduction> kReductions = {
    {{}, {}, false},          {{5}, {0}, false},          {{5}, {-1}, true},        {{3, 4}, {}, false},
    {{3, 4}, {1}, false},     {{3, 4}, {0}, true},        {{2, 3, 4}, {0, 2}, false}, {{2, 3, 4}, {-1, -3}, true},
    {{2, 3, 4, 5}, {1, 3}, false}, {{0, 4}, {1}, false},  {{3, 0, 2}, {1}, true},   {{3, 0, 2}, {0}, false},
};

TEST(ReduceTest, SumAndMeanMatchReference) {
  std::mt19937_64 rng(31);
  for (const char* op : {"reduce_sum", "reduce_mean"}) {
    const std::vector<keel_dtype_t> dtypes = std::string(op) == "reduce_sum"
        ? std::vector<keel_dtype_t>{KEEL_DTYPE_F32, KEEL_DTYPE_F64, KEEL_DTYPE_I32, KEEL_DTYPE_I64}
        : std::vector<keel_dtype_t>{KEEL_DTYPE_F32, KEEL_DTYPE_F64};
    for (const keel_dtype_t dtype : dtypes) {
      for (const Reduction& r : kReductions) {
        check_reduction(op, r, dtype, Values::kFinite, Layout::kDense, Layout::kDense, rng);
      }
      check_reduction(op, {{4, 5, 6}, {1}, false}, dtype, Values::kFinite, Layout::kTransposed, Layout::kStrided, rng);
      check_reduction(op, {{4, 5, 6}, {0, 2}, true}, dtype, Values::kFinite, Layout::kReversed, Layout::kTransposed, rng);
      // Integer sums wrap: the extremes are in the mix.
      if (!is_float(dtype)) check_reduction(op, {{64, 33}, {0}, false}, dtype, Values::kSpecial, Layout::kDense, Layout::kDense, rng);
    }
  }
}

TEST(ReduceTest, MaxAndMinMatchReferenceIncludingNaNAndSignedZeros) {
  std::mt19937_64 rng(37);
  for (const char* op : {"reduce_max", "reduce_min"})
  for (const keel_dtype_t dtype : {KEEL_DTYPE_F32, KEEL_DTYPE_F64, KEEL_DTYPE_I32, KEEL_DTYPE_I64}) {
    for (const Reduction& r : kReductions) {
      bool empty = false;  // reduce_max of an empty set is invalid (C3)
      for (const int64_t axis : r.axes) empty = empty || r.shape[static_cast<size_t>(axis < 0 ? axis + static_cast<int64_t>(r.shape.size()) : axis)] == 0;
      if (r.axes.empty()) empty = count_of(r.shape) == 0;
      if (empty) continue;
      check_reduction(op, r, dtype, Values::kSpecial, Layout::kDense, Layout::kDense, rng);
    }
    check_reduction(op, {{4, 5, 6}, {2}, false}, dtype, Values::kSpecial, Layout::kTransposed, Layout::kStrided, rng);
  }
  HostTensor zeros = HostTensor::zeros(KEEL_DTYPE_F32, {2, 3});
  zeros.set(0, -0.0L);
  zeros.set(1, 0.0L);
  zeros.set(2, -0.0L);
  for (int64_t i = 3; i < 6; ++i) zeros.set(i, -0.0L);
  const std::vector<int64_t> axes = {1};
  keel_reduce_max_attrs_t attrs = KEEL_REDUCE_MAX_ATTRS_INIT;
  attrs.axes = axes.data();
  attrs.axes_count = 1;
  expect_matches_reference({.op = "reduce_max", .attrs = &attrs, .inputs = {zeros}, .label = "signed zeros"});
  keel_reduce_min_attrs_t min_attrs = KEEL_REDUCE_MIN_ATTRS_INIT;
  min_attrs.axes = axes.data();
  min_attrs.axes_count = 1;
  for (int64_t i = 0; i < 6; ++i) zeros.set(i, i % 2 ? 0.0L : -0.0L);
  expect_matches_reference({.op = "reduce_min", .attrs = &min_attrs, .inputs = {zeros}, .label = "signed zeros"});
}

// Products: empty sets give 1, integers wrap, NaN and 0 * inf give NaN.
TEST(ReduceTest, ProductMatchesReference) {
  std::mt19937_64 rng(39);
  for (const keel_dtype_t dtype : {KEEL_DTYPE_F32, KEEL_DTYPE_F64, KEEL_DTYPE_I32, KEEL_DTYPE_I64}) {
    for (const Reduction& r : kReductions) {
      check_reduction("reduce_prod", r, dtype, is_float(dtype) ? Values::kFinite : Values::kSpecial, Layout::kDense,
                      Layout::kDense, rng);
    }
    check_reduction("reduce_prod", {{4, 5, 6}, {0, 2}, true}, dtype, Values::kFinite, Layout::kReversed, Layout::kStrided, rng);
    check_reduction("reduce_prod", {{1 << 17}, {}, false}, dtype, Values::kPositive, Layout::kDense, Layout::kDense, rng);
  }
  HostTensor x = HostTensor::zeros(KEEL_DTYPE_F32, {3, 2});
  const long double inf = std::numeric_limits<long double>::infinity();
  const long double values[] = {0, inf, std::numeric_limits<long double>::quiet_NaN(), 2, -inf, 3};
  for (int64_t i = 0; i < 6; ++i) x.set(i, values[i]);
  const std::vector<int64_t> axes = {1};
  keel_reduce_prod_attrs_t attrs = KEEL_REDUCE_PROD_ATTRS_INIT;
  attrs.axes = axes.data();
  attrs.axes_count = 1;
  expect_matches_reference({.op = "reduce_prod", .attrs = &attrs, .inputs = {x}});
}

// argmax / argmin: NaN counts as the largest (argmax) or smallest (argmin), the first one wins; ties and
// -0 / +0 go to the lowest index.
TEST(ReduceTest, ArgMaxAndArgMinMatchReference) {
  std::mt19937_64 rng(40);
  for (const char* op : {"argmax", "argmin"}) {
    for (const keel_dtype_t dtype : {KEEL_DTYPE_F32, KEEL_DTYPE_F64, KEEL_DTYPE_I32, KEEL_DTYPE_I64}) {
      for (const auto& [shape, axis] : std::vector<std::pair<Dims, int64_t>>{
               {{7}, 0}, {{3, 5}, 1}, {{3, 5}, -2}, {{2, 3, 4}, 1}, {{0, 4}, 1}, {{200, 300}, 0}}) {
        for (const uint8_t keepdims : {uint8_t{0}, uint8_t{1}}) {
          HostTensor x = random_tensor(dtype, shape, Values::kSpecial, rng);
          for (int64_t i = 1; i < x.count(); i += 3) x.set_bits(i, x.bits(i - 1));  // ties
          const keel_argmax_attrs_t attrs = {sizeof(keel_argmax_attrs_t), axis, keepdims};
          expect_matches_reference({.op = op, .attrs = &attrs, .inputs = {x}, .input_layouts = {Layout::kTransposed}});
        }
      }
    }
  }
}

// Large reductions: the oneDNN primitive (f32 sum/mean over a dense input), the blocked loop (few outputs,
// long reductions), and parallel-over-outputs loops.
TEST(ReduceTest, LargeReductionsMatchReference) {
  std::mt19937_64 rng(41);
  const std::vector<Reduction> large = {
      {{1 << 18}, {}, false}, {{512, 300}, {1}, false}, {{512, 300}, {0}, true}, {{64, 64, 40}, {0, 2}, false}};
  for (const char* op : {"reduce_sum", "reduce_mean", "reduce_max"}) {
    for (const keel_dtype_t dtype : {KEEL_DTYPE_F32, KEEL_DTYPE_F64}) {
      for (const Reduction& r : large) check_reduction(op, r, dtype, Values::kFinite, Layout::kDense, Layout::kDense, rng);
    }
    check_reduction(op, {{512, 300}, {1}, false}, KEEL_DTYPE_F32, Values::kFinite, Layout::kTransposed, Layout::kDense, rng);
  }
  check_reduction("reduce_sum", {{1 << 18}, {}, false}, KEEL_DTYPE_I64, Values::kSpecial, Layout::kDense, Layout::kDense, rng);
}

// Reductions over outer axes with a contiguous inner run (the bias gradient: [N, C] summed over N) take the
// column loop: every kind and dtype, keepdims, strided and transposed outputs, several reduced axes, a middle
// axis, runs split over threads and tiles, and NaN / signed zeros for max and min.
TEST(ReduceTest, OuterAxisReductionsMatchReference) {
  std::mt19937_64 rng(47);
  const std::vector<Reduction> outer = {{{256, 1024}, {0}, false},    {{256, 1024}, {0}, true},
                                        {{3, 40, 50}, {0, 1}, false}, {{8, 5, 64}, {1}, false},
                                        {{7, 1300}, {-2}, false},     {{1, 33}, {0}, false}};
  for (const char* op : {"reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod"}) {
    const bool mean = std::string(op) == "reduce_mean";
    const bool prod = std::string(op) == "reduce_prod";
    for (const keel_dtype_t dtype : {KEEL_DTYPE_F32, KEEL_DTYPE_F64, KEEL_DTYPE_I32, KEEL_DTYPE_I64}) {
      if (mean && !is_float(dtype)) continue;
      const Values values =
          prod && is_float(dtype) ? Values::kPositive : (is_float(dtype) ? Values::kFinite : Values::kSpecial);
      for (const Reduction& r : outer) check_reduction(op, r, dtype, values, Layout::kDense, Layout::kDense, rng);
      check_reduction(op, {{256, 1024}, {0}, false}, dtype, values, Layout::kOffset, Layout::kStrided, rng);
      check_reduction(op, {{40, 96}, {0}, true}, dtype, values, Layout::kDense, Layout::kTransposed, rng);
    }
  }
  for (const char* op : {"reduce_max", "reduce_min"}) {
    check_reduction(op, {{300, 200}, {0}, false}, KEEL_DTYPE_F32, Values::kSpecial, Layout::kDense, Layout::kDense,
                    rng);
    HostTensor zeros = HostTensor::zeros(KEEL_DTYPE_F32, {3, 32});
    for (int64_t i = 0; i < zeros.count(); ++i) zeros.set(i, (i * 7) % 3 == 0 ? -0.0L : 0.0L);
    zeros.set(40, std::numeric_limits<long double>::quiet_NaN());
    const std::vector<int64_t> axes = {0};
    keel_reduce_max_attrs_t max_attrs = KEEL_REDUCE_MAX_ATTRS_INIT;
    max_attrs.axes = axes.data();
    max_attrs.axes_count = 1;
    keel_reduce_min_attrs_t min_attrs = KEEL_REDUCE_MIN_ATTRS_INIT;
    min_attrs.axes = axes.data();
    min_attrs.axes_count = 1;
    const void* attrs = std::string(op) == "reduce_max" ? static_cast<const void*>(&max_attrs) : &min_attrs;
    expect_matches_reference({.op = op, .attrs = attrs, .inputs = {zeros}, .label = "signed zeros and NaN"});
  }
  // Sums with NaN and infinities in some columns.
  HostTensor x = random_tensor(KEEL_DTYPE_F32, {64, 48}, Values::kFinite, rng);
  x.set(5, std::numeric_limits<long double>::quiet_NaN());
  x.set(48 + 6, std::numeric_limits<long double>::infinity());
  x.set(96 + 7, std::numeric_limits<long double>::infinity());
  x.set(144 + 7, -std::numeric_limits<long double>::infinity());
  const std::vector<int64_t> axes = {0};
  keel_reduce_sum_attrs_t sum = KEEL_REDUCE_SUM_ATTRS_INIT;
  sum.axes = axes.data();
  sum.axes_count = 1;
  expect_matches_reference({.op = "reduce_sum", .attrs = &sum, .inputs = {x}});
}

// NaN and infinities propagate through sums whichever path runs.
TEST(ReduceTest, SpecialValuesPropagate) {
  std::mt19937_64 rng(43);
  for (const Dims& shape : {Dims{8, 5}, Dims{256, 300}}) {
    HostTensor x = random_tensor(KEEL_DTYPE_F32, shape, Values::kFinite, rng);
    x.set(3, std::numeric_limits<long double>::quiet_NaN());
    x.set(shape[1] + 1, std::numeric_limits<long double>::infinity());
    x.set(2 * shape[1] + 2, std::numeric_limits<long double>::infinity());
    x.set(2 * shape[1] + 3, -std::numeric_limits<long double>::infinity());
    const std::vector<int64_t> axes = {1};
    keel_reduce_sum_attrs_t sum = KEEL_REDUCE_SUM_ATTRS_INIT;
    sum.axes = axes.data();
    sum.axes_count = 1;
    expect_matches_reference({.op = "reduce_sum", .attrs = &sum, .inputs = {x}});
    keel_reduce_mean_attrs_t mean = KEEL_REDUCE_MEAN_ATTRS_INIT;
    mean.axes = axes.data();
    mean.axes_count = 1;
    expect_matches_reference({.op = "reduce_mean", .attrs = &mean, .inputs = {x}});
  }
}

}  // namespace
}  // namespace keel::onednn_test
