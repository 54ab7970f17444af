// The validator: it infers static types through the spec, and a violation names the graph, the offending
// node and the broken rule. Each failing case breaks one node of an otherwise valid graph, so the test
// also checks that the right node is blamed.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "graph/validate/validator.h"
#include "graph_test_util.h"

namespace keel::graph {
namespace {

using testing::make_mlp;
using testing::throws_error;

ValueType f32(std::vector<int64_t> shape) { return ValueType::of(KEEL_DTYPE_F32, shape); }

TEST(GraphValidator, InfersEveryStaticType) {
  Graph g = make_mlp();
  const ValidateReport report = validate(g);
  EXPECT_EQ(3u, report.nodes);
  EXPECT_EQ(3u, report.inferred);
  EXPECT_EQ(0u, report.dynamic);
  EXPECT_EQ(f32({2, 4}), g.value(g.find_value("mm")).type);
  EXPECT_EQ(f32({2, 4}), g.value(g.find_value("bias")).type);
  EXPECT_EQ(f32({2, 4}), g.value(g.find_value("act")).type);
}

TEST(GraphValidator, SortsNodesTopologically) {
  Graph g = make_mlp();
  std::swap(g.nodes[0], g.nodes[2]);  // act, bias, mm
  validate(g);
  ASSERT_EQ(3u, g.nodes.size());
  EXPECT_EQ("mm", g.nodes[0].name);
  EXPECT_EQ("bias", g.nodes[1].name);
  EXPECT_EQ("act", g.nodes[2].name);
  EXPECT_EQ(2, g.value(g.find_value("act")).producer);
}

TEST(GraphValidator, BadShapeNamesNodeAndConstraint) {
  Graph g = make_mlp();
  // w becomes f32[5,4]: x f32[2,3] @ w no longer contracts (matmul's C3).
  g.value(g.find_value("w")).constant = std::make_shared<const HostTensor>(KEEL_DTYPE_F32, std::vector<int64_t>{5, 4});
  g.value(g.find_value("w")).type = f32({5, 4});
  EXPECT_TRUE(throws_error([&] { validate(g); }, KEEL_STATUS_INVALID_ARGUMENT,
                           {"graph 'mlp'", "node 'mm' (matmul)", "C3"}));
}

TEST(GraphValidator, BadBroadcastNamesTheLaterNode) {
  Graph g = make_mlp();
  // b becomes f32[3]: matmul still infers f32[2,4], then add cannot broadcast [2,4] with [3] (add's C1).
  const ValueId b = g.find_value("b");
  g.value(b).constant = std::make_shared<const HostTensor>(KEEL_DTYPE_F32, std::vector<int64_t>{3});
  g.value(b).type = f32({3});
  EXPECT_TRUE(throws_error([&] { validate(g); }, KEEL_STATUS_INVALID_ARGUMENT,
                           {"graph 'mlp'", "node 'bias' (add)", "C1"}));
}

TEST(GraphValidator, DtypeMismatchNamesNode) {
  Graph g = make_mlp();
  // b becomes i32[4]: add's inputs share the type variable T, so f32 + i32 is rejected.
  const ValueId b = g.find_value("b");
  g.value(b).constant = std::make_shared<const HostTensor>(KEEL_DTYPE_I32, std::vector<int64_t>{4});
  g.value(b).type = ValueType::of(KEEL_DTYPE_I32, std::vector<int64_t>{4});
  EXPECT_TRUE(throws_error([&] { validate(g); }, KEEL_STATUS_INVALID_ARGUMENT,
                           {"graph 'mlp'", "node 'bias' (add)", "i32"}));
}

TEST(GraphValidator, DtypeOutsideTheOperatorsTypeSet) {
  Graph g;
  g.name = "g";
  const ValueId x = g.add_value("x", ValueType::of(KEEL_DTYPE_BOOL, std::vector<int64_t>{4}));
  g.add_op("matmul", {x, x}, {}, 1, "mm");
  g.inputs = {x};
  g.outputs = {g.nodes[0].outputs[0]};
  EXPECT_TRUE(throws_error([&] { validate(g); }, KEEL_STATUS_INVALID_ARGUMENT, {"graph 'g'", "node 'mm' (matmul)", "bool"}));
}

TEST(GraphValidator, ReshapeConstraintNamesNode) {
  Graph g;
  g.name = "g";
  const ValueId x = g.add_value("x", f32({2, 3}));
  g.add_op("reshape", {x}, {{"shape", AttrValue::of_ints({4, 2})}}, 1, "flatten");
  g.inputs = {x};
  g.outputs = {g.nodes[0].outputs[0]};
  EXPECT_TRUE(throws_error([&] { validate(g); }, KEEL_STATUS_INVALID_ARGUMENT,
                           {"graph 'g'", "node 'flatten' (reshape)", "C1"}));
}

TEST(GraphValidator, DeclaredTypeDisagreeingWithInference) {
  Graph g = make_mlp();
  g.value(g.find_value("act")).type = f32({8});
  EXPECT_TRUE(throws_error([&] { validate(g); }, KEEL_STATUS_INVALID_ARGUMENT,
                           {"node 'act' (relu)", "output 'act' is declared f32[8] but the spec infers f32[2,4]"}));
  // Importers whose declared types are only hints ask for the inferred ones instead.
  ValidateOptions trusting;
  trusting.trust_inference = true;
  validate(g, trusting);
  EXPECT_EQ(f32({2, 4}), g.value(g.find_value("act")).type);
}

TEST(GraphValidator, AttributeProblemsNameNode) {
  Graph g;
  g.name = "g";
  const ValueId x = g.add_value("x", f32({2, 3}));
  g.add_op("reshape", {x}, {{"shape", AttrValue::of_float(1.5)}}, 1, "r");
  g.inputs = {x};
  g.outputs = {g.nodes[0].outputs[0]};
  EXPECT_TRUE(throws_error([&] { validate(g); }, KEEL_STATUS_INVALID_ARGUMENT, {"node 'r' (reshape)", "'shape'"}));
  g.nodes[0].attrs = {{"shape", AttrValue::of_ints({6})}, {"colour", AttrValue::of_int(1)}};
  EXPECT_TRUE(throws_error([&] { validate(g); }, KEEL_STATUS_INVALID_ARGUMENT, {"node 'r' (reshape)", "'colour'"}));
  g.nodes[0].attrs.clear();  // shape is required
  EXPECT_TRUE(throws_error([&] { validate(g); }, KEEL_STATUS_INVALID_ARGUMENT, {"node 'r' (reshape)", "'shape'"}));
}

TEST(GraphValidator, BoundElementOutOfRange) {
  Graph g;
  g.name = "g";
  const ValueId x = g.add_value("x", f32({2, 3}));
  const ValueId slopes = g.add_constant("slopes", HostTensor(KEEL_DTYPE_F32, {3}));
  g.add_op("leaky_relu", {x}, {{"alpha", AttrValue::of_ref(slopes, 7)}}, 1, "leaky");
  g.inputs = {x};
  g.outputs = {g.nodes[0].outputs[0]};
  EXPECT_TRUE(throws_error([&] { validate(g); }, KEEL_STATUS_INVALID_ARGUMENT,
                           {"node 'leaky' (leaky_relu)", "attribute 'alpha': element 7 of a tensor with 3 elements"}));
}

TEST(GraphValidator, WrongInputCount) {
  Graph g = make_mlp();
  g.nodes[2].inputs.push_back(g.inputs[0]);
  EXPECT_TRUE(throws_error([&] { validate(g); }, KEEL_STATUS_INVALID_ARGUMENT,
                           {"node 'act' (relu)", "2 inputs, the operator takes 1"}));
}

TEST(GraphValidator, ValueBoundToComputedTensorIsLeftToTheExecutor) {
  // reshape's shape bound to a graph input: not known until run time, so the node is not inferred.
  Graph g;
  g.name = "g";
  const ValueId x = g.add_value("x", f32({2, 3}));
  const ValueId shape = g.add_value("shape", ValueType::of(KEEL_DTYPE_I64, std::vector<int64_t>{2}));
  g.add_op("reshape", {x}, {{"shape", AttrValue::of_ref(shape)}}, 1, "r");
  g.add_op("relu", {x}, {}, 1, "act");
  g.inputs = {x, shape};
  g.outputs = {g.nodes[0].outputs[0], g.nodes[1].outputs[0]};
  const ValidateReport report = validate(g);
  EXPECT_EQ(1u, report.inferred);
  EXPECT_EQ(1u, report.dynamic);
  EXPECT_FALSE(g.value(g.nodes[0].outputs[0]).type.is_static());
  // Bound to a constant instead, the same node is inferred.
  const std::vector<int64_t> target{3, 2};
  g.value(shape).constant = std::make_shared<const HostTensor>(HostTensor::from_ints(target));
  g.inputs = {x};
  const ValidateReport constant = validate(g);
  EXPECT_EQ(2u, constant.inferred);
  EXPECT_EQ(f32({3, 2}), g.value(g.nodes[0].outputs[0]).type);
}

}  // namespace
}  // namespace keel::graph
