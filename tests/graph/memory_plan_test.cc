// Static memory planning. The properties that make a plan correct and useful are checked directly: values
// alive at the same step never share bytes, values with disjoint lifetimes do get reused, and the planned
// peak never exceeds one buffer per value. Lifetimes are recomputed here from the graph, not taken from the
// planner.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "graph/passes/memory_plan.h"
#include "graph/validate/validator.h"
#include "graph_test_util.h"

namespace keel::graph {
namespace {

using testing::make_mlp;

uint64_t align_up(uint64_t v, uint64_t alignment) { return (v + alignment - 1) / alignment * alignment; }

// Lifetimes overlap when they share a step (both ends inclusive): a node's inputs and outputs overlap.
bool lifetimes_overlap(int64_t a_first, int64_t a_last, int64_t b_first, int64_t b_last) {
  return a_first <= b_last && b_first <= a_last;
}

bool bytes_overlap(uint64_t a_offset, uint64_t a_size, uint64_t b_offset, uint64_t b_size) {
  return a_size > 0 && b_size > 0 && a_offset < b_offset + b_size && b_offset < a_offset + a_size;
}

// Checks a BufferPlan against its requests; returns the first violation or "".
std::string check_buffer_plan(const std::vector<BufferRequest>& requests, const BufferPlan& plan,
                              uint64_t alignment) {
  if (plan.offsets.size() != requests.size()) return "one offset per request expected";
  uint64_t naive = 0;
  uint64_t end = 0;
  for (size_t i = 0; i < requests.size(); ++i) {
    const uint64_t size = align_up(requests[i].bytes, alignment);
    naive += size;
    end = std::max(end, plan.offsets[i] + size);
    if (plan.offsets[i] % alignment != 0) return "request " + std::to_string(i) + " is not aligned";
    for (size_t j = 0; j < i; ++j) {
      const BufferRequest& a = requests[i];
      const BufferRequest& b = requests[j];
      if (lifetimes_overlap(a.first, a.last, b.first, b.last) &&
          bytes_overlap(plan.offsets[i], a.bytes, plan.offsets[j], b.bytes)) {
        return "requests " + std::to_string(j) + " and " + std::to_string(i) + " are alive together and share bytes";
      }
    }
  }
  if (plan.naive_bytes != naive) return "naive " + std::to_string(plan.naive_bytes) + ", expected " + std::to_string(naive);
  if (plan.arena_bytes != end) return "arena " + std::to_string(plan.arena_bytes) + ", buffers end at " + std::to_string(end);
  if (plan.arena_bytes > plan.naive_bytes) return "planned peak above the naive sum";
  return "";
}

TEST(GraphMemoryPlan, DisjointLifetimesShareOneBuffer) {
  const std::vector<BufferRequest> requests = {{0, 1, 1000}, {2, 3, 1000}, {4, 5, 1000}};
  const BufferPlan plan = plan_buffers(requests, 64);
  EXPECT_EQ("", check_buffer_plan(requests, plan, 64));
  EXPECT_EQ(1024u, plan.arena_bytes);
  EXPECT_EQ(3u * 1024u, plan.naive_bytes);
  EXPECT_EQ(plan.offsets[0], plan.offsets[1]);
  EXPECT_EQ(plan.offsets[1], plan.offsets[2]);
}

TEST(GraphMemoryPlan, TouchingLifetimesDoNotShare) {
  // [0,2] and [2,4] meet at step 2, where one is read and the other written: they must not share.
  const std::vector<BufferRequest> requests = {{0, 2, 256}, {2, 4, 256}};
  const BufferPlan plan = plan_buffers(requests, 64);
  EXPECT_EQ("", check_buffer_plan(requests, plan, 64));
  EXPECT_EQ(512u, plan.arena_bytes);
}

TEST(GraphMemoryPlan, SmallBufferFillsAGap) {
  // A (steps 0-9) and C (0-9) stay alive; B (0-4) dies at step 4, so D (5-9) fits into B's bytes.
  const std::vector<BufferRequest> requests = {{0, 9, 1000}, {0, 4, 1000}, {0, 9, 800}, {5, 9, 500}};
  const BufferPlan plan = plan_buffers(requests, 1);
  EXPECT_EQ("", check_buffer_plan(requests, plan, 1));
  EXPECT_EQ(plan.offsets[1], plan.offsets[3]);
  EXPECT_EQ(2800u, plan.arena_bytes);
  EXPECT_EQ(3300u, plan.naive_bytes);
}

TEST(GraphMemoryPlan, RandomRequestsKeepEveryInvariant) {
  std::mt19937 rng(12345);  // fixed seed: failures reproduce
  for (int trial = 0; trial < 300; ++trial) {
    const size_t count = 1 + rng() % 40;
    const uint64_t alignment = uint64_t{1} << (rng() % 8);
    std::vector<BufferRequest> requests;
    for (size_t i = 0; i < count; ++i) {
      const int64_t first = static_cast<int64_t>(rng() % 30);
      const int64_t last = first + static_cast<int64_t>(rng() % 10);
      requests.push_back(BufferRequest{first, last, rng() % 5000});
    }
    const BufferPlan plan = plan_buffers(requests, alignment);
    const std::string problem = check_buffer_plan(requests, plan, alignment);
    ASSERT_EQ("", problem) << "trial " << trial;
  }
}

// x -> relu -> relu -> ... (n nodes), each value f32[16, 16]: only two are ever alive together.
Graph make_chain(int n) {
  Graph g;
  g.name = "chain";
  ValueId v = g.add_value("x", ValueType::of(KEEL_DTYPE_F32, std::vector<int64_t>{16, 16}));
  g.inputs = {v};
  for (int i = 0; i < n; ++i) v = g.nodes[static_cast<size_t>(g.add_op("relu", {v}, {}))].outputs[0];
  g.outputs = {v};
  validate(g);
  return g;
}

// Lifetimes from the graph: produced at its node's step, alive through its last reader, graph outputs to the
// end. Checks that every pair of planned values alive at a common step occupies disjoint bytes.
void expect_no_live_overlap(const Graph& g, const MemoryPlan& plan) {
  const int64_t end = static_cast<int64_t>(g.nodes.size());
  std::vector<int64_t> first(g.values.size(), -1);
  std::vector<int64_t> last(g.values.size(), -1);
  for (size_t n = 0; n < g.nodes.size(); ++n) {
    for (ValueId id : g.nodes[n].outputs) first[static_cast<size_t>(id)] = last[static_cast<size_t>(id)] = static_cast<int64_t>(n);
    for (ValueId id : Graph::reads(g.nodes[n])) last[static_cast<size_t>(id)] = static_cast<int64_t>(n);
  }
  for (ValueId id : g.outputs) last[static_cast<size_t>(id)] = end;
  for (size_t a = 0; a < g.values.size(); ++a) {
    for (size_t b = a + 1; b < g.values.size(); ++b) {
      if (plan.offsets[a] < 0 || plan.offsets[b] < 0) continue;
      if (!lifetimes_overlap(first[a], last[a], first[b], last[b])) continue;
      EXPECT_FALSE(bytes_overlap(static_cast<uint64_t>(plan.offsets[a]), plan.sizes[a],
                                 static_cast<uint64_t>(plan.offsets[b]), plan.sizes[b]))
          << "'" << g.values[a].name << "' and '" << g.values[b].name << "' are alive together and share memory";
    }
  }
}

TEST(GraphMemoryPlan, ChainReusesBuffers) {
  const Graph g = make_chain(6);
  const MemoryPlan plan = plan_memory(g);
  ASSERT_EQ(1u, plan.arenas.size());
  EXPECT_EQ(6u, plan.arenas[0].values);
  EXPECT_EQ(6u * 1024u, plan.naive_bytes());
  // Two buffers suffice for a chain: the node's input and its output.
  EXPECT_EQ(2u * 1024u, plan.arena_bytes());
  EXPECT_LE(plan.arena_bytes(), plan.naive_bytes());
  EXPECT_EQ(-1, plan.offsets[static_cast<size_t>(g.inputs[0])]) << "graph inputs have their own buffers";
  expect_no_live_overlap(g, plan);
  EXPECT_NE(std::string::npos, plan.summary().find("over 6 values")) << plan.summary();
}

TEST(GraphMemoryPlan, MlpPlansOnlyNodeOutputs) {
  Graph g = make_mlp();
  validate(g);
  const MemoryPlan plan = plan_memory(g, {}, 64);
  for (size_t v = 0; v < g.values.size(); ++v) {
    const Value& value = g.values[v];
    const bool produced = value.producer != kNoNode;
    EXPECT_EQ(produced, plan.offsets[v] >= 0) << value.name;
    EXPECT_EQ(produced ? value.type.byte_size() : 0u, plan.sizes[v]) << value.name;
    if (produced) {
      EXPECT_EQ(0, plan.offsets[v] % 64) << value.name;
    }
  }
  EXPECT_LE(plan.arena_bytes(), plan.naive_bytes());
  expect_no_live_overlap(g, plan);
}

TEST(GraphMemoryPlan, ValueWithManyReadersStaysAlive) {
  // t = relu(x) is read by the last node too, so it overlaps every value in between.
  Graph g;
  g.name = "skip";
  const ValueId x = g.add_value("x", ValueType::of(KEEL_DTYPE_F32, std::vector<int64_t>{64}));
  const ValueId t = g.nodes[static_cast<size_t>(g.add_op("relu", {x}, {}, 1, "t"))].outputs[0];
  ValueId v = t;
  for (int i = 0; i < 4; ++i) v = g.nodes[static_cast<size_t>(g.add_op("relu", {v}, {}))].outputs[0];
  const ValueId sum = g.nodes[static_cast<size_t>(g.add_op("add", {v, t}, {}, 1, "sum"))].outputs[0];
  g.inputs = {x};
  g.outputs = {sum};
  validate(g);
  const MemoryPlan plan = plan_memory(g);
  expect_no_live_overlap(g, plan);
  for (size_t n = 1; n + 1 < g.nodes.size(); ++n) {
    EXPECT_NE(plan.offsets[static_cast<size_t>(t)], plan.offsets[static_cast<size_t>(g.nodes[n].outputs[0])]);
  }
  EXPECT_LT(plan.arena_bytes(), plan.naive_bytes());
}

TEST(GraphMemoryPlan, DevicesGetSeparateArenasAndRunTimeNodesAreSkipped) {
  const Graph g = make_chain(4);
  const std::vector<int32_t> devices = {0, 1, -1, 1};
  const MemoryPlan plan = plan_memory(g, devices);
  ASSERT_EQ(2u, plan.arenas.size());
  EXPECT_EQ(0, plan.arenas[0].device);
  EXPECT_EQ(1u, plan.arenas[0].values);
  EXPECT_EQ(1, plan.arenas[1].device);
  EXPECT_EQ(2u, plan.arenas[1].values);
  EXPECT_EQ(-1, plan.offsets[static_cast<size_t>(g.nodes[2].outputs[0])]);
  EXPECT_EQ(0u, plan.sizes[static_cast<size_t>(g.nodes[2].outputs[0])]);
  // Node 1's and node 3's outputs are on device 1 with disjoint lifetimes ([1,2] and [3,4]): they share.
  EXPECT_EQ(plan.offsets[static_cast<size_t>(g.nodes[1].outputs[0])], plan.offsets[static_cast<size_t>(g.nodes[3].outputs[0])]);
}

TEST(GraphMemoryPlan, DynamicShapesAreNotPlanned) {
  Graph g;
  g.name = "dynamic";
  ValueType sym;
  sym.dtype = KEEL_DTYPE_F32;
  sym.rank_known = true;
  sym.dims = {Dim::named("N")};
  const ValueId x = g.add_value("x", sym);
  g.add_op("relu", {x}, {});
  g.inputs = {x};
  g.outputs = {g.nodes[0].outputs[0]};
  validate(g);
  const MemoryPlan plan = plan_memory(g);
  EXPECT_TRUE(plan.arenas.empty());
  EXPECT_EQ(0u, plan.arena_bytes());
  EXPECT_EQ(-1, plan.offsets[static_cast<size_t>(g.outputs[0])]);
}

TEST(GraphMemoryPlan, FormatBytes) {
  EXPECT_EQ("512 B", format_bytes(512));
  EXPECT_EQ("1.5 KiB", format_bytes(1536));
  EXPECT_EQ("3.0 MiB", format_bytes(3u << 20));
}

}  // namespace
}  // namespace keel::graph
