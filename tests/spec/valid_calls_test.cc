// Valid calls of every operator pass check(), and infer() gives the outputs worked out by hand here.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "keel/keel_ops.h"
#include "shape_cases.h"
#include "spec/shape_rules.h"
#include "spec_test_util.h"

namespace keel::spec {
namespace {

using testing::meta;

struct ValidCase {
  const char* op;
  const void* attrs;  // a caller struct, or nullptr for the defaults
  std::vector<const char*> inputs;
  std::vector<std::string> outputs;
};

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

// Attribute structs the cases point at.
const int64_t kLast[] = {-1};
const int64_t kFirstAndLast[] = {0, 2};
const int64_t kMinus2[] = {-2};
const int64_t kOne[] = {1};
const int64_t kZero[] = {0};
const int64_t kShape23[] = {2, 3};
const int64_t kShape0[] = {0};
const int64_t kShape3M1[] = {3, -1};
const int64_t kShape6[] = {6};
const int64_t kShape30[] = {3, 0};
const int64_t kShapeM13[] = {-1, 3};
const int64_t kShape11[] = {1, 1};
const int64_t kPerm201[] = {2, 0, 1};
const int64_t kPermM101[] = {-1, 0, 1};
const int64_t kStart2[] = {2};
const int64_t kEnd8[] = {8};
const int64_t kStartMax[] = {kMax};
const int64_t kEndMin[] = {kMin};
const int64_t kStepM1[] = {-1};
const int64_t kStarts01[] = {0, 1};
const int64_t kEnds2Max[] = {2, kMax};
const int64_t kAxes1[] = {1};
const int64_t kStep2[] = {2};

const keel_cast_attrs_t kToI32 = {.struct_size = sizeof(keel_cast_attrs_t), .to = KEEL_DTYPE_I32};
const keel_full_attrs_t kFull23 = {.struct_size = sizeof(keel_full_attrs_t),
                                   .shape = kShape23,
                                   .shape_count = 2,
                                   .value = 1.5,
                                   .dtype = KEEL_DTYPE_I32};
const keel_full_attrs_t kFull0 = {
    .struct_size = sizeof(keel_full_attrs_t), .shape = kShape0, .shape_count = 1, .value = 0, .dtype = KEEL_DTYPE_F32};
const keel_arange_attrs_t kArange5 = {
    .struct_size = sizeof(keel_arange_attrs_t), .start = 0, .limit = 5, .delta = 1, .dtype = KEEL_DTYPE_F32};
const keel_arange_attrs_t kArangeFraction = {
    .struct_size = sizeof(keel_arange_attrs_t), .start = 0, .limit = 1, .delta = 0.3, .dtype = KEEL_DTYPE_F64};
const keel_arange_attrs_t kArangeDown = {
    .struct_size = sizeof(keel_arange_attrs_t), .start = 5, .limit = 0, .delta = -2, .dtype = KEEL_DTYPE_I64};
const keel_arange_attrs_t kArangeEmpty = {
    .struct_size = sizeof(keel_arange_attrs_t), .start = 5, .limit = 0, .delta = 1, .dtype = KEEL_DTYPE_I32};
const keel_arange_attrs_t kArangeSame = {
    .struct_size = sizeof(keel_arange_attrs_t), .start = 3, .limit = 3, .delta = 1, .dtype = KEEL_DTYPE_F32};
const keel_div_attrs_t kDivFloor = {.struct_size = sizeof(keel_div_attrs_t), .rounding = KEEL_DIV_ROUNDING_FLOOR};
const keel_div_attrs_t kDivTrunc = {.struct_size = sizeof(keel_div_attrs_t), .rounding = KEEL_DIV_ROUNDING_TRUNC};
const keel_reduce_sum_attrs_t kSumLastKeep = {
    .struct_size = sizeof(keel_reduce_sum_attrs_t), .axes = kLast, .axes_count = 1, .keepdims = 1};
const keel_reduce_sum_attrs_t kSumFirstAndLast = {
    .struct_size = sizeof(keel_reduce_sum_attrs_t), .axes = kFirstAndLast, .axes_count = 2, .keepdims = 0};
const keel_reduce_sum_attrs_t kSumAllKeep = {
    .struct_size = sizeof(keel_reduce_sum_attrs_t), .axes = nullptr, .axes_count = 0, .keepdims = 1};
const keel_reduce_sum_attrs_t kSumFirst = {
    .struct_size = sizeof(keel_reduce_sum_attrs_t), .axes = kZero, .axes_count = 1, .keepdims = 0};
const keel_reduce_mean_attrs_t kMeanSecond = {
    .struct_size = sizeof(keel_reduce_mean_attrs_t), .axes = kOne, .axes_count = 1, .keepdims = 0};
const keel_reduce_max_attrs_t kMaxMinus2Keep = {
    .struct_size = sizeof(keel_reduce_max_attrs_t), .axes = kMinus2, .axes_count = 1, .keepdims = 1};
const keel_reduce_max_attrs_t kMaxSecond = {
    .struct_size = sizeof(keel_reduce_max_attrs_t), .axes = kOne, .axes_count = 1, .keepdims = 0};
const keel_reshape_attrs_t kReshape3M1 = {
    .struct_size = sizeof(keel_reshape_attrs_t), .shape = kShape3M1, .shape_count = 2};
const keel_reshape_attrs_t kReshape6 = {
    .struct_size = sizeof(keel_reshape_attrs_t), .shape = kShape6, .shape_count = 1};
const keel_reshape_attrs_t kReshape30 = {
    .struct_size = sizeof(keel_reshape_attrs_t), .shape = kShape30, .shape_count = 2};
const keel_reshape_attrs_t kReshapeM13 = {
    .struct_size = sizeof(keel_reshape_attrs_t), .shape = kShapeM13, .shape_count = 2};
const keel_reshape_attrs_t kReshape11 = {
    .struct_size = sizeof(keel_reshape_attrs_t), .shape = kShape11, .shape_count = 2};
const keel_reshape_attrs_t kReshapeScalar = {
    .struct_size = sizeof(keel_reshape_attrs_t), .shape = nullptr, .shape_count = 0};
const keel_permute_attrs_t kPermute201 = {
    .struct_size = sizeof(keel_permute_attrs_t), .perm = kPerm201, .perm_count = 3};
const keel_permute_attrs_t kPermuteM101 = {
    .struct_size = sizeof(keel_permute_attrs_t), .perm = kPermM101, .perm_count = 3};
const keel_permute_attrs_t kPermuteEmpty = {
    .struct_size = sizeof(keel_permute_attrs_t), .perm = nullptr, .perm_count = 0};
const keel_concat_attrs_t kConcat1 = {.struct_size = sizeof(keel_concat_attrs_t), .axis = 1};
const keel_concat_attrs_t kConcatM1 = {.struct_size = sizeof(keel_concat_attrs_t), .axis = -1};
const keel_slice_attrs_t kSlice2To8 = {
    .struct_size = sizeof(keel_slice_attrs_t), .starts = kStart2, .starts_count = 1, .ends = kEnd8, .ends_count = 1};
const keel_slice_attrs_t kSliceReversed = {.struct_size = sizeof(keel_slice_attrs_t),
                                           .starts = kStartMax,
                                           .starts_count = 1,
                                           .ends = kEndMin,
                                           .ends_count = 1,
                                           .axes = nullptr,
                                           .axes_count = 0,
                                           .steps = kStepM1,
                                           .steps_count = 1};
const keel_slice_attrs_t kSliceTwoAxes = {.struct_size = sizeof(keel_slice_attrs_t),
                                          .starts = kStarts01,
                                          .starts_count = 2,
                                          .ends = kEnds2Max,
                                          .ends_count = 2};
const keel_slice_attrs_t kSliceAxis1Step2 = {.struct_size = sizeof(keel_slice_attrs_t),
                                             .starts = kZero,
                                             .starts_count = 1,
                                             .ends = kEndMin,
                                             .ends_count = 1,
                                             .axes = kAxes1,
                                             .axes_count = 1,
                                             .steps = kStep2,
                                             .steps_count = 1};
const keel_softmax_attrs_t kSoftmax0 = {.struct_size = sizeof(keel_softmax_attrs_t), .axis = 0};

const std::vector<ValidCase>& valid_cases() {
  static const std::vector<ValidCase> cases = {
      // Activations and unary math: same shape and dtype, 0-D and 0-size included.
      {"sigmoid", nullptr, {"f32[2,3]"}, {"f32[2,3]"}},
      {"sigmoid", nullptr, {"f64[]"}, {"f64[]"}},
      {"relu", nullptr, {"i32[0,4]"}, {"i32[0,4]"}},
      {"neg", nullptr, {"i32[5]"}, {"i32[5]"}},
      {"abs", nullptr, {"f32[]"}, {"f32[]"}},
      {"sign", nullptr, {"i64[2,2]"}, {"i64[2,2]"}},
      {"exp", nullptr, {"f16[3]"}, {"f16[3]"}},
      {"log", nullptr, {"f64[1,1,1]"}, {"f64[1,1,1]"}},
      {"sqrt", nullptr, {"f32[0]"}, {"f32[0]"}},
      {"tanh", nullptr, {"bf16[4]"}, {"bf16[4]"}},
      // Cast: the dtype comes from `to` (default f32).
      {"cast", &kToI32, {"f32[2,3]"}, {"i32[2,3]"}},
      {"cast", nullptr, {"bool[4]"}, {"f32[4]"}},
      // Comparisons broadcast to a bool output.
      {"equal", nullptr, {"f32[2,1]", "f32[3]"}, {"bool[2,3]"}},
      {"not_equal", nullptr, {"bool[4]", "bool[]"}, {"bool[4]"}},
      {"less", nullptr, {"i32[0,3]", "i32[1]"}, {"bool[0,3]"}},
      {"less_equal", nullptr, {"f64[5,1,2]", "f64[3,1]"}, {"bool[5,3,2]"}},
      {"greater", nullptr, {"i64[]", "i64[]"}, {"bool[]"}},
      {"greater_equal", nullptr, {"f16[1,0]", "f16[4,1]"}, {"bool[4,0]"}},
      // Creation.
      {"full", &kFull23, {}, {"i32[2,3]"}},
      {"full", nullptr, {}, {"f32[]"}},
      {"full", &kFull0, {}, {"f32[0]"}},
      {"arange", &kArange5, {}, {"f32[5]"}},
      {"arange", &kArangeFraction, {}, {"f64[4]"}},  // 0, 0.3, 0.6, 0.9
      {"arange", &kArangeDown, {}, {"i64[3]"}},      // 5, 3, 1
      {"arange", &kArangeEmpty, {}, {"i32[0]"}},
      {"arange", &kArangeSame, {}, {"f32[0]"}},
      // Binary arithmetic with broadcasting, 0-size and 0-D.
      {"add", nullptr, {"f32[2,3]", "f32[3]"}, {"f32[2,3]"}},
      {"sub", nullptr, {"i32[4,1]", "i32[1,5]"}, {"i32[4,5]"}},
      {"mul", nullptr, {"f64[]", "f64[2,2]"}, {"f64[2,2]"}},
      {"div", &kDivFloor, {"i32[3]", "i32[3]"}, {"i32[3]"}},
      {"div", &kDivTrunc, {"i64[2,1]", "i64[]"}, {"i64[2,1]"}},
      {"div", nullptr, {"f32[2]", "f32[]"}, {"f32[2]"}},
      {"pow", nullptr, {"f32[0]", "f32[1]"}, {"f32[0]"}},
      {"maximum", nullptr, {"i64[2,0,3]", "i64[1,1]"}, {"i64[2,0,3]"}},
      {"minimum", nullptr, {"bf16[3,1,4]", "bf16[2,1]"}, {"bf16[3,2,4]"}},
      // matmul: 1-D operands drop their dimension; batch dimensions broadcast.
      {"matmul", nullptr, {"f32[3]", "f32[3]"}, {"f32[]"}},
      {"matmul", nullptr, {"f32[2,3]", "f32[3]"}, {"f32[2]"}},
      {"matmul", nullptr, {"f32[3]", "f32[3,4]"}, {"f32[4]"}},
      {"matmul", nullptr, {"f32[2,3]", "f32[3,4]"}, {"f32[2,4]"}},
      {"matmul", nullptr, {"f64[5,2,3]", "f64[3,4]"}, {"f64[5,2,4]"}},
      {"matmul", nullptr, {"f32[2,1,2,3]", "f32[4,3,5]"}, {"f32[2,4,2,5]"}},
      {"matmul", nullptr, {"f32[0,3]", "f32[3,2]"}, {"f32[0,2]"}},
      {"matmul", nullptr, {"f32[2,0]", "f32[0,3]"}, {"f32[2,3]"}},
      {"matmul", nullptr, {"f32[1,2,3]", "f32[3]"}, {"f32[1,2]"}},
      {"matmul", nullptr, {"f16[3]", "f16[2,3,4]"}, {"f16[2,4]"}},
      // Reductions: default axes reduce everything; negative axes; keepdims.
      {"reduce_sum", nullptr, {"f32[2,3]"}, {"f32[]"}},
      {"reduce_sum", &kSumLastKeep, {"f32[2,3]"}, {"f32[2,1]"}},
      {"reduce_sum", &kSumFirstAndLast, {"i32[2,3,4]"}, {"i32[3]"}},
      {"reduce_sum", nullptr, {"i64[]"}, {"i64[]"}},
      {"reduce_sum", &kSumAllKeep, {"f32[2,3]"}, {"f32[1,1]"}},
      {"reduce_sum", &kSumFirst, {"f32[0,3]"}, {"f32[3]"}},
      {"reduce_mean", &kMeanSecond, {"f64[4,5]"}, {"f64[4]"}},
      {"reduce_mean", nullptr, {"f32[0]"}, {"f32[]"}},
      {"reduce_max", &kMaxMinus2Keep, {"i32[2,3]"}, {"i32[1,3]"}},
      {"reduce_max", &kMaxSecond, {"f32[0,3]"}, {"f32[0]"}},
      // Selection broadcasts all three inputs.
      {"where", nullptr, {"bool[2,1]", "f32[3]", "f32[]"}, {"f32[2,3]"}},
      {"where", nullptr, {"bool[]", "i64[4]", "i64[4]"}, {"i64[4]"}},
      // Shape and layout.
      {"reshape", &kReshape3M1, {"f32[2,3]"}, {"f32[3,2]"}},
      {"reshape", &kReshape6, {"i32[2,3]"}, {"i32[6]"}},
      {"reshape", &kReshape30, {"f32[0,3]"}, {"f32[3,0]"}},
      {"reshape", &kReshapeM13, {"f32[0,3]"}, {"f32[0,3]"}},
      {"reshape", &kReshape11, {"bool[]"}, {"bool[1,1]"}},
      {"reshape", &kReshapeScalar, {"f32[1,1]"}, {"f32[]"}},
      {"permute", &kPermute201, {"f32[2,3,4]"}, {"f32[4,2,3]"}},
      {"permute", &kPermuteM101, {"f32[2,3,4]"}, {"f32[4,2,3]"}},
      {"permute", &kPermuteEmpty, {"f64[]"}, {"f64[]"}},
      {"concat", &kConcat1, {"f32[2,3]", "f32[2,0]", "f32[2,5]"}, {"f32[2,8]"}},
      {"concat", &kConcatM1, {"f32[2,3]", "f32[2,0]", "f32[2,5]"}, {"f32[2,8]"}},
      {"concat", nullptr, {"i32[4]"}, {"i32[4]"}},
      {"concat", nullptr, {"bool[0,2]", "bool[3,2]"}, {"bool[3,2]"}},
      {"slice", &kSlice2To8, {"f32[10]"}, {"f32[6]"}},
      {"slice", &kSliceReversed, {"f32[10,2]"}, {"f32[10,2]"}},
      {"slice", &kSliceTwoAxes, {"i32[4,5,6]"}, {"i32[2,4,6]"}},
      {"slice", &kSliceAxis1Step2, {"f32[3,5]"}, {"f32[3,0]"}},  // end INT64_MIN with step 2: empty
      {"softmax", nullptr, {"f32[2,3]"}, {"f32[2,3]"}},
      {"softmax", &kSoftmax0, {"f64[4]"}, {"f64[4]"}},
  };
  return cases;
}

TEST(ValidCalls, PassCheckAndInferTheExpectedOutputs) {
  for (const ValidCase& c : valid_cases()) {
    std::vector<TensorMeta> inputs;
    std::string call = std::string(c.op) + "(";
    for (const char* in : c.inputs) {
      inputs.push_back(meta(in));
      call += std::string(in) + " ";
    }
    SCOPED_TRACE(call + ")");
    EXPECT_EQ(testing::infer_call(testing::op(c.op), c.attrs, inputs), c.outputs);
  }
}

// Every shape rule and count rule the table uses has hand-checked cases, and so does every operator whose
// outputs are not simply shaped like an input or the broadcast of the inputs (those are covered by the
// samples' check of every instance).
TEST(ValidCalls, CoverEveryShapeRule) {
  std::set<std::string> covered;
  for (const ValidCase& c : valid_cases()) covered.insert(c.op);
  for (const auto& cases : {testing::nn_cases(), testing::index_cases()}) {
    for (const testing::ShapeCase& c : cases) covered.insert(c.op);
  }
  std::set<ShapeRuleFn> rules_covered;
  std::set<CountRuleFn> counts_covered;
  for (const OpSchema& op : all_ops()) {
    if (!covered.count(op.name)) continue;
    for (size_t i = 0; i < op.output_count; ++i) {
      rules_covered.insert(op.output_rules[i].rule);
      if (op.output_rules[i].count) counts_covered.insert(op.output_rules[i].count);
    }
  }
  for (const OpSchema& op : all_ops()) {
    for (size_t i = 0; i < op.output_count; ++i) {
      const OutputRule& rule = op.output_rules[i];
      EXPECT_TRUE(rules_covered.count(rule.rule)) << op.name << ": shape rule " << rule.text << " has no case";
      if (rule.count) {
        EXPECT_TRUE(counts_covered.count(rule.count)) << op.name << ": " << rule.count_text;
      }
      bool generic = rule.rule == shape_rules::same || rule.rule == shape_rules::broadcast;
      EXPECT_TRUE(generic || covered.count(op.name)) << op.name << " (" << rule.text << ") has no hand-checked case";
    }
  }
}

TEST(ValidCalls, VariadicConcatTakesManyInputs) {
  std::vector<TensorMeta> inputs(100, meta("f32[1,2]"));
  EXPECT_EQ(testing::infer_call(testing::op("concat"), nullptr, inputs), std::vector<std::string>{"f32[100,2]"});
}

TEST(ValidCalls, BoundDtypeOfThePrimaryTypeVariable) {
  const OpSchema& full = testing::op("full");
  AttrsBuffer attrs;
  ASSERT_TRUE(normalize_attrs(full, &kFull23, attrs.bytes, nullptr));
  EXPECT_EQ(bound_dtype(full, attrs.bytes, {}, 0), KEEL_DTYPE_I32);  // from the dtype attribute
  const OpSchema& where = testing::op("where");
  TensorMeta inputs[] = {meta("bool[2]"), meta("f16[2]"), meta("f16[2]")};
  EXPECT_EQ(bound_dtype(where, nullptr, inputs, 0), KEEL_DTYPE_F16);  // from the first input bound to T
}

}  // namespace
}  // namespace keel::spec
