// slice's shape rule against an independent statement of numpy's slicing rule, over many cases.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "keel/keel_ops.h"
#include "spec/shape_rules.h"
#include "spec_test_util.h"

namespace keel::spec {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

// numpy / Python: a negative index counts from the back; then, for a positive step both ends are clamped to
// [0, dim], for a negative step to [-1, dim - 1]. The kept indices are start, start + step, ... before end;
// counted one by one here.
int64_t numpy_slice_length(int64_t dim, int64_t start, int64_t end, int64_t step) {
  if (start < 0) start += dim;
  if (end < 0) end += dim;
  int64_t lo = step > 0 ? 0 : -1;
  int64_t hi = step > 0 ? dim : dim - 1;
  start = std::clamp(start, lo, hi);
  end = std::clamp(end, lo, hi);
  int64_t count = 0;
  for (int64_t i = start; step > 0 ? i < end : i > end; i += step) ++count;
  return count;
}

TEST(Slice, LengthMatchesNumpyOnAGridOfCases) {
  const int64_t bounds[] = {kMin, -12, -7, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 12, kMax};
  const int64_t steps[] = {-7, -3, -2, -1, 1, 2, 3, 7};
  for (int64_t dim = 0; dim <= 6; ++dim) {
    for (int64_t start : bounds) {
      for (int64_t end : bounds) {
        for (int64_t step : steps) {
          ASSERT_EQ(shape_rules::slice_length(dim, start, end, step), numpy_slice_length(dim, start, end, step))
              << "dim " << dim << " [" << start << ":" << end << ":" << step << "]";
        }
      }
    }
  }
}

TEST(Slice, KnownNumpyResults) {
  // len(range(dim)[start:end:step]) as Python computes it.
  struct Case {
    int64_t dim, start, end, step, length;
  };
  const Case cases[] = {
      {10, 2, 8, 1, 6},      {10, kMax, kMin, -1, 10}, {10, -3, kMax, 1, 3}, {10, 8, 2, -2, 3}, {4, -10, kMin, -1, 0},
      {10, 100, kMax, 1, 0}, {10, -100, 2, 1, 2},      {10, 5, -5, -1, 0},   {0, 0, 5, 1, 0},   {0, -1, kMin, -1, 0},
      {7, 1, kMax, 3, 2},    {7, -1, 0, -3, 2},        {5, 4, -6, -1, 5},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(shape_rules::slice_length(c.dim, c.start, c.end, c.step), c.length)
        << "dim " << c.dim << " [" << c.start << ":" << c.end << ":" << c.step << "]";
  }
}

TEST(Slice, InferSlicesOnlyTheListedAxes) {
  const int64_t starts[] = {-1, 1};
  const int64_t ends[] = {kMin, kMax};
  const int64_t axes[] = {2, 0};
  const int64_t steps[] = {-2, 2};
  const keel_slice_attrs_t attrs = {.struct_size = sizeof(keel_slice_attrs_t),
                                    .starts = starts,
                                    .starts_count = 2,
                                    .ends = ends,
                                    .ends_count = 2,
                                    .axes = axes,
                                    .axes_count = 2,
                                    .steps = steps,
                                    .steps_count = 2};
  TensorMeta x = testing::meta("f32[5,3,7]");
  // axis 2: 6, 4, 2, 0 → 4; axis 0: 1, 3 → 2; axis 1 whole.
  EXPECT_EQ(testing::infer_call(testing::op("slice"), &attrs, {&x, 1}), std::vector<std::string>{"f32[2,3,4]"});
}

}  // namespace
}  // namespace keel::spec
