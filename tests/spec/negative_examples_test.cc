// Every negative example of the spec (and the derived C0 examples) fails check() with exactly its
// constraint and code; every constraint has one.
#include <gtest/gtest.h>

#include <string>

#include "spec/op_schema.h"
#include "spec/validate.h"
#include "spec_test_util.h"

namespace keel::spec {
namespace {

const ConstraintSchema* find_constraint(const OpSchema& op, std::string_view id) {
  for (size_t i = 0; i < op.constraint_count; ++i) {
    if (op.constraints[i].id == id) return &op.constraints[i];
  }
  return nullptr;
}

const NegativeExample* find_example(const OpSchema& op, std::string_view id) {
  for (size_t i = 0; i < op.negative_example_count; ++i) {
    if (op.negative_examples[i].constraint_id == id) return &op.negative_examples[i];
  }
  return nullptr;
}

// Whether a C0 violation can be built from the op's inputs: a type variable input that does not allow
// every dtype, two tensors of one type variable (a variadic input counts twice), or a fixed-dtype input.
bool c0_derivable(const OpSchema& op) {
  for (size_t i = 0; i < op.input_count; ++i) {
    const TensorSchema& in = op.inputs[i];
    if (in.type_var < 0) return true;
    if (op.type_vars[in.type_var].dtype_count < all_dtypes().size() || in.variadic) return true;
    for (size_t j = i + 1; j < op.input_count; ++j) {
      if (op.inputs[j].type_var == in.type_var) return true;
    }
  }
  return false;
}

TEST(NegativeExamples, EachViolatesExactlyItsConstraint) {
  size_t checked = 0;
  for (const OpSchema& op : all_ops()) {
    for (size_t i = 0; i < op.negative_example_count; ++i) {
      const NegativeExample& ex = op.negative_examples[i];
      SCOPED_TRACE(std::string(op.name) + " " + ex.constraint_id);
      const ConstraintSchema* c = find_constraint(op, ex.constraint_id);
      ASSERT_NE(c, nullptr);
      std::optional<Violation> v = testing::check_call(op, ex.attrs, {ex.inputs, ex.input_count});
      ASSERT_TRUE(v.has_value()) << "the example passes check()";
      EXPECT_NE(v->message.find(std::string("constraint ") + ex.constraint_id + " violated"), std::string::npos)
          << v->message;
      EXPECT_EQ(v->code, c->code) << v->message;
      ++checked;
    }
  }
  EXPECT_GT(checked, all_ops().size());
}

TEST(NegativeExamples, EveryConstraintHasOne) {
  for (const OpSchema& op : all_ops()) {
    ASSERT_GE(op.constraint_count, 1u) << op.name;
    EXPECT_STREQ(op.constraints[0].id, "C0") << op.name;
    EXPECT_EQ(op.constraints[0].predicate, nullptr) << op.name;
    for (size_t i = 1; i < op.constraint_count; ++i) {
      EXPECT_STREQ(op.constraints[i].id, ("C" + std::to_string(i)).c_str()) << op.name;
      EXPECT_NE(find_example(op, op.constraints[i].id), nullptr)
          << op.name << " " << op.constraints[i].id << " has no negative example";
    }
  }
}

TEST(NegativeExamples, C0ExampleWhenDerivable) {
  for (const OpSchema& op : all_ops()) {
    EXPECT_EQ(find_example(op, "C0") != nullptr, c0_derivable(op)) << op.name;
  }
  // Spot checks of the rule: a restricted type set, two inputs of one variable, a variadic input, a
  // no inputs.
  EXPECT_NE(find_example(testing::op("sqrt"), "C0"), nullptr);
  EXPECT_NE(find_example(testing::op("equal"), "C0"), nullptr);
  EXPECT_NE(find_example(testing::op("concat"), "C0"), nullptr);
  EXPECT_EQ(find_example(testing::op("full"), "C0"), nullptr);
}

}  // namespace
}  // namespace keel::spec
