// reduce_sum, reduce_mean, reduce_max and softmax against the reference plugin: the accumulation bound of the
// spec for float sums (against the f64 reference, M from the reduction of |x|), exact results for maxima and
// integer sums; the one-work-item, one-work-group and two-pass paths; empty and zero-size reductions.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "harness.h"
#include "oracle.h"

namespace keel::opencl_test {
namespace {

constexpr keel_dtype_t kF32 = KEEL_DTYPE_F32, kF64 = KEEL_DTYPE_F64, kI32 = KEEL_DTYPE_I32, kI64 = KEEL_DTYPE_I64;

struct ReduceCase {
  std::vector<int64_t> shape;
  std::vector<int64_t> axes;
  bool keepdims;
  Layout layout;
};

std::vector<ReduceCase> reduce_cases(bool allow_empty) {
  std::vector<ReduceCase> cases = {
      {{}, {}, false, Layout::kDense},                 // 0-D
      {{7}, {}, false, Layout::kDense},                // everything
      {{4, 5, 6}, {-1}, false, Layout::kTransposed},   // negative axis, strided
      {{4, 5, 6}, {0, 2}, true, Layout::kReversed},    // keepdims, two axes
      {{2, 3, 4, 5}, {1, 3}, false, Layout::kPadded},  // rank 4
      {{3, 5000}, {1}, false, Layout::kDense},         // one work-group per output
      {{60000}, {}, true, Layout::kDense},             // two passes over chunks
      {{300, 20}, {0}, false, Layout::kTransposed},    // one work-item per output
      {{0, 3}, {1}, false, Layout::kDense},            // no outputs
  };
  if (allow_empty) cases.push_back({{0, 3}, {0}, false, Layout::kDense});  // empty reductions
  return cases;
}

std::string describe(const ReduceCase& c) {
  std::string text = "shape [";
  for (const int64_t d : c.shape) text += std::to_string(d) + " ";
  text += "] axes [";
  for (const int64_t a : c.axes) text += std::to_string(a) + " ";
  return text + "] keepdims " + std::to_string(c.keepdims) + " " + layout_name(c.layout);
}

void check_reduction(const std::string& op, keel_dtype_t dtype, const ReduceCase& c, uint32_t seed) {
  SCOPED_TRACE(op + " " + keel_dtype_name(dtype) + " " + describe(c));
  Devices& d = Devices::get();
  keel_reduce_sum_attrs_t attrs = KEEL_REDUCE_SUM_ATTRS_INIT;  // the reduction structs share one layout
  attrs.axes = c.axes.data();
  attrs.axes_count = c.axes.size();
  attrs.keepdims = c.keepdims;
  const Tensor x =
      random_tensor(dtype, c.shape, seed, op == "reduce_max" || op == "reduce_min" ? Domain::kAny : Domain::kFinite);
  const Result got = run(d.opencl, op, &attrs, {x}, {c.layout}, c.layout);
  ASSERT_TRUE(got.ok()) << got.message;
  const bool accumulates = op != "reduce_max" && op != "reduce_min" && (dtype == kF32 || dtype == kF64);
  if (!accumulates) {
    const Result want = run(d.reference, op, &attrs, {x});
    ASSERT_TRUE(want.ok()) << want.message;
    EXPECT_TRUE(same_values(got.outputs[0], want.outputs[0]));
    return;
  }
  const Result want = run(d.reference, op, &attrs, {widened(x)});
  const Result magnitude = run(d.reference, op, &attrs, {absolute(widened(x))});
  ASSERT_TRUE(want.ok()) << want.message;
  ASSERT_TRUE(magnitude.ok()) << magnitude.message;
  const int64_t outputs = std::max<int64_t>(got.outputs[0].count(), 1);
  const double k = static_cast<double>(x.count() / std::max<int64_t>(outputs, 1));
  EXPECT_TRUE(within_accumulation(got.outputs[0], want.outputs[0], 2, {std::max(k, 1.0)}, magnitude.outputs[0]));
}

TEST(ReduceTest, SumMatchesTheReference) {
  KEEL_REQUIRE_OPENCL();
  for (const keel_dtype_t dtype : {kF32, kF64, kI32, kI64}) {
    for (const ReduceCase& c : reduce_cases(true)) check_reduction("reduce_sum", dtype, c, 7);
  }
}

TEST(ReduceTest, MeanMatchesTheReference) {
  KEEL_REQUIRE_OPENCL();
  for (const keel_dtype_t dtype : {kF32, kF64}) {
    for (const ReduceCase& c : reduce_cases(true)) check_reduction("reduce_mean", dtype, c, 8);
  }
}

TEST(ReduceTest, MaxMatchesTheReferenceWithNaNAndSignedZeros) {
  KEEL_REQUIRE_OPENCL();
  for (const keel_dtype_t dtype : {kF32, kF64, kI32, kI64}) {
    for (const ReduceCase& c : reduce_cases(false)) check_reduction("reduce_max", dtype, c, 9);
  }
  // +0 beats -0 whichever comes first; one NaN makes the result NaN.
  Devices& d = Devices::get();
  keel_reduce_max_attrs_t attrs = KEEL_REDUCE_MAX_ATTRS_INIT;
  const Result zeros = run(d.opencl, "reduce_max", &attrs, {tensor_of(kF32, {4}, {-0.0, 0.0, -0.0, -1.0})});
  ASSERT_TRUE(zeros.ok()) << zeros.message;
  EXPECT_EQ(zeros.outputs[0].bits(0), 0u);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const Result with_nan = run(d.opencl, "reduce_max", &attrs, {tensor_of(kF64, {3000}, {1.0, 5.0, nan, 2.0})});
  ASSERT_TRUE(with_nan.ok()) << with_nan.message;
  EXPECT_TRUE(std::isnan(with_nan.outputs[0].number(0)));
}

TEST(ReduceTest, MinMatchesTheReferenceWithNaNAndSignedZeros) {
  KEEL_REQUIRE_OPENCL();
  for (const keel_dtype_t dtype : {kF32, kF64, kI32, kI64}) {
    for (const ReduceCase& c : reduce_cases(false)) check_reduction("reduce_min", dtype, c, 10);
  }
  // -0 is below +0 whichever comes first.
  Devices& d = Devices::get();
  keel_reduce_min_attrs_t attrs = KEEL_REDUCE_MIN_ATTRS_INIT;
  const Result zeros = run(d.opencl, "reduce_min", &attrs, {tensor_of(kF32, {4}, {0.0, -0.0, 0.0, 1.0})});
  ASSERT_TRUE(zeros.ok()) << zeros.message;
  EXPECT_EQ(zeros.outputs[0].bits(0), 0x80000000u);
}

TEST(ReduceTest, IntegerSumsWrap) {
  KEEL_REQUIRE_OPENCL();
  Devices& d = Devices::get();
  keel_reduce_sum_attrs_t attrs = KEEL_REDUCE_SUM_ATTRS_INIT;
  const Result got = run(d.opencl, "reduce_sum", &attrs, {tensor_of(kI32, {3}, {2147483647.0, 1, 1})});
  ASSERT_TRUE(got.ok()) << got.message;
  EXPECT_EQ(got.outputs[0].number(0), -2147483647.0);
}

// softmax: |y - ref| <= 4 * (n + max |x - max x|) * eps * |ref| per slice (accumulation class of the spec).
void check_softmax(keel_dtype_t dtype, const std::vector<int64_t>& shape, int64_t axis, Layout layout, const Tensor* given) {
  SCOPED_TRACE(std::string(keel_dtype_name(dtype)) + " axis " + std::to_string(axis) + " " + layout_name(layout));
  Devices& d = Devices::get();
  keel_softmax_attrs_t attrs = KEEL_SOFTMAX_ATTRS_INIT;
  attrs.axis = axis;
  const Tensor x = given != nullptr ? *given : random_tensor(dtype, shape, 21, Domain::kFinite);
  const Result got = run(d.opencl, "softmax", &attrs, {x}, {layout}, layout);
  const Result want = run(d.reference, "softmax", &attrs, {widened(x)});
  ASSERT_TRUE(got.ok()) << got.message;
  ASSERT_TRUE(want.ok()) << want.message;
  // K per element: the slice length plus the largest |x - max| of its slice.
  const size_t rank = x.shape.size();
  const size_t a = static_cast<size_t>(axis < 0 ? axis + static_cast<int64_t>(rank) : axis);
  int64_t inner = 1;
  for (size_t k = a + 1; k < rank; ++k) inner *= x.shape[k];
  const int64_t length = x.shape[a];
  std::vector<double> k(static_cast<size_t>(x.count()));
  for (int64_t i = 0; i < x.count(); ++i) {
    const int64_t base = (i / (inner * length)) * inner * length + i % inner;
    double max = -INFINITY;
    for (int64_t j = 0; j < length; ++j) max = std::max(max, x.number(base + j * inner));
    double range = 0;
    for (int64_t j = 0; j < length; ++j) range = std::max(range, std::fabs(x.number(base + j * inner) - max));
    k[static_cast<size_t>(i)] = static_cast<double>(length) + (std::isfinite(range) ? range : 0);
  }
  EXPECT_TRUE(within_accumulation(got.outputs[0], want.outputs[0], 4, k, want.outputs[0]));
}

TEST(SoftmaxTest, MatchesTheReference) {
  KEEL_REQUIRE_OPENCL();
  for (const keel_dtype_t dtype : {kF32, kF64}) {
    check_softmax(dtype, {5}, -1, Layout::kDense, nullptr);
    check_softmax(dtype, {3, 4, 5}, 1, Layout::kTransposed, nullptr);
    check_softmax(dtype, {3, 4, 5}, -3, Layout::kReversed, nullptr);
    check_softmax(dtype, {2, 3000}, 1, Layout::kPadded, nullptr);  // one work-group per slice
    check_softmax(dtype, {4000, 3}, -1, Layout::kDense, nullptr);  // one work-item per slice
    check_softmax(dtype, {0, 3}, 1, Layout::kDense, nullptr);
  }
}

TEST(SoftmaxTest, SpecialSlicesBecomeNaN) {
  KEEL_REQUIRE_OPENCL();
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (const int64_t length : {4, 200}) {  // the per-item and the per-group kernels
    // Rows: a NaN, a +inf, all -inf, and an ordinary row with a -inf (which gives an exact 0).
    Tensor x = make_tensor(kF32, {4, length});
    for (int64_t j = 0; j < length; ++j) {
      set_number(x, j, j == 1 ? nan : 1.0);
      set_number(x, length + j, j == 2 ? inf : 0.5);
      set_number(x, 2 * length + j, -inf);
      set_number(x, 3 * length + j, j == 0 ? -inf : static_cast<double>(j % 7));
    }
    check_softmax(kF32, x.shape, 1, Layout::kDense, &x);
  }
}

struct MatmulCase {
  std::vector<int64_t> a;
  std::vector<int64_t> b;
  Layout layout;
};

TEST(MatmulTest, MatchesTheReference) {
  KEEL_REQUIRE_OPENCL();
  Devices& d = Devices::get();
  const std::vector<MatmulCase> cases = {
      {{4, 5}, {5, 3}, Layout::kDense},
      {{70, 90}, {90, 65}, Layout::kDense},          // partial tiles
      {{70, 90}, {90, 65}, Layout::kTransposed},     // transposed operands and output
      {{2, 3, 4, 5}, {5, 6}, Layout::kPadded},       // batch, rank 4
      {{2, 1, 4, 5}, {3, 5, 6}, Layout::kReversed},  // broadcast batch, negative stride
      {{5}, {5, 3}, Layout::kDense},                 // 1-D a
      {{4, 5}, {5}, Layout::kDense},                 // 1-D b
      {{5}, {5}, Layout::kDense},                    // dot product
      {{3, 0}, {0, 4}, Layout::kTransposed},         // K = 0: zeros
      {{0, 5}, {5, 3}, Layout::kDense},              // M = 0
      {{130, 17}, {17, 1}, Layout::kDense},
  };
  for (const keel_dtype_t dtype : {kF32, kF64}) {
    for (const MatmulCase& c : cases) {
      SCOPED_TRACE(std::string(keel_dtype_name(dtype)) + " " + layout_name(c.layout) + " K " +
                   std::to_string(c.a.back()));
      const Tensor a = random_tensor(dtype, c.a, 31, Domain::kSmall);
      const Tensor b = random_tensor(dtype, c.b, 32, Domain::kSmall);
      const Result got = run(d.opencl, "matmul", nullptr, {a, b}, {c.layout, c.layout}, c.layout);
      const Result want = run(d.reference, "matmul", nullptr, {widened(a), widened(b)});
      const Result magnitude = run(d.reference, "matmul", nullptr, {absolute(widened(a)), absolute(widened(b))});
      ASSERT_TRUE(got.ok()) << got.message;
      ASSERT_TRUE(want.ok()) << want.message;
      ASSERT_TRUE(magnitude.ok()) << magnitude.message;
      const double k = static_cast<double>(c.a.back());
      EXPECT_TRUE(within_accumulation(got.outputs[0], want.outputs[0], 2, {std::max(k, 1.0)}, magnitude.outputs[0]));
      if (k == 0) {
        for (int64_t i = 0; i < got.outputs[0].count(); ++i) EXPECT_EQ(got.outputs[0].bits(i), 0u);
      }
    }
  }
}

TEST(MatmulTest, SpecialValuesPropagate) {
  KEEL_REQUIRE_OPENCL();
  Devices& d = Devices::get();
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const Tensor a = tensor_of(kF32, {2, 2}, {1, nan, inf, 1});
  const Tensor b = tensor_of(kF32, {2, 2}, {1, 0, 0, 1});
  const Result got = run(d.opencl, "matmul", nullptr, {a, b});
  const Result want = run(d.reference, "matmul", nullptr, {a, b});
  ASSERT_TRUE(got.ok()) << got.message;
  ASSERT_TRUE(want.ok()) << want.message;
  EXPECT_TRUE(same_values(got.outputs[0], want.outputs[0]));
}

}  // namespace
}  // namespace keel::opencl_test
