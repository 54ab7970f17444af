// check() runs on every eager op: on the success path it must not touch the heap.
#include <gtest/gtest.h>

#include <vector>

#include "counting_new.h"
#include "keel/keel_ops.h"
#include "spec/validate.h"
#include "spec_test_util.h"

namespace keel::spec {
namespace {

using testing::meta;

// Normalizes outside the measured region, then counts allocations in check() alone.
size_t allocations_in_check(const char* name, const void* attrs, const std::vector<TensorMeta>& inputs) {
  const OpSchema& op = testing::op(name);
  AttrsBuffer full;
  EXPECT_TRUE(normalize_attrs(op, attrs, full.bytes, nullptr));
  size_t before = testing::allocation_count();
  std::optional<Violation> v = check(op, op.attrs_size ? full.bytes : nullptr, inputs);
  size_t after = testing::allocation_count();
  EXPECT_FALSE(v.has_value()) << v->message;
  return after - before;
}

TEST(NoAllocation, CheckOnTheSuccessPath) {
  const int64_t axes[] = {0, -1};
  const keel_reduce_sum_attrs_t sum = {.struct_size = sizeof(sum), .axes = axes, .axes_count = 2, .keepdims = 1};
  const int64_t starts[] = {1};
  const int64_t ends[] = {-1};
  const keel_slice_attrs_t slice = {
      .struct_size = sizeof(slice), .starts = starts, .starts_count = 1, .ends = ends, .ends_count = 1};
  EXPECT_EQ(allocations_in_check("add", nullptr, {meta("f32[2,3]"), meta("f32[3]")}), 0u);
  EXPECT_EQ(allocations_in_check("where", nullptr, {meta("bool[2,1]"), meta("f32[3]"), meta("f32[]")}), 0u);
  EXPECT_EQ(allocations_in_check("matmul", nullptr, {meta("f32[4,2,3]"), meta("f32[3,5]")}), 0u);
  EXPECT_EQ(allocations_in_check("reduce_sum", &sum, {meta("f32[2,3,4]")}), 0u);
  EXPECT_EQ(allocations_in_check("slice", &slice, {meta("f32[4,4]")}), 0u);
  EXPECT_EQ(allocations_in_check("concat", nullptr, {meta("f32[2]"), meta("f32[3]"), meta("f32[0]")}), 0u);
}

TEST(NoAllocation, TheCounterWorks) {
  size_t before = testing::allocation_count();
  std::optional<Violation> v = testing::check_call(testing::op("add"), nullptr, {});
  EXPECT_TRUE(v.has_value());
  EXPECT_GT(testing::allocation_count(), before);  // the failure path builds a message
}

}  // namespace
}  // namespace keel::spec
