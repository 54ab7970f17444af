// The gradient and decomposition formulas as emitted trees (OpSchema::gradient, ::decomposition): each tree
// prints back to its formula text, and every operator call, name and constant refers to what it says.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "spec/op_schema.h"
#include "spec_test_util.h"

namespace keel::spec {
namespace {

std::string strip_spaces(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != ' ' && c != '\n') out += c;
  }
  return out;
}

// The tree in the formula language (without spaces), so it can be compared with the spec's text.
std::string print(const ExprNode& e) {
  switch (e.kind) {
    case ExprKind::kName:
    case ExprKind::kNumber:
    case ExprKind::kBool: return e.text;
    case ExprKind::kList:
    case ExprKind::kOpCall:
    case ExprKind::kHelperCall: {
      bool list = e.kind == ExprKind::kList;
      std::string out = list ? "[" : std::string(e.text) + "(";
      for (uint32_t i = 0; i < e.arg_count; ++i) {
        if (i) out += ",";
        if (e.keys && e.keys[i][0]) out += std::string(e.keys[i]) + "=";
        out += print(e.args[i]);
      }
      return out + (list ? "]" : ")");
    }
  }
  return "?";
}

// What the trees of one formula set (an operator's gradient, or its decomposition) may refer to.
struct Scope {
  const OpSchema& op;
  const Formula* lets;
  size_t let_count;
};

const AttrSchema* attr_named(const OpSchema& op, std::string_view name) {
  for (size_t i = 0; i < op.attr_count; ++i) {
    if (op.attrs[i].name == name) return &op.attrs[i];
  }
  return nullptr;
}

void check_node(const ExprNode& e, const Scope& s, const AttrSchema* keyword_of, const std::string& where) {
  SCOPED_TRACE(where);
  const OpSchema& op = s.op;
  if (e.kind == ExprKind::kName) {
    ASSERT_GE(e.index, 0) << e.text;
    auto i = static_cast<size_t>(e.index);
    switch (e.name_kind) {
      case NameKind::kInput:
        ASSERT_LT(i, op.input_count);
        EXPECT_STREQ(e.text, op.inputs[i].name);
        break;
      case NameKind::kOutput:
        ASSERT_LT(i, op.output_count);
        EXPECT_STREQ(e.text, op.outputs[i].name);
        break;
      case NameKind::kAttr:
        ASSERT_LT(i, op.attr_count);
        EXPECT_STREQ(e.text, op.attrs[i].name);
        break;
      case NameKind::kLet:
        ASSERT_LT(i, s.let_count);
        EXPECT_STREQ(e.text, s.lets[i].name);
        break;
      case NameKind::kGrad:
        ASSERT_LT(i, op.output_count);
        EXPECT_TRUE(std::string(e.text) == "grad" ? i == 0 : e.text == "grad_" + std::string(op.outputs[i].name))
            << e.text;
        break;
      case NameKind::kTangent:
        ASSERT_LT(i, op.input_count);
        EXPECT_EQ(e.text, "d" + std::string(op.inputs[i].name));
        break;
      case NameKind::kEnumValue:
        // A constant: a value of the enum attribute being set, or is()'s second argument.
        if (keyword_of) {
          ASSERT_LT(i, keyword_of->enum_value_count);
          EXPECT_STREQ(e.text, keyword_of->enum_values[i]);
        }
        break;
      case NameKind::kDtype:
        ASSERT_LT(i, all_dtypes().size());
        EXPECT_STREQ(e.text, all_dtypes()[i].name);
        break;
      case NameKind::kNone: ADD_FAILURE() << "unresolved name " << e.text;
    }
    return;
  }
  EXPECT_EQ(e.name_kind, NameKind::kNone);
  const OpSchema* callee = nullptr;
  if (e.kind == ExprKind::kOpCall) {
    ASSERT_GE(e.index, 0);
    ASSERT_LT(static_cast<size_t>(e.index), all_ops().size());
    callee = &all_ops()[static_cast<size_t>(e.index)];
    EXPECT_STREQ(callee->name, e.text);
    size_t positional = 0;
    for (uint32_t i = 0; i < e.arg_count; ++i) positional += !(e.keys && e.keys[i][0]);
    size_t required = callee->input_count;
    while (required > 0 && callee->inputs[required - 1].optional) --required;
    EXPECT_GE(positional, required) << e.text;
    if (!callee->has_variadic_input()) {
      EXPECT_LE(positional, callee->input_count) << e.text;
    }
  }
  if (e.kind == ExprKind::kHelperCall) {
    EXPECT_EQ(e.keys, nullptr) << "helpers take no keywords";
  }
  const AttrSchema* enum_attr = nullptr;
  if (e.kind == ExprKind::kHelperCall && std::string_view(e.text) == "is") {
    EXPECT_EQ(e.args[0].name_kind, NameKind::kAttr);
    EXPECT_EQ(e.args[1].name_kind, NameKind::kEnumValue);
    enum_attr = attr_named(op, e.args[0].text);
  }
  for (uint32_t i = 0; i < e.arg_count; ++i) {
    const AttrSchema* keyword = enum_attr;
    if (callee && e.keys && e.keys[i][0]) {
      keyword = attr_named(*callee, e.keys[i]);
      EXPECT_NE(keyword, nullptr) << callee->name << " has no attribute " << e.keys[i];
    }
    check_node(e.args[i], s, keyword, where);
  }
}

