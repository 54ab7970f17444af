// The wording of violations: which constraint, and a detail that names the argument and its values.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "keel/keel_ops.h"
#include "spec_test_util.h"

namespace keel::spec {
namespace {

using testing::meta;

std::string violation_message(const char* op, const void* attrs, std::vector<TensorMeta> inputs) {
  std::optional<Violation> v = testing::check_call(testing::op(op), attrs, inputs);
  EXPECT_TRUE(v.has_value());
  return v ? v->message : "";
}

TEST(Messages, ConstraintViolationNamesTheArgument) {
  const int64_t axes[] = {2};
  keel_reduce_sum_attrs_t attrs = {.struct_size = sizeof(attrs), .axes = axes, .axes_count = 1, .keepdims = 0};
  EXPECT_EQ(violation_message("reduce_sum", &attrs, {meta("f32[2,3]")}),
            "reduce_sum: constraint C1 violated (Every axis lies in [-rank(x), rank(x)).): attribute 'axes' entry 2 "
            "is out of range for input 'x' of rank 2");
}

TEST(Messages, InputCount) {
  EXPECT_EQ(violation_message("add", nullptr, {meta("f32[2]")}), "add: expects 2 inputs (a, b), got 1");
  EXPECT_EQ(violation_message("concat", nullptr, {}), "concat: expects at least 1 input (x...), got 0");
  EXPECT_EQ(violation_message("full", nullptr, {meta("f32[2]")}), "full: expects 0 inputs (), got 1");
}

TEST(Messages, TypingNamesTheInputTheDtypeAndTheAllowedList) {
  std::string m = violation_message("sqrt", nullptr, {meta("i32[2]")});
  EXPECT_NE(m.find("sqrt: constraint C0 violated ("), std::string::npos) << m;
  EXPECT_NE(m.find("input 'x' is i32; T allows f32, f16, bf16, f64"), std::string::npos) << m;

  m = violation_message("add", nullptr, {meta("f32[2]"), meta("i32[2]")});
  EXPECT_NE(m.find("input 'b' is i32, but input 'a' is f32; both are bound to T"), std::string::npos) << m;

  m = violation_message("where", nullptr, {meta("i32[2]"), meta("f32[2]"), meta("f32[2]")});
  EXPECT_NE(m.find("input 'cond' is i32; it must be bool"), std::string::npos) << m;

  m = violation_message("concat", nullptr, {meta("f32[2]"), meta("f32[2]"), meta("f64[2]")});
  EXPECT_NE(m.find("input 'x[2]' is f64, but input 'x[0]' is f32"), std::string::npos) << m;
}

TEST(Messages, PredicateDetails) {
  EXPECT_NE(violation_message("add", nullptr, {meta("f32[2,3]"), meta("f32[4]")})
                .find("input 'a' [2,3] and input 'b' [4] do not broadcast: dimension -1 is 3 vs 4"),
            std::string::npos);
  EXPECT_NE(violation_message("matmul", nullptr, {meta("f32[2,3]"), meta("f32[4,5]")})
                .find("the last dimension of the first is 3, the second-to-last of the second 4"),
            std::string::npos);
  const int64_t perm[] = {0, 2, 2};
  keel_permute_attrs_t permute = {.struct_size = sizeof(permute), .perm = perm, .perm_count = 3};
  EXPECT_NE(violation_message("permute", &permute, {meta("f32[2,3,4]")}).find("names axis 2 twice"), std::string::npos);
  const int64_t shape[] = {4, 2};
  keel_reshape_attrs_t reshape = {.struct_size = sizeof(reshape), .shape = shape, .shape_count = 2};
  EXPECT_NE(violation_message("reshape", &reshape, {meta("f32[2,3]")})
                .find("attribute 'shape' [4,2] has 8 elements, but input 'x' [2,3] with 6 elements"),
            std::string::npos);
  keel_cast_attrs_t cast = {.struct_size = sizeof(cast), .to = KEEL_DTYPE_U8};
  EXPECT_NE(violation_message("cast", &cast, {meta("f32[2]")}).find("attribute 'to' is u8"), std::string::npos);
}

TEST(Messages, NewerPredicatesNameTheirArguments) {
  testing::Attrs conv = testing::Attrs("conv").set("groups", int64_t{2});
  EXPECT_NE(violation_message("conv", conv.data(), {meta("f32[1,4,8]"), meta("f32[6,3,3]"), meta("none")})
                .find("input 'x' [1,4,8] has 4 channels, but input 'w' [6,3,3] expects 3 per group"),
            std::string::npos);
  EXPECT_NE(violation_message("conv", nullptr, {meta("f32[1,3,2]"), meta("f32[4,3,3]"), meta("none")})
                .find("spatial axis 0 of input 'x' [1,3,2] gives no output position (kernel 3, stride 1"),
            std::string::npos);
  testing::Attrs split = testing::Attrs("split").set("sizes", {1, 2});
  EXPECT_NE(violation_message("split", split.data(), {meta("f32[4]")})
                .find("attribute 'sizes' [1,2] sums to 3, but the split axis of input 'x' [4] has 4"),
            std::string::npos);
  EXPECT_NE(violation_message("gemm", nullptr, {meta("f32[2,3]"), meta("f32[3,4]"), meta("f32[3]")})
                .find("input 'c' [3] does not broadcast to the product's shape [2,4]"),
            std::string::npos);
  testing::Attrs topk = testing::Attrs("topk").set("k", int64_t{4});
  EXPECT_NE(violation_message("topk", topk.data(), {meta("f32[2,3]")})
                .find("attribute 'k' is 4; it must lie in [0, 3]"),
            std::string::npos);
}

TEST(Messages, AbsentOptionalInputs) {
  // A required input passed absent fails typing; an optional one is skipped, and the bound dtype comes from
  // the inputs present.
  std::string m = violation_message("clamp", nullptr, {meta("none"), meta("f32[2]"), meta("f32[2]")});
  EXPECT_NE(m.find("clamp: constraint C0 violated"), std::string::npos) << m;
  EXPECT_NE(m.find("input 'x' is invalid"), std::string::npos) << m;
  std::vector<TensorMeta> max_only = {meta("i64[3]"), meta("none"), meta("i64[]")};
  EXPECT_EQ(testing::infer_call(testing::op("clamp"), nullptr, max_only), std::vector<std::string>{"i64[3]"});
  m = violation_message("clamp", nullptr, {meta("f32[2,3]"), meta("none"), meta("f64[3]")});
  EXPECT_NE(m.find("input 'max' is f64, but input 'x' is f32"), std::string::npos) << m;
}

TEST(Messages, ShapesBeyondTheDescriptorAreRejected) {
  TensorMeta huge = meta("f32[2]");
  huge.rank = KEEL_MAX_RANK + 1;
  EXPECT_NE(violation_message("neg", nullptr, {huge}).find("has rank 9"), std::string::npos);
  TensorMeta negative = meta("f32[2,-1]");
  EXPECT_NE(violation_message("neg", nullptr, {negative}).find("negative shape [2,-1]"), std::string::npos);
  const int64_t nine[] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
  keel_full_attrs_t full = {
      .struct_size = sizeof(full), .shape = nine, .shape_count = 9, .value = 0, .dtype = KEEL_DTYPE_F32};
  EXPECT_NE(violation_message("full", &full, {}).find("at most 8 dimensions"), std::string::npos);
}

}  // namespace
}  // namespace keel::spec
