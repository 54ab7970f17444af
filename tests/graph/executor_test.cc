// The executor on real plugins: y = relu(x @ w + b) on the reference device, compared with the same formula
// evaluated on the host in double precision; and placement fallback, with the dispatch fixture as a device
// that implements only "add" and so declines the other nodes, which must go to the reference device with
// the decline and every cross-device copy logged.
#include <gtest/gtest.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <string>
#include <vector>

#include "graph/exec/executor.h"
#include "graph_test_util.h"

namespace keel::graph {
namespace {

using testing::make_mlp;
using testing::throws_error;

constexpr const char* kFixturePlugin = KEEL_TEST_FIXTURE_DIR "/dispatch/libkeel_fixture_dispatch.so";
constexpr const char* kFixtureDevice = "fixture_dispatch:0";

Runtime make_runtime(bool with_fixture) {
  RuntimeOptions options;
  options.plugin_paths = {KEEL_BUILD_PLUGIN_DIR};
  if (with_fixture) options.plugin_paths.push_back(kFixturePlugin);
  options.use_env_path = false;
  options.use_manifests = false;
  return Runtime::create(options);
}

HostTensor make_input(double phase) {
  HostTensor x(KEEL_DTYPE_F32, {2, 3});
  for (int64_t i = 0; i < x.numel(); ++i) x.set(i, std::sin(1.7 * static_cast<double>(i) + phase) * 3.0);
  return x;
}

// relu(x @ w + add) in double from the f32 values, where `add` is b (f32[4], broadcast over rows) or a
// full f32[2,4]; checks `y` elementwise within a bound for f32 accumulation of the terms' magnitudes.
void expect_matches_host(const HostTensor& x, const HostTensor& w, const HostTensor& add, const HostTensor& y) {
  ASSERT_EQ(KEEL_DTYPE_F32, y.dtype());
  ASSERT_EQ((std::vector<int64_t>{2, 4}), y.shape());
  int zeros = 0;
  int positives = 0;
  for (int64_t m = 0; m < 2; ++m) {
    for (int64_t n = 0; n < 4; ++n) {
      const double bias = add.get(add.rank() == 1 ? n : m * 4 + n);
      double sum = bias;
      double magnitude = std::abs(bias);
      for (int64_t k = 0; k < 3; ++k) {
        sum += x.get(m * 3 + k) * w.get(k * 4 + n);
        magnitude += std::abs(x.get(m * 3 + k) * w.get(k * 4 + n));
      }
      const double expected = std::max(sum, 0.0);
      (expected > 0 ? positives : zeros) += 1;
      EXPECT_NEAR(expected, y.get(m * 4 + n), 8 * FLT_EPSILON * magnitude) << "at [" << m << "," << n << "]";
    }
  }
  // The data is chosen so that relu both clips and passes values; otherwise the check would be weaker.
  EXPECT_GT(zeros, 0);
  EXPECT_GT(positives, 0);
}

const HostTensor& constant(const Graph& g, const char* name) { return *g.value(g.find_value(name)).constant; }

TEST(GraphExecutor, MlpOnReferenceMatchesHostDouble) {
  Runtime runtime = make_runtime(false);
  const Graph g = make_mlp();
  std::vector<std::string> log;
  ExecutorOptions options;
  options.device = "reference:0";
  options.log = [&](const std::string& line) { log.push_back(line); };
  Executor executor(runtime, g, options);
  // Two runs with different inputs: the arena and cached constants are reused between runs.
  for (double phase : {0.0, 0.4}) {
    const HostTensor x = make_input(phase);
    const std::vector<HostTensor> out = executor.run(std::span(&x, 1));
    ASSERT_EQ(1u, out.size());
    expect_matches_host(x, constant(g, "w"), constant(g, "b"), out[0]);
  }
  EXPECT_TRUE(log.empty()) << ::testing::PrintToString(log);
  EXPECT_TRUE(executor.notes().empty());
  ASSERT_EQ(3u, executor.timings().size());
  EXPECT_EQ("mm", executor.timings()[0].node);
  EXPECT_EQ("relu", executor.timings()[2].op);
  for (const std::string& device : executor.node_devices()) EXPECT_EQ(executor.device_name(), device);
  // mm (steps 0-1) and act (2-end) never live together, so the arena is smaller than one buffer per value.
  ASSERT_NE(nullptr, executor.memory_plan());
  EXPECT_LT(executor.memory_plan()->arena_bytes(), executor.memory_plan()->naive_bytes());
}

TEST(GraphExecutor, WithoutMemoryPlanGivesTheSameBits) {
  Runtime runtime = make_runtime(false);
  const HostTensor x = make_input(0.4);
  ExecutorOptions planned;
  planned.device = "reference:0";
  ExecutorOptions unplanned = planned;
  unplanned.plan_memory = false;
  unplanned.profile = false;
  Executor a(runtime, make_mlp(), planned);
  Executor b(runtime, make_mlp(), unplanned);
  EXPECT_EQ(nullptr, b.memory_plan());
  const std::vector<HostTensor> ya = a.run(std::span(&x, 1));
  const std::vector<HostTensor> yb = b.run(std::span(&x, 1));
  ASSERT_EQ(1u, ya.size());
  ASSERT_EQ(1u, yb.size());
  EXPECT_TRUE(ya[0].same_bits(yb[0]));
}

TEST(GraphExecutor, RejectsWrongInputs) {
  Runtime runtime = make_runtime(false);
  ExecutorOptions options;
  options.device = "reference:0";
  Executor executor(runtime, make_mlp(), options);
  const HostTensor wrong(KEEL_DTYPE_F32, {3, 3});
  EXPECT_TRUE(throws_error([&] { executor.run(std::span(&wrong, 1)); }, KEEL_STATUS_INVALID_ARGUMENT,
                           {"input 'x' is f32[3,3]", "f32[2,3]"}));
  EXPECT_TRUE(throws_error([&] { executor.run({}); }, KEEL_STATUS_INVALID_ARGUMENT, {"takes 1 inputs"}));
}

TEST(GraphExecutor, InvalidGraphIsRejectedAtConstruction) {
  Runtime runtime = make_runtime(false);
  Graph g = make_mlp();
  g.nodes[1].op = "frobnicate";
  EXPECT_TRUE(throws_error([&] { Executor executor(runtime, g); }, KEEL_STATUS_INVALID_ARGUMENT,
                           {"no spec operator is named 'frobnicate'"}));
}

TEST(GraphExecutor, OutputsMayBeInputsConstantsOrRepeated) {
  Runtime runtime = make_runtime(false);
  Graph g = make_mlp();
  const ValueId y = g.outputs[0];
  g.outputs = {g.inputs[0], g.find_value("b"), y, y};
  ExecutorOptions options;
  options.device = "reference:0";
  Executor executor(runtime, g, options);
  const HostTensor x = make_input(0.0);
  const std::vector<HostTensor> out = executor.run(std::span(&x, 1));
  ASSERT_EQ(4u, out.size());
  EXPECT_TRUE(out[0].same_bits(x));
  EXPECT_TRUE(out[1].same_bits(constant(g, "b")));
  expect_matches_host(x, constant(g, "w"), constant(g, "b"), out[2]);
  EXPECT_TRUE(out[2].same_bits(out[3]));
}

TEST(GraphExecutor, SymbolicShapesAndBoundAttributesAreResolvedPerRun) {
  // z = reshape(relu(x) + x, shape) with x f32[N,2] and shape a graph input: nothing is static, so the
  // nodes are placed and allocated as they run, with a different N each run.
  Runtime runtime = make_runtime(false);
  Graph g;
  g.name = "dynamic";
  ValueType rows;
  rows.dtype = KEEL_DTYPE_F32;
  rows.rank_known = true;
  rows.dims = {Dim::named("N"), Dim::of(2)};
  const ValueId x = g.add_value("x", rows);
  const ValueId shape = g.add_value("shape", ValueType::of(KEEL_DTYPE_I64, std::vector<int64_t>{1}));
  const ValueId r = g.nodes[static_cast<size_t>(g.add_op("relu", {x}, {}))].outputs[0];
  const ValueId s = g.nodes[static_cast<size_t>(g.add_op("add", {r, x}, {}))].outputs[0];
  const ValueId z = g.nodes[static_cast<size_t>(g.add_op("reshape", {s}, {{"shape", AttrValue::of_ref(shape)}}))].outputs[0];
  g.inputs = {x, shape};
  g.outputs = {z};
  ExecutorOptions options;
  options.device = "reference:0";
  Executor executor(runtime, g, options);
  // Nothing here has a static shape, so the static plan places nothing.
  ASSERT_NE(nullptr, executor.memory_plan());
  EXPECT_TRUE(executor.memory_plan()->arenas.empty());
  for (int64_t n : {1, 3}) {
    HostTensor in(KEEL_DTYPE_F32, {n, 2});
    for (int64_t i = 0; i < in.numel(); ++i) in.set(i, static_cast<double>(i) - 2.5);
    const std::vector<HostTensor> inputs = {in, HostTensor::from_ints(std::vector<int64_t>{2 * n})};
    const std::vector<HostTensor> out = executor.run(inputs);
    ASSERT_EQ(1u, out.size());
    ASSERT_EQ((std::vector<int64_t>{2 * n}), out[0].shape());
    // Halves and small integers: f32 computes these exactly.
    for (int64_t i = 0; i < 2 * n; ++i) EXPECT_EQ(std::max(in.get(i), 0.0) + in.get(i), out[0].get(i)) << i;
  }
}

TEST(GraphExecutor, StaticValuesUseTheArenaBesideDynamicOnes) {
  // r = relu(x) is static and planned; z = reshape(r, shape) with shape a graph input is not.
  Runtime runtime = make_runtime(false);
  Graph g;
  g.name = "mixed";
  const ValueId x = g.add_value("x", ValueType::of(KEEL_DTYPE_F32, std::vector<int64_t>{2, 3}));
  const ValueId shape = g.add_value("shape", ValueType::of(KEEL_DTYPE_I64, std::vector<int64_t>{2}));
  const ValueId r = g.nodes[static_cast<size_t>(g.add_op("relu", {x}, {}))].outputs[0];
  const ValueId z = g.nodes[static_cast<size_t>(g.add_op("reshape", {r}, {{"shape", AttrValue::of_ref(shape)}}))].outputs[0];
  g.inputs = {x, shape};
  g.outputs = {r, z};
  ExecutorOptions options;
  options.device = "reference:0";
  Executor executor(runtime, g, options);
  ASSERT_NE(nullptr, executor.memory_plan());
  ASSERT_EQ(1u, executor.memory_plan()->arenas.size());
  EXPECT_EQ(1u, executor.memory_plan()->arenas[0].values);
  EXPECT_EQ("(at run time)", executor.node_devices()[1]);
  const HostTensor in = make_input(0.0);
  const std::vector<HostTensor> inputs = {in, HostTensor::from_ints(std::vector<int64_t>{3, 2})};
  const std::vector<HostTensor> out = executor.run(inputs);
  ASSERT_EQ(2u, out.size());
  EXPECT_EQ((std::vector<int64_t>{3, 2}), out[1].shape());
  for (int64_t i = 0; i < 6; ++i) {
    EXPECT_EQ(std::max(in.get(i), 0.0), out[0].get(i)) << i;
    EXPECT_EQ(out[0].get(i), out[1].get(i)) << i;
  }
}

TEST(GraphExecutor, FusedChainMatchesForEveryTileSize) {
  // fused relu(a + b), b broadcast over rows; tiles of 1 and 4 elements split rows (21 = 5 * 4 + 1).
  Runtime runtime = make_runtime(false);
  Graph g;
  g.name = "fused";
  const ValueId a = g.add_value("a", ValueType::of(KEEL_DTYPE_F32, std::vector<int64_t>{3, 7}));
  const ValueId b = g.add_value("b", ValueType::of(KEEL_DTYPE_F32, std::vector<int64_t>{7}));
  Node fused;
  fused.name = "fused";
  fused.op = std::string(kFusedOp);
  fused.inputs = {a, b};
  fused.outputs = {g.add_value("out")};
  fused.body.push_back(FusedStep{"add", nullptr, {}, {0, 1}, KEEL_DTYPE_F32});
  fused.body.push_back(FusedStep{"relu", nullptr, {}, {step_ref(0)}, KEEL_DTYPE_F32});
  g.add_node(std::move(fused));
  g.inputs = {a, b};
  g.outputs = {g.nodes[0].outputs[0]};
  HostTensor ha(KEEL_DTYPE_F32, {3, 7});
  for (int64_t i = 0; i < ha.numel(); ++i) ha.set(i, static_cast<double>(i) - 10);
  HostTensor hb(KEEL_DTYPE_F32, {7});
  for (int64_t i = 0; i < hb.numel(); ++i) hb.set(i, 0.5 * static_cast<double>(i));
  const std::vector<HostTensor> inputs = {ha, hb};
  for (int64_t tile : {int64_t{1}, int64_t{4}, int64_t{16384}}) {
    ExecutorOptions options;
    options.device = "reference:0";
    options.tile_elements = tile;
    Executor executor(runtime, g, options);
    const std::vector<HostTensor> out = executor.run(inputs);
    ASSERT_EQ(1u, out.size());
    ASSERT_EQ((std::vector<int64_t>{3, 7}), out[0].shape());
    for (int64_t i = 0; i < 21; ++i) {
      EXPECT_EQ(std::max(ha.get(i) + hb.get(i % 7), 0.0), out[0].get(i)) << "tile " << tile << ", element " << i;
    }
  }
}

// y = relu(x @ w + c) with c a full f32[2,4], so the fixture's add_dense kernel (no broadcasting) accepts
// the add while the fixture has no matmul or relu at all.
Graph make_fallback_graph() {
  Graph g = make_mlp();
  HostTensor c(KEEL_DTYPE_F32, {2, 4});
  for (int64_t i = 0; i < c.numel(); ++i) c.set(i, 0.125 * static_cast<double>(i) - 0.5);
  const ValueId cv = g.add_constant("c", std::move(c));
  g.nodes[1].inputs[1] = cv;
  g.compact_values();  // b is no longer used
  return g;
}

TEST(GraphExecutor, DeclinedNodesFallBackAndAreLogged) {
  Runtime runtime = make_runtime(true);
  const Graph g = make_fallback_graph();
  std::vector<std::string> log;
  ExecutorOptions options;
  options.device = kFixtureDevice;
  options.fallback_devices = {"reference:0"};
  options.log = [&](const std::string& line) { log.push_back(line); };
  Executor executor(runtime, g, options);
  EXPECT_EQ(kFixtureDevice, executor.device_name());
  const std::vector<std::string> devices = executor.node_devices();
  ASSERT_EQ(3u, devices.size());
  EXPECT_EQ("reference:0", devices[0]);
  EXPECT_EQ(kFixtureDevice, devices[1]);
  EXPECT_EQ("reference:0", devices[2]);

  const HostTensor x = make_input(0.0);
  const std::vector<HostTensor> out = executor.run(std::span(&x, 1));
  ASSERT_EQ(1u, out.size());
  expect_matches_host(x, constant(g, "w"), constant(g, "c"), out[0]);

  auto logged = [&](const std::string& a, const std::string& b) {
    return std::any_of(log.begin(), log.end(), [&](const std::string& line) {
      return line.find(a) != std::string::npos && line.find(b) != std::string::npos;
    });
  };
  std::string all;
  for (const std::string& line : log) all += line + "\n";
  EXPECT_TRUE(logged("node 'mm' (matmul) runs on reference:0", std::string(kFixtureDevice) + " declined it")) << all;
  EXPECT_TRUE(logged("node 'act' (relu) runs on reference:0", std::string(kFixtureDevice) + " declined it")) << all;
  EXPECT_FALSE(logged("node 'bias'", "runs on")) << all;
  // x is uploaded to the requested device; mm's result moves to the fixture for the add, and back for relu.
  EXPECT_TRUE(logged("copying value 'x'", std::string("from ") + kFixtureDevice + " to reference:0")) << all;
  EXPECT_TRUE(logged("copying value 'mm'", std::string("from reference:0 to ") + kFixtureDevice)) << all;
  EXPECT_TRUE(logged("copying value 'bias'", std::string("from ") + kFixtureDevice + " to reference:0")) << all;
  // Every log line is also kept as a note naming its node.
  EXPECT_GE(executor.notes().size(), log.size());
  EXPECT_TRUE(std::any_of(executor.notes().begin(), executor.notes().end(),
                          [](const PlacementNote& note) { return note.node == "mm"; }));
}

TEST(GraphExecutor, NoDeviceAcceptingANodeIsAnError) {
  Runtime runtime = make_runtime(true);
  ExecutorOptions options;
  options.device = kFixtureDevice;
  options.fallback_devices = {kFixtureDevice};  // nowhere else to go
  options.log = [](const std::string&) {};
  EXPECT_TRUE(throws_error([&] { Executor executor(runtime, make_fallback_graph(), options); },
                           KEEL_STATUS_UNIMPLEMENTED,
                           {"node 'mm' (matmul): no device accepts it", std::string(kFixtureDevice) + " declined it"}));
}

TEST(GraphExecutor, WithoutFallbackADeclinedNodeFailsEvenWithOtherDevicesLoaded) {
  Runtime runtime = make_runtime(true);  // the reference device is loaded and would accept every node
  ExecutorOptions options;
  options.device = kFixtureDevice;
  options.allow_fallback = false;
  options.log = [](const std::string&) {};
  EXPECT_TRUE(throws_error([&] { Executor executor(runtime, make_fallback_graph(), options); },
                           KEEL_STATUS_UNIMPLEMENTED,
                           {"node 'mm' (matmul): no device accepts it", std::string(kFixtureDevice) + " declined it"}));
  // With fallback allowed the same graph places (the default fallback is every other device: the reference
  // one, or another CPU plugin of this build, whichever comes first).
  options.allow_fallback = true;
  Executor executor(runtime, make_fallback_graph(), options);
  EXPECT_NE(kFixtureDevice, executor.node_devices()[0]);
  EXPECT_FALSE(executor.node_devices()[0].empty());
}

}  // namespace
}  // namespace keel::graph