void check_formulas(const Scope& s, const Formula* formulas, size_t count, const std::string& what) {
  for (size_t i = 0; i < count; ++i) {
    const Formula& f = formulas[i];
    std::string where = std::string(s.op.name) + " " + what + " " + f.name + ": " + f.formula;
    if (std::string_view(f.formula) == "none") {
      EXPECT_EQ(f.expr, nullptr) << where;
      continue;
    }
    ASSERT_NE(f.expr, nullptr) << where;
    EXPECT_EQ(print(*f.expr), strip_spaces(f.formula)) << where;
    check_node(*f.expr, s, nullptr, where);
  }
}

TEST(FormulaTrees, PrintBackToTheirTextAndResolve) {
  size_t trees = 0;
  for (const OpSchema& op : all_ops()) {
    const GradientSchema& g = op.gradient;
    Scope gradient{op, g.let, g.let_count};
    check_formulas(gradient, g.let, g.let_count, "let");
    check_formulas(gradient, g.vjp, g.vjp_count, "vjp");
    check_formulas(gradient, g.jvp, g.jvp_count, "jvp");
    const DecompositionSchema& d = op.decomposition;
    Scope decomposition{op, d.let, d.let_count};
    check_formulas(decomposition, d.let, d.let_count, "decomposition let");
    check_formulas(decomposition, d.outputs, d.output_count, "decomposition");
    trees += g.let_count + g.vjp_count + g.jvp_count + d.let_count + d.output_count;
  }
  EXPECT_GT(trees, 300u);
}

TEST(FormulaTrees, GradientsCoverEveryInputAndOutput) {
  for (const OpSchema& op : all_ops()) {
    if (!op.differentiable) {
      EXPECT_STRNE(op.gradient.none_reason, "") << op.name;
      continue;
    }
    ASSERT_EQ(op.gradient.vjp_count, op.input_count) << op.name;
    ASSERT_EQ(op.gradient.jvp_count, op.output_count) << op.name;
    for (size_t i = 0; i < op.input_count; ++i) EXPECT_STREQ(op.gradient.vjp[i].name, op.inputs[i].name);
    for (size_t i = 0; i < op.output_count; ++i) EXPECT_STREQ(op.gradient.jvp[i].name, op.outputs[i].name);
  }
}

TEST(FormulaTrees, DecompositionsDefineEveryOutputFromOtherOperators) {
  size_t composites = 0;
  for (const OpSchema& op : all_ops()) {
    if (!op.composite()) continue;
    ++composites;
    ASSERT_EQ(op.decomposition.output_count, op.output_count) << op.name;
    for (size_t i = 0; i < op.output_count; ++i) {
      EXPECT_STREQ(op.decomposition.outputs[i].name, op.outputs[i].name) << op.name;
    }
  }
  EXPECT_GE(composites, 25u);
  // Spot checks of the tree shape: not_equal = logical_not(equal(a, b)).
  const ExprNode& root = *testing::op("not_equal").decomposition.outputs[0].expr;
  EXPECT_EQ(root.kind, ExprKind::kOpCall);
  EXPECT_STREQ(root.text, "logical_not");
  ASSERT_EQ(root.arg_count, 1u);
  EXPECT_STREQ(root.args[0].text, "equal");
  EXPECT_EQ(root.args[0].args[1].name_kind, NameKind::kInput);
  EXPECT_EQ(root.args[0].args[1].index, 1);
  // The keyword of div(a, b, rounding=trunc) in fmod's vjp resolves to the enum value's index.
  const ExprNode& fmod_b = *testing::op("fmod").gradient.vjp[1].expr;  // sum_to(neg(mul(grad, div(...))), b)
  const ExprNode& div = fmod_b.args[0].args[0].args[1];
  EXPECT_STREQ(div.text, "div");
  ASSERT_EQ(div.arg_count, 3u);
  EXPECT_STREQ(div.keys[2], "rounding");
  EXPECT_EQ(div.args[2].name_kind, NameKind::kEnumValue);
  EXPECT_EQ(div.args[2].index, 1);  // none, trunc, floor
}

}  // namespace
}  // namespace keel::spec
