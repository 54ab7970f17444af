// Round trips of the serialized graph forms: graph -> JSON / binary -> graph gives the same graph, for a small
// MLP and for a graph that uses every attribute kind, symbolic and unknown dimensions, a fused node and a
// device hint. Also checks that the writers are deterministic and that files pick their format.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "graph/serialize/graph_file.h"
#include "graph_test_util.h"

namespace keel::graph {
namespace {

using testing::graphs_equal;
using testing::make_mlp;

// A graph touching every serialized feature. It passes validate_structure() (what loading runs) but has
// types the spec would not infer, which is fine: loading does no inference.
Graph make_everything() {
  Graph g;
  g.name = "everything";
  g.metadata = {{"producer", "tests"}, {"opset", "17"}, {"empty", ""}};
  ValueType sym;
  sym.dtype = KEEL_DTYPE_F32;
  sym.rank_known = true;
  sym.dims = {Dim::named("N"), Dim::of(3), Dim::unknown()};
  const ValueId x = g.add_value("x", sym);
  const ValueId any = g.add_value("any_rank", ValueType::unknown_shape(KEEL_DTYPE_F16));
  const ValueId untyped = g.add_value("untyped");
  const std::vector<int64_t> target{3, -1};
  const ValueId shape = g.add_constant("shape", HostTensor::from_ints(target));
  const std::vector<float> slope_values{0.5f, -0.25f, 2.0f};
  const ValueId slopes = g.add_constant(
      "slopes", HostTensor::from<float>(KEEL_DTYPE_F32, {3}, std::span<const float>(slope_values)));
  const ValueId half = g.add_constant("half", HostTensor::scalar(KEEL_DTYPE_F16, -2.5));

  g.add_op("cast", {x}, {{"to", AttrValue::of_dtype(KEEL_DTYPE_F64)}}, 1, "to_f64");
  g.add_op("gelu", {x}, {{"approximate", AttrValue::of_enum("tanh")}}, 1, "gelu");
  g.add_op("leaky_relu", {x}, {{"alpha", AttrValue::of_float(std::numeric_limits<double>::quiet_NaN())}}, 1, "nan");
  g.add_op("leaky_relu", {x}, {{"alpha", AttrValue::of_float(-std::numeric_limits<double>::infinity())}}, 1, "inf");
  g.add_op("isinf", {x}, {{"detect_negative", AttrValue::of_bool(false)}}, 1, "isinf");
  g.add_op("reshape", {x}, {{"shape", AttrValue::of_ref(shape)}}, 1, "bound");
  g.add_op("leaky_relu", {x}, {{"alpha", AttrValue::of_ref(slopes, 1)}}, 1, "bound_element");
  g.add_op("reshape", {x}, {{"shape", AttrValue::of_ints({-1, 1})}}, 1, "literal");
  g.add_op("resize", {x}, {{"scales", AttrValue::of_floats({1.0, 0.5, 2.25})}}, 1, "resize");
  const NodeId hinted = g.add_op("relu", {any}, {}, 1, "hinted");
  g.nodes[static_cast<size_t>(hinted)].device = "reference";

  // A fused node computing relu(in0 + in1) as f32.
  Node fused;
  fused.name = "fused";
  fused.op = std::string(kFusedOp);
  fused.inputs = {x, untyped};
  fused.outputs = {g.add_value("fused_out")};
  fused.body.push_back(FusedStep{"add", nullptr, {}, {0, 1}, KEEL_DTYPE_F32});
  fused.body.push_back(FusedStep{"relu", nullptr, {}, {step_ref(0)}, KEEL_DTYPE_F32});
  g.add_node(std::move(fused));

  g.inputs = {x, any, untyped};
  g.outputs = {g.nodes.back().outputs[0], g.nodes[static_cast<size_t>(hinted)].outputs[0], half};
  return g;
}

TEST(GraphSerialize, JsonRoundTripOfMlp) {
  const Graph g = make_mlp();
  const Graph back = from_json(to_json(g));
  EXPECT_TRUE(graphs_equal(g, back));
}

TEST(GraphSerialize, BinaryRoundTripOfMlp) {
  const Graph g = make_mlp();
  const std::vector<uint8_t> bytes = to_binary(g);
  ASSERT_GE(bytes.size(), sizeof(kGraphMagic));
  EXPECT_EQ(0, std::memcmp(bytes.data(), kGraphMagic, sizeof(kGraphMagic)));
  const Graph back = from_binary(bytes);
  EXPECT_TRUE(graphs_equal(g, back));
}

TEST(GraphSerialize, JsonRoundTripOfEveryFeature) {
  const Graph g = make_everything();
  const Graph back = from_json(to_json(g));
  EXPECT_TRUE(graphs_equal(g, back));
  // Spelled out because AttrValue equality is bitwise: NaN must come back as NaN, -inf as -inf.
  EXPECT_TRUE(std::isnan(back.nodes[2].attrs.at("alpha").f));
  EXPECT_EQ(-std::numeric_limits<double>::infinity(), back.nodes[3].attrs.at("alpha").f);
}

TEST(GraphSerialize, BinaryRoundTripOfEveryFeature) {
  const Graph g = make_everything();
  const Graph back = from_binary(to_binary(g));
  EXPECT_TRUE(graphs_equal(g, back));
}

TEST(GraphSerialize, JsonAndBinaryAgree) {
  // Through both forms in turn: JSON -> graph -> binary -> graph -> JSON gives the first JSON text.
  const Graph g = make_everything();
  const std::string json = to_json(g);
  const Graph via_binary = from_binary(to_binary(from_json(json)));
  EXPECT_EQ(json, to_json(via_binary));
}

TEST(GraphSerialize, JsonBindingKeysInAnyOrder) {
  // Tools that sort object keys write "element" before "value"; the binding must load the same.
  const Graph g = make_everything();
  std::string json = to_json(g, -1);
  const std::string written = R"({"value":"slopes","element":1})";
  ASSERT_NE(std::string::npos, json.find(written)) << json;
  json.replace(json.find(written), written.size(), R"({"element":1,"value":"slopes"})");
  EXPECT_TRUE(graphs_equal(g, from_json(json)));
}

TEST(GraphSerialize, WritersAreDeterministic) {
  const Graph g = make_everything();
  EXPECT_EQ(to_binary(g), to_binary(from_binary(to_binary(g))));
  EXPECT_EQ(to_json(g, 0), to_json(from_json(to_json(g, 0)), 0));
}

TEST(GraphSerialize, LoadedGraphKeepsProducers) {
  // Loading rebuilds Value::producer, which passes and the executor rely on.
  const Graph back = from_binary(to_binary(make_mlp()));
  const ValueId out = back.outputs.at(0);
  ASSERT_NE(kNoNode, back.value(out).producer);
  EXPECT_EQ("act", back.nodes[static_cast<size_t>(back.value(out).producer)].name);
  EXPECT_EQ(kNoNode, back.value(back.find_value("w")).producer);
}

TEST(GraphSerialize, FilesPickTheirFormat) {
  const Graph g = make_mlp();
  const std::string base = ::testing::TempDir() + "keel_graph_serialize_" + std::to_string(::getpid());
  const std::string json_path = base + ".json";
  const std::string bin_path = base + ".keelg";
  save_graph(g, json_path);
  save_graph(g, bin_path);
  const std::vector<uint8_t> json_bytes = read_file_bytes(json_path);
  const std::vector<uint8_t> bin_bytes = read_file_bytes(bin_path);
  ASSERT_FALSE(json_bytes.empty());
  EXPECT_EQ('{', json_bytes[0]);
  EXPECT_EQ(to_binary(g), bin_bytes);
  EXPECT_TRUE(graphs_equal(g, load_graph(json_path)));
  EXPECT_TRUE(graphs_equal(g, load_graph(bin_path)));
  EXPECT_TRUE(graphs_equal(g, load_graph_bytes(bin_bytes)));
  std::remove(json_path.c_str());
  std::remove(bin_path.c_str());
}

TEST(GraphSerialize, MissingFileAndSizeLimit) {
  const std::string path = ::testing::TempDir() + "keel_graph_no_such_file_" + std::to_string(::getpid());
  EXPECT_TRUE(testing::throws_error([&] { load_graph(path); }, KEEL_STATUS_NOT_FOUND, {path}));
  const std::string small = path + ".keelg";
  save_graph(make_mlp(), small);
  EXPECT_TRUE(testing::throws_error([&] { read_file_bytes(small, 16); }, KEEL_STATUS_INVALID_ARGUMENT,
                                    {"above the limit of 16"}));
  std::remove(small.c_str());
}

}  // namespace
}  // namespace keel::graph
