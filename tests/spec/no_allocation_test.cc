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

// The rules of the newer operator groups, optional inputs absent and present included.
TEST(NoAllocation, CheckOnTheSuccessPathOfTheNewerRules) {
  const auto expect_none = [](const testing::Attrs& attrs, const std::vector<TensorMeta>& inputs) {
    size_t before = testing::allocation_count();
    std::optional<Violation> v = check(attrs.schema(), attrs.data(), inputs);
    size_t after = testing::allocation_count();
    EXPECT_FALSE(v.has_value()) << v->message;
    EXPECT_EQ(after - before, 0u) << attrs.schema().name;
  };
  testing::Attrs conv =
      testing::Attrs("conv").set("strides", {2, 1}).set("pads", {1, 0, 1, 1}).set("groups", int64_t{1});
  expect_none(conv, {meta("f32[2,3,7,6]"), meta("f32[4,3,3,2]"), meta("f32[4]")});
  expect_none(testing::Attrs("conv"), {meta("f32[1,3,8]"), meta("f32[4,3,3]"), meta("none")});
  testing::Attrs pool =
      testing::Attrs("max_pool").set("kernel_shape", {3, 3}).set("strides", {2, 2}).set("ceil_mode", int64_t{1});
  expect_none(pool, {meta("f32[2,3,7,7]")});
  expect_none(testing::Attrs("gather_nd").set("batch_dims", int64_t{1}), {meta("f32[2,3,4]"), meta("i64[2,2,1]")});
  expect_none(testing::Attrs("scatter_nd"), {meta("f32[4,3]"), meta("i64[2,1]"), meta("f32[2,3]")});
  expect_none(testing::Attrs("resize").set_floats("scales", {1.0, 1.0, 2.0, 2.0}), {meta("f32[1,1,4,4]")});
  expect_none(testing::Attrs("split").set("sizes", {1, 3}).set("axis", int64_t{-1}), {meta("f32[2,4]")});
  expect_none(testing::Attrs("layer_norm").set("axis", int64_t{1}),
              {meta("f32[2,3,4]"), meta("f32[3,4]"), meta("none")});
  expect_none(testing::Attrs("clamp"), {meta("f32[2,3]"), meta("none"), meta("f32[3]")});
  expect_none(testing::Attrs("pad").set("pads", {1, 2, 1, 2}).set_enum("mode", "reflect"), {meta("f32[4,5]")});
  expect_none(testing::Attrs("gemm").set("trans_a", int64_t{1}), {meta("f32[3,2]"), meta("f32[3,4]"), meta("f32[4]")});
}

TEST(NoAllocation, TheCounterWorks) {
  size_t before = testing::allocation_count();
  std::optional<Violation> v = testing::check_call(testing::op("add"), nullptr, {});
  EXPECT_TRUE(v.has_value());
  EXPECT_GT(testing::allocation_count(), before);  // the failure path builds a message
}

}  // namespace
}  // namespace keel::spec
