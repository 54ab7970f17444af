// The graph passes: each one's structural effect on small graphs (what goes, what stays, what is merged or
// fused), and that it changes no result: the optimized graph runs on the reference device and gives the bits
// the original graph gives, which the executor tests check against host formulas in double precision.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "graph/exec/executor.h"
#include "graph/passes/common_subexpr.h"
#include "graph/passes/constant_fold.h"
#include "graph/passes/dead_code.h"
#include "graph/passes/fuse_elementwise.h"
#include "graph/passes/pipeline.h"
#include "graph/validate/validator.h"
#include "graph_test_util.h"

namespace keel::graph {
namespace {

using testing::make_mlp;

Runtime make_runtime() {
  RuntimeOptions options;
  options.plugin_paths = {KEEL_BUILD_PLUGIN_DIR};
  options.use_env_path = false;
  options.use_manifests = false;
  return Runtime::create(options);
}

HostTensor filled(std::vector<int64_t> shape, double phase) {
  HostTensor t(KEEL_DTYPE_F32, std::move(shape));
  for (int64_t i = 0; i < t.numel(); ++i) t.set(i, std::sin(1.3 * static_cast<double>(i) + phase) * 2.0);
  return t;
}

std::vector<HostTensor> run(const Runtime& runtime, const Graph& graph, const std::vector<HostTensor>& inputs) {
  ExecutorOptions options;
  options.device = "reference:0";
  options.log = [](const std::string&) {};
  Executor executor(runtime, graph, options);
  return executor.run(inputs);
}

void expect_same_results(const Runtime& runtime, const Graph& before, const Graph& after,
                         const std::vector<HostTensor>& inputs) {
  const std::vector<HostTensor> expected = run(runtime, before, inputs);
  const std::vector<HostTensor> got = run(runtime, after, inputs);
  ASSERT_EQ(expected.size(), got.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_TRUE(got[i].same_bits(expected[i])) << "output " << i << " changed:\n" << format_graph(after);
  }
}

size_t count_op(const Graph& graph, std::string_view op) {
  size_t n = 0;
  for (const Node& node : graph.nodes) n += node.op == op ? 1 : 0;
  return n;
}

ValueId out(const Graph& g, NodeId node) { return g.nodes[static_cast<size_t>(node)].outputs[0]; }

TEST(DeadCode, RemovesWhatNoOutputNeedsAndKeepsTheRest) {
  Graph g = make_mlp();
  const ValueId x = g.inputs[0];
  // An unused branch reading x and an unused constant.
  const NodeId dead1 = g.add_op("exp", {x}, {}, 1, "dead_exp");
  g.add_op("neg", {out(g, dead1)}, {}, 1, "dead_neg");
  HostTensor unused(KEEL_DTYPE_F32, {1000});
  g.add_constant("unused", std::move(unused));
  validate(g);
  const Graph original = g;
  const PassResult result = eliminate_dead_code(g);
  validate(g);
  EXPECT_EQ(g.nodes.size(), 3u) << format_graph(g);
  EXPECT_EQ(count_op(g, "exp") + count_op(g, "neg"), 0u);
  EXPECT_EQ(g.find_value("unused"), kNoValue);
  EXPECT_NE(g.find_value("w"), kNoValue);
  EXPECT_EQ(result.changes, 2u + 3u) << result.summary;  // 2 nodes; their 2 outputs and the constant
  const Runtime runtime = make_runtime();
  expect_same_results(runtime, original, g, {filled({2, 3}, 0.1)});
}

TEST(CommonSubexpressions, MergesRepeatedCallsAndConstants) {
  Graph g;
  g.name = "cse";
  const ValueId x = g.add_value("x", ValueType::of(KEEL_DTYPE_F32, std::vector<int64_t>{4, 5}));
  const ValueId c1 = g.add_constant("c1", filled({5}, 0.7));
  const ValueId c2 = g.add_constant("c2", filled({5}, 0.7));  // the same bits as c1
  const NodeId a1 = g.add_op("add", {x, c1}, {}, 1, "a1");
  const NodeId a2 = g.add_op("add", {x, c2}, {}, 1, "a2");  // the same call once c2 is c1
  const NodeId e1 = g.add_op("exp", {out(g, a1)}, {}, 1, "e1");
  const NodeId e2 = g.add_op("exp", {out(g, a2)}, {}, 1, "e2");
  const NodeId sum = g.add_op("mul", {out(g, e1), out(g, e2)}, {}, 1, "product");
  g.inputs = {x};
  g.outputs = {out(g, sum)};
  validate(g);
  const Graph original = g;
  const PassResult result = eliminate_common_subexpressions(g);
  validate(g);
  EXPECT_EQ(count_op(g, "add"), 1u) << format_graph(g);
  EXPECT_EQ(count_op(g, "exp"), 1u);
  EXPECT_EQ(result.changes, 3u) << result.summary;  // c2, a2, e2
  const Node& product = g.nodes.back();
  EXPECT_EQ(product.inputs[0], product.inputs[1]);
  const Runtime runtime = make_runtime();
  expect_same_results(runtime, original, g, {filled({4, 5}, 0.2)});
}

TEST(CommonSubexpressions, DifferentAttributesOrOutputsAreNotMerged) {
  Graph g;
  g.name = "cse-distinct";
  const ValueId x = g.add_value("x", ValueType::of(KEEL_DTYPE_F32, std::vector<int64_t>{3}));
  const NodeId l1 = g.add_op("leaky_relu", {x}, {{"alpha", AttrValue::of_float(0.1)}}, 1, "l1");
  const NodeId l2 = g.add_op("leaky_relu", {x}, {{"alpha", AttrValue::of_float(0.2)}}, 1, "l2");
  // Two identical calls whose results are both graph outputs: each output keeps its own producer and name.
  const NodeId n1 = g.add_op("neg", {x}, {}, 1, "n1");
  const NodeId n2 = g.add_op("neg", {x}, {}, 1, "n2");
  g.inputs = {x};
  g.outputs = {out(g, l1), out(g, l2), out(g, n1), out(g, n2)};
  validate(g);
  const PassResult result = eliminate_common_subexpressions(g);
  EXPECT_EQ(result.changes, 0u) << format_graph(g);
  EXPECT_EQ(g.nodes.size(), 4u);
}

// w2 = exp(w) * 0.5 is computed from constants only; y = x @ w2 reads the graph input.
Graph constant_subgraph() {
  Graph g;
  g.name = "fold";
  const ValueId x = g.add_value("x", ValueType::of(KEEL_DTYPE_F32, std::vector<int64_t>{2, 3}));
  const ValueId w = g.add_constant("w", filled({3, 4}, 0.3));
  const ValueId half = g.add_constant("half", filled({1}, 0.0));
  const NodeId e = g.add_op("exp", {w}, {}, 1, "exp_w");
  const NodeId m = g.add_op("mul", {out(g, e), half}, {}, 1, "scaled_w");
  const NodeId y = g.add_op("matmul", {x, out(g, m)}, {}, 1, "y");
  g.inputs = {x};
  g.outputs = {out(g, y)};
  validate(g);
  return g;
}

TEST(ConstantFolding, ComputesConstantChainsOnceAndKeepsResults) {
  const Runtime runtime = make_runtime();
  Graph g = constant_subgraph();
  const Graph original = g;
  const PassResult result = fold_constants(g, runtime, {.device = "reference:0"});
  validate(g);
  EXPECT_EQ(result.changes, 2u) << result.summary;
  ASSERT_EQ(g.nodes.size(), 1u) << format_graph(g);
  EXPECT_EQ(g.nodes[0].op, "matmul");
  const Value& folded = g.value(g.nodes[0].inputs[1]);
  ASSERT_TRUE(folded.is_constant());
  // The folded constant against the formula evaluated on the host from the f32 inputs.
  const HostTensor w = filled({3, 4}, 0.3);
  const double half = filled({1}, 0.0).get(0);
  for (int64_t i = 0; i < w.numel(); ++i) {
    EXPECT_NEAR(folded.constant->get(i), std::exp(w.get(i)) * half, 1e-6 * std::exp(std::fabs(w.get(i)))) << i;
  }
  expect_same_results(runtime, original, g, {filled({2, 3}, 1.0)});
}

TEST(ConstantFolding, LeavesNodesWhoseOutputsExceedTheLimit) {
  const Runtime runtime = make_runtime();
  Graph g = constant_subgraph();
  const PassResult result = fold_constants(g, runtime, {.device = "reference:0", .max_output_bytes = 8});
  EXPECT_EQ(result.changes, 0u);
  EXPECT_EQ(g.nodes.size(), 3u);
  EXPECT_NE(result.summary.find("over the size limit"), std::string::npos) << result.summary;
}

// An 8-call elementwise chain over x and y, every result read once.
Graph elementwise_chain(int64_t rows, int64_t cols) {
  Graph g;
  g.name = "chain";
  const std::vector<int64_t> shape = {rows, cols};
  const ValueId x = g.add_value("x", ValueType::of(KEEL_DTYPE_F32, shape));
  const ValueId y = g.add_value("y", ValueType::of(KEEL_DTYPE_F32, shape));
  ValueId v = out(g, g.add_op("add", {x, y}, {}, 1, "s0"));
  v = out(g, g.add_op("mul", {v, x}, {}, 1, "s1"));
  v = out(g, g.add_op("tanh", {v}, {}, 1, "s2"));
  v = out(g, g.add_op("sub", {v, y}, {}, 1, "s3"));
  v = out(g, g.add_op("abs", {v}, {}, 1, "s4"));
  v = out(g, g.add_op("sqrt", {v}, {}, 1, "s5"));
  v = out(g, g.add_op("neg", {v}, {}, 1, "s6"));
  v = out(g, g.add_op("relu", {v}, {}, 1, "s7"));
  g.inputs = {x, y};
  g.outputs = {v};
  validate(g);
  return g;
}

TEST(FuseElementwise, AChainBecomesOneFusedNodeWithTheSameBits) {
  Graph g = elementwise_chain(37, 129);
  const Graph original = g;
  const PassResult result = fuse_elementwise_chains(g);
  validate(g);
  ASSERT_EQ(g.nodes.size(), 1u) << format_graph(g);
  const Node& fused = g.nodes[0];
  EXPECT_TRUE(fused.is_fused());
  EXPECT_EQ(fused.body.size(), 8u);
  EXPECT_EQ(fused.inputs.size(), 2u);  // x and y, each read once by the fused node
  EXPECT_EQ(fused.outputs[0], g.outputs[0]);
  EXPECT_EQ(result.changes, 1u) << result.summary;
  const Runtime runtime = make_runtime();
  expect_same_results(runtime, original, g, {filled({37, 129}, 0.1), filled({37, 129}, 2.1)});
}

TEST(FuseElementwise, StopsAtSharedResultsGraphOutputsAndOtherOperators) {
  Graph g;
  g.name = "boundaries";
  const ValueId x = g.add_value("x", ValueType::of(KEEL_DTYPE_F32, std::vector<int64_t>{4, 4}));
  const ValueId e = out(g, g.add_op("exp", {x}, {}, 1, "e"));
  const ValueId shared_a = out(g, g.add_op("neg", {e}, {}, 1, "a"));   // chain e -> a
  const ValueId b = out(g, g.add_op("abs", {shared_a}, {}, 1, "b"));   // a is read twice: the chain ends at a
  const ValueId c = out(g, g.add_op("sqrt", {shared_a}, {}, 1, "c"));
  const ValueId m = out(g, g.add_op("matmul", {b, c}, {}, 1, "m"));    // not elementwise
  const ValueId r = out(g, g.add_op("relu", {m}, {}, 1, "r"));          // a graph output: nothing follows it
  const ValueId t = out(g, g.add_op("tanh", {r}, {}, 1, "t"));
  g.inputs = {x};
  g.outputs = {r, t};
  validate(g);
  const Graph original = g;
  fuse_elementwise_chains(g);
  validate(g);
  EXPECT_EQ(count_op(g, kFusedOp), 1u) << format_graph(g);  // only exp -> neg
  EXPECT_EQ(count_op(g, "relu"), 1u);
  EXPECT_EQ(count_op(g, "tanh"), 1u);
  EXPECT_EQ(count_op(g, "matmul"), 1u);
  const Runtime runtime = make_runtime();
  expect_same_results(runtime, original, g, {filled({4, 4}, 0.5)});
}

TEST(PassPipeline, RunsEveryPassInOrderAndReportsEach) {
  const Runtime runtime = make_runtime();
  Graph g = constant_subgraph();
  // A dead node and a chain after the matmul.
  const ValueId y = g.outputs[0];
  g.add_op("exp", {y}, {}, 1, "dead");
  const ValueId r = out(g, g.add_op("relu", {y}, {}, 1, "r"));
  const ValueId n = out(g, g.add_op("neg", {r}, {}, 1, "n"));
  g.outputs = {n};
  validate(g);
  const Graph original = g;
  std::vector<std::string> seen;
  PipelineOptions options;
  options.runtime = &runtime;
  options.fold.device = "reference:0";
  const std::vector<PassResult> results =
      optimize(g, options, [&](const PassResult& result, const Graph& graph) { seen.push_back(result.pass + ":" + std::to_string(graph.nodes.size())); });
  EXPECT_EQ(seen, (std::vector<std::string>{"constant-folding:4", "common-subexpressions:4", "dead-code:3",
                                            "fuse-elementwise:2"}));
  ASSERT_EQ(results.size(), 4u);
  expect_same_results(runtime, original, g, {filled({2, 3}, -0.4)});
}

}  // namespace
}  // namespace keel::graph
