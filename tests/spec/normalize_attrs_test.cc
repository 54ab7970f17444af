// normalize_attrs: older (smaller) and newer (larger) caller structs, NULL, and malformed structs.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "keel/keel_ops.h"
#include "spec/validate.h"
#include "spec_test_util.h"

namespace keel::spec {
namespace {

template <typename Attrs>
Attrs normalized(const OpSchema& op, const void* caller) {
  AttrsBuffer out;
  std::string why;
  EXPECT_TRUE(normalize_attrs(op, caller, out.bytes, &why)) << why;
  Attrs attrs;
  std::memcpy(&attrs, out.bytes, sizeof attrs);
  return attrs;
}

TEST(NormalizeAttrs, NullGivesTheSpecDefaults) {
  auto div = normalized<keel_div_attrs_t>(testing::op("div"), nullptr);
  EXPECT_EQ(div.struct_size, sizeof(keel_div_attrs_t));
  EXPECT_EQ(div.rounding, KEEL_DIV_ROUNDING_NONE);
  auto arange = normalized<keel_arange_attrs_t>(testing::op("arange"), nullptr);
  EXPECT_EQ(arange.start, 0.0);
  EXPECT_EQ(arange.delta, 1.0);
  EXPECT_EQ(arange.dtype, KEEL_DTYPE_F32);
  auto softmax = normalized<keel_softmax_attrs_t>(testing::op("softmax"), nullptr);
  EXPECT_EQ(softmax.axis, -1);
}

TEST(NormalizeAttrs, OlderCallerGetsDefaultsForTheFieldsItLacks) {
  // A caller whose keel_slice_attrs_t ended after ends_count: the bytes beyond hold garbage.
  const int64_t starts[] = {1};
  const int64_t ends[] = {3};
  const int64_t garbage[] = {42};
  keel_slice_attrs_t old = {.struct_size = KEEL_STRUCT_SIZE_UNTIL(keel_slice_attrs_t, ends_count),
                            .starts = starts,
                            .starts_count = 1,
                            .ends = ends,
                            .ends_count = 1,
                            .axes = garbage,
                            .axes_count = 7,
                            .steps = garbage,
                            .steps_count = 9};
  auto slice = normalized<keel_slice_attrs_t>(testing::op("slice"), &old);
  EXPECT_EQ(slice.struct_size, sizeof(keel_slice_attrs_t));
  EXPECT_EQ(slice.starts, starts);
  EXPECT_EQ(slice.ends_count, 1u);
  EXPECT_EQ(slice.axes, nullptr);
  EXPECT_EQ(slice.axes_count, 0u);
  EXPECT_EQ(slice.steps, nullptr);
  EXPECT_EQ(slice.steps_count, 0u);

  // A struct that ends in the middle of a pointer + count pair keeps the pair's defaults.
  old.struct_size = KEEL_STRUCT_SIZE_UNTIL(keel_slice_attrs_t, axes);
  slice = normalized<keel_slice_attrs_t>(testing::op("slice"), &old);
  EXPECT_EQ(slice.axes, nullptr);
  EXPECT_EQ(slice.axes_count, 0u);

  // Only struct_size: every field defaults.
  keel_softmax_attrs_t bare = {.struct_size = sizeof(size_t), .axis = 5};
  EXPECT_EQ(normalized<keel_softmax_attrs_t>(testing::op("softmax"), &bare).axis, -1);
  keel_arange_attrs_t partial = {.struct_size = KEEL_STRUCT_SIZE_UNTIL(keel_arange_attrs_t, limit),
                                 .start = 2,
                                 .limit = 9,
                                 .delta = 7,
                                 .dtype = KEEL_DTYPE_I8};
  auto arange = normalized<keel_arange_attrs_t>(testing::op("arange"), &partial);
  EXPECT_EQ(arange.start, 2.0);
  EXPECT_EQ(arange.limit, 9.0);
  EXPECT_EQ(arange.delta, 1.0);
  EXPECT_EQ(arange.dtype, KEEL_DTYPE_F32);
}

TEST(NormalizeAttrs, NewerCallerIsReadUpToOurSize) {
  struct NewerSoftmax {
    keel_softmax_attrs_t v1;
    int64_t added_later;
  } newer = {{.struct_size = sizeof(NewerSoftmax), .axis = 0}, 123};
  auto softmax = normalized<keel_softmax_attrs_t>(testing::op("softmax"), &newer);
  EXPECT_EQ(softmax.struct_size, sizeof(keel_softmax_attrs_t));
  EXPECT_EQ(softmax.axis, 0);
}

TEST(NormalizeAttrs, RejectsMalformedStructs) {
  AttrsBuffer out;
  std::string why;
  keel_softmax_attrs_t tiny = {.struct_size = 3, .axis = 0};
  EXPECT_FALSE(normalize_attrs(testing::op("softmax"), &tiny, out.bytes, &why));
  EXPECT_NE(why.find("struct_size 3"), std::string::npos) << why;

  keel_reduce_sum_attrs_t dangling = {
      .struct_size = sizeof(keel_reduce_sum_attrs_t), .axes = nullptr, .axes_count = 2, .keepdims = 0};
  EXPECT_FALSE(normalize_attrs(testing::op("reduce_sum"), &dangling, out.bytes, &why));
  EXPECT_NE(why.find("'axes' has 2 entries but a NULL pointer"), std::string::npos) << why;

  keel_div_attrs_t bad_enum = {.struct_size = sizeof(keel_div_attrs_t), .rounding = 7};
  EXPECT_FALSE(normalize_attrs(testing::op("div"), &bad_enum, out.bytes, &why));
  EXPECT_NE(why.find("'rounding' is 7"), std::string::npos) << why;
}

TEST(NormalizeAttrs, OperatorWithoutAttributes) {
  AttrsBuffer out;
  std::string why;
  const OpSchema& add = testing::op("add");
  EXPECT_TRUE(normalize_attrs(add, nullptr, out.bytes, &why));
  // Not an attribute struct: e.g. a pointer to an axis list passed by mistake.
  const int64_t not_attrs[] = {2, 0};
  EXPECT_FALSE(normalize_attrs(add, not_attrs, out.bytes, &why));
  EXPECT_NE(why.find("no attributes"), std::string::npos) << why;
  // A newer caller's struct for an op that gained attributes later: accepted, nothing to read.
  struct FutureAddAttrs {
    size_t struct_size;
    int64_t alpha;
  } future = {sizeof(FutureAddAttrs), 2};
  EXPECT_TRUE(normalize_attrs(add, &future, out.bytes, &why)) << why;
}

}  // namespace
}  // namespace keel::spec
