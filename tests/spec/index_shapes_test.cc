// Shape inference of the shape and indexing operators against outputs worked out by hand.
#include <gtest/gtest.h>

#include <vector>

#include "shape_cases.h"
#include "spec_test_util.h"

namespace keel::spec {

namespace testing {

std::vector<ShapeCase> index_cases() {
  return {
      // flatten: [product before axis, product from axis]; empty products are 1.
      {"flatten", nullptr, {"f32[2,3,4]"}, {"f32[2,12]"}},
      {"flatten", attrs(Attrs("flatten").set("axis", int64_t{-1})), {"f32[2,3,4]"}, {"f32[6,4]"}},
      {"flatten", attrs(Attrs("flatten").set("axis", int64_t{3})), {"f32[2,3,4]"}, {"f32[24,1]"}},
      {"flatten", attrs(Attrs("flatten").set("axis", int64_t{0})), {"i32[2,3,4]"}, {"i32[1,24]"}},
      {"flatten", attrs(Attrs("flatten").set("axis", int64_t{0})), {"f32[]"}, {"f32[1,1]"}},
      {"flatten", attrs(Attrs("flatten").set("axis", int64_t{2})), {"f32[0,3,2]"}, {"f32[0,2]"}},
      {"flatten", nullptr, {"bool[2,0,3]"}, {"bool[2,0]"}},
      // expand: the broadcast of x's shape and the list.
      {"expand", attrs(Attrs("expand").set("shape", {2, 3})), {"f32[3]"}, {"f32[2,3]"}},
      {"expand", attrs(Attrs("expand").set("shape", {2, 4})), {"f32[2,1]"}, {"f32[2,4]"}},
      {"expand", attrs(Attrs("expand").set("shape", {3, 1, 1})), {"f32[2,1]"}, {"f32[3,2,1]"}},
      {"expand", attrs(Attrs("expand").set("shape", {4})), {"f32[3,1]"}, {"f32[3,4]"}},
      {"expand", attrs(Attrs("expand").set("shape", {2, 2})), {"f32[]"}, {"f32[2,2]"}},
      {"expand", attrs(Attrs("expand").set("shape", {0, 1})), {"f32[1,3]"}, {"f32[0,3]"}},
      {"expand", attrs(Attrs("expand").set("shape", {2, 4, 1, 5})), {"i64[2,1,3,1]"}, {"i64[2,4,3,5]"}},
      // squeeze and unsqueeze.
      {"squeeze", nullptr, {"f32[1,3,1]"}, {"f32[3]"}},
      {"squeeze", attrs(Attrs("squeeze").set("axes", {-1})), {"f32[1,3,1]"}, {"f32[1,3]"}},
      {"squeeze", nullptr, {"f32[1,1]"}, {"f32[]"}},
      {"squeeze", nullptr, {"f32[]"}, {"f32[]"}},
      {"squeeze", attrs(Attrs("squeeze").set("axes", {1})), {"f32[0,1,2]"}, {"f32[0,2]"}},
      {"squeeze", attrs(Attrs("squeeze").set("axes", {1, -2})), {"f32[2,1,3,1,1]"}, {"f32[2,3,1]"}},
      {"unsqueeze", attrs(Attrs("unsqueeze").set("axes", {0})), {"f32[2,3]"}, {"f32[1,2,3]"}},
      {"unsqueeze", attrs(Attrs("unsqueeze").set("axes", {-1, 1})), {"f32[2,3]"}, {"f32[2,1,3,1]"}},
      {"unsqueeze", attrs(Attrs("unsqueeze").set("axes", {0, 1})), {"f32[]"}, {"f32[1,1]"}},
      {"unsqueeze", attrs(Attrs("unsqueeze").set("axes", {2})), {"f32[0,3]"}, {"f32[0,3,1]"}},
      {"unsqueeze", attrs(Attrs("unsqueeze").set("axes", {4, -6})), {"f32[2,3,2,2]"}, {"f32[1,2,3,2,1,2]"}},
      // split: sizes, or ceil(d / n) with a smaller last piece.
      {"split",
       attrs(Attrs("split").set("num_outputs", int64_t{3})),
       {"f32[6,2]"},
       {"f32[2,2]", "f32[2,2]", "f32[2,2]"}},
      {"split",
       attrs(Attrs("split").set("num_outputs", int64_t{3})),
       {"f32[5,2]"},
       {"f32[2,2]", "f32[2,2]", "f32[1,2]"}},
      {"split",
       attrs(Attrs("split").set("num_outputs", int64_t{4})),
       {"f32[7]"},
       {"f32[2]", "f32[2]", "f32[2]", "f32[1]"}},
      {"split",
       attrs(Attrs("split").set("axis", int64_t{-1}).set("sizes", {2, 0, 5})),
       {"f32[2,7]"},
       {"f32[2,2]", "f32[2,0]", "f32[2,5]"}},
      {"split", attrs(Attrs("split").set("sizes", {4})), {"i32[4]"}, {"i32[4]"}},
      {"split", attrs(Attrs("split").set("num_outputs", int64_t{2})), {"f32[0,3]"}, {"f32[0,3]", "f32[0,3]"}},
      {"split",
       attrs(Attrs("split").set("axis", int64_t{2}).set("sizes", {1, 3})),
       {"f32[2,3,4,2]"},
       {"f32[2,3,1,2]", "f32[2,3,3,2]"}},
      // tile, flip, shape, trilu, copy, eye.
      {"tile", attrs(Attrs("tile").set("repeats", {2, 1})), {"f32[2,3]"}, {"f32[4,3]"}},
      {"tile", attrs(Attrs("tile").set("repeats", {3})), {"f32[3]"}, {"f32[9]"}},
      {"tile", attrs(Attrs("tile").set("repeats", {})), {"f32[]"}, {"f32[]"}},
      {"tile", attrs(Attrs("tile").set("repeats", {0, 2})), {"f32[2,3]"}, {"f32[0,6]"}},
      {"flip", attrs(Attrs("flip").set("axes", {0, -1})), {"f32[2,3,4]"}, {"f32[2,3,4]"}},
      {"shape", nullptr, {"f32[2,3]"}, {"i64[2]"}},
      {"shape", nullptr, {"bool[]"}, {"i64[0]"}},
      {"shape", nullptr, {"f32[2,1,3,1,2,1]"}, {"i64[6]"}},
      {"trilu", nullptr, {"f32[2,3,3]"}, {"f32[2,3,3]"}},
      {"copy", nullptr, {"f16[0,2]"}, {"f16[0,2]"}},
      {"eye",
       attrs(Attrs("eye").set("rows", int64_t{2}).set("cols", int64_t{4}).set("dtype", int64_t{KEEL_DTYPE_I64})),
       {},
       {"i64[2,4]"}},
      {"eye", attrs(Attrs("eye").set("rows", int64_t{0}).set("cols", int64_t{3})), {}, {"f32[0,3]"}},
      // gather: x.shape[:axis] + indices.shape + x.shape[axis + 1:].
      {"gather", nullptr, {"f32[5,3]", "i64[4]"}, {"f32[4,3]"}},
      {"gather", attrs(Attrs("gather").set("axis", int64_t{-1})), {"f32[3,5]", "i32[2,2]"}, {"f32[3,2,2]"}},
      {"gather", nullptr, {"f32[4]", "i64[]"}, {"f32[]"}},
      {"gather", attrs(Attrs("gather").set("axis", int64_t{2})), {"f32[2,3,4,2]", "i64[3,2]"}, {"f32[2,3,3,2,2]"}},
      {"gather", nullptr, {"bool[4,3]", "i64[0]"}, {"bool[0,3]"}},
      {"gather_elements",
       attrs(Attrs("gather_elements").set("axis", int64_t{1})),
       {"f32[3,4]", "i64[2,7]"},
       {"f32[2,7]"}},
      // gather_nd: indices.shape[:-1] + x.shape[batch_dims + k:].
      {"gather_nd", nullptr, {"f32[3,4]", "i64[5,2]"}, {"f32[5]"}},
      {"gather_nd", nullptr, {"f32[3,4,2]", "i32[2,1]"}, {"f32[2,4,2]"}},
      {"gather_nd",
       attrs(Attrs("gather_nd").set("batch_dims", int64_t{1})),
       {"f32[2,3,4]", "i64[2,2,1]"},
       {"f32[2,2,4]"}},
      {"gather_nd",
       attrs(Attrs("gather_nd").set("batch_dims", int64_t{2})),
       {"f32[2,3,2,2]", "i64[2,3,2]"},
       {"f32[2,3]"}},
      {"gather_nd", nullptr, {"f32[]", "i64[2,0]"}, {"f32[2]"}},
      {"gather_nd", nullptr, {"f32[3,4]", "i64[0,2]"}, {"f32[0]"}},
      // Scatters keep data's shape.
      {"scatter_elements",
       attrs(Attrs("scatter_elements").set_enum("reduction", "max")),
       {"f32[5]", "i64[8]", "f32[8]"},
       {"f32[5]"}},
      {"scatter_nd",
       attrs(Attrs("scatter_nd").set("batch_dims", int64_t{1})),
       {"f32[2,4,3]", "i64[2,2,1]", "f32[2,2,3]"},
       {"f32[2,4,3]"}},
      {"scatter_nd", nullptr, {"i32[]", "i64[2,0]", "i32[2]"}, {"i32[]"}},
      // one_hot: a new axis of size depth.
      {"one_hot", attrs(Attrs("one_hot").set("depth", int64_t{3})), {"i64[4]"}, {"f32[4,3]"}},
      {"one_hot",
       attrs(Attrs("one_hot").set("depth", int64_t{5}).set("axis", int64_t{0}).set("dtype", int64_t{KEEL_DTYPE_I64})),
       {"i32[2,3]"},
       {"i64[5,2,3]"}},
      {"one_hot", attrs(Attrs("one_hot").set("depth", int64_t{4})), {"i64[]"}, {"f32[4]"}},
      {"one_hot",
       attrs(Attrs("one_hot").set("depth", int64_t{2}).set("axis", int64_t{-2})),
       {"i64[2,2,3]"},
       {"f32[2,2,2,3]"}},
      {"one_hot", attrs(Attrs("one_hot").set("depth", int64_t{0})), {"i64[3]"}, {"f32[3,0]"}},
      // nonzero: [rank, numel] and a 0-D count.
      {"nonzero", nullptr, {"f32[3,4]"}, {"i64[2,12]", "i64[]"}},
      {"nonzero", nullptr, {"bool[]"}, {"i64[0,1]", "i64[]"}},
      {"nonzero", nullptr, {"i32[0,3]"}, {"i64[2,0]", "i64[]"}},
  };
}

}  // namespace testing

namespace {

using testing::Attrs;
using testing::attrs;
using testing::ShapeCase;

TEST(IndexShapes, InferTheOutputsWorkedOutByHand) {
  for (const ShapeCase& c : testing::index_cases()) testing::expect_shapes(c);
}

TEST(IndexShapes, SplitCountFollowsSizesOrNumOutputs) {
  const OpSchema& split = testing::op("split");
  Attrs sizes = Attrs("split").set("sizes", {1, 1, 1, 1, 1});
  TensorMeta x = testing::meta("f32[5]");
  EXPECT_EQ(output_count(split, sizes.data(), {&x, 1}), 5u);
  Attrs parts = Attrs("split").set("num_outputs", int64_t{2});
  EXPECT_EQ(output_count(split, parts.data(), {&x, 1}), 2u);
  EXPECT_TRUE(split.has_variadic_output());
  EXPECT_EQ(split.output_count, 1u);  // one declared output, holding the pieces
}

}  // namespace
}  // namespace keel::spec
