// keel::trace: eager front-end code recorded into a graph, replayed by the executor. The models are the
// samples' shapes in small: an MLP and a LeNet-style convolutional net, forward and training (forward,
// cross-entropy loss, gradients by autograd). Replaying on the same device runs the same kernels on the same
// data, so the replay must give the eager run's bits, for the example inputs and for new ones.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "graph/exec/executor.h"
#include "graph/passes/memory_plan.h"
#include "graph/passes/pipeline.h"
#include "graph/trace/trace.h"
#include "keel/autograd.hpp"
#include "keel/ops.hpp"

namespace keel {
namespace {

constexpr const char* kDevice = "reference:0";

Runtime& executor_runtime() {
  static Runtime runtime = [] {
    RuntimeOptions options;
    options.plugin_paths = {KEEL_BUILD_PLUGIN_DIR};
    options.use_env_path = false;
    options.use_manifests = false;
    return Runtime::create(options);
  }();
  return runtime;
}

class TraceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    RuntimeOptions options;
    options.plugin_paths = {KEEL_BUILD_PLUGIN_DIR};
    options.use_env_path = false;
    options.use_manifests = false;
    configure(options);
    set_default_device(device(kDevice));
  }
};

std::vector<graph::HostTensor> replay(const graph::Graph& g, std::span<const Tensor> inputs) {
  graph::ExecutorOptions options;
  options.device = kDevice;
  options.log = [](const std::string&) {};
  graph::Executor executor(executor_runtime(), g, options);
  std::vector<graph::HostTensor> host;
  for (const Tensor& t : inputs) host.push_back(to_host_tensor(t));
  return executor.run(host);
}

void expect_same_bits(const std::vector<graph::HostTensor>& replayed, const std::vector<Tensor>& eager) {
  ASSERT_EQ(replayed.size(), eager.size());
  for (size_t i = 0; i < eager.size(); ++i) {
    EXPECT_TRUE(replayed[i].same_bits(to_host_tensor(eager[i]))) << "output " << i;
  }
}

size_t count_op(const graph::Graph& g, std::string_view op) {
  size_t n = 0;
  for (const graph::Node& node : g.nodes) n += node.op == op ? 1 : 0;
  return n;
}

struct Mlp {
  Tensor w1, b1, w2, b2;
  explicit Mlp(uint64_t seed) {
    Generator gen(seed);
    w1 = randn({64, 32}, gen) * 0.1;
    b1 = randn({32}, gen) * 0.1;
    w2 = randn({32, 10}, gen) * 0.1;
    b2 = randn({10}, gen) * 0.1;
  }
  std::vector<Tensor> params() const { return {w1, b1, w2, b2}; }
  static Tensor forward(const Tensor& x, std::span<const Tensor> p) {
    return ops::matmul((ops::matmul(x, p[0]) + p[1]).relu(), p[2]) + p[3];
  }
};

Tensor random_batch(uint64_t seed, Shape shape) {
  Generator gen(seed);
  return randn(std::move(shape), gen);
}

Tensor labels(std::vector<double> values) {
  return tensor(values, {static_cast<int64_t>(values.size())}, {.dtype = Dtype::i64});
}

TEST_F(TraceTest, MlpForwardReplaysBitwiseOnNewInputs) {
  const Mlp mlp(1);
  const std::vector<Tensor> params = mlp.params();
  const TracedFunction fn = [&](std::span<const Tensor> in) { return std::vector<Tensor>{Mlp::forward(in[0], params)}; };
  const Tensor x = random_batch(2, {8, 64});
  const graph::Graph g = trace(fn, std::span(&x, 1), {.name = "mlp", .input_names = {"x"}, .output_names = {"logits"}});
  EXPECT_EQ(count_op(g, "matmul"), 2u);
  EXPECT_EQ(g.inputs.size(), 1u);
  EXPECT_EQ(g.value(g.outputs[0]).name, "logits");
  size_t constants = 0;
  for (const graph::Value& v : g.values) constants += v.is_constant() ? 1 : 0;
  EXPECT_EQ(constants, 4u);  // the parameters, captured with their values
  for (uint64_t seed : {2u, 3u, 4u}) {
    const Tensor fresh = random_batch(seed, {8, 64});
    expect_same_bits(replay(g, std::span(&fresh, 1)), fn(std::span(&fresh, 1)));
  }
}

// conv 3x3 (pad 1) -> relu -> max_pool 2x2 -> flatten -> linear, on 1x8x8 images.
std::vector<Tensor> lenet_logits(std::span<const Tensor> in, std::span<const Tensor> p) {
  Tensor h = ops::conv(in[0], p[0], p[1], {.pads = {1, 1, 1, 1}}).relu();
  h = ops::max_pool(h, {.kernel_shape = {2, 2}, .strides = {2, 2}}).y;
  h = h.reshape({h.size(0), -1});
  return {ops::matmul(h, p[2]) + p[3]};
}

std::vector<Tensor> lenet_params(uint64_t seed) {
  Generator gen(seed);
  return {randn({4, 1, 3, 3}, gen) * 0.3, randn({4}, gen) * 0.1, randn({64, 10}, gen) * 0.1,
          randn({10}, gen) * 0.1};
}

TEST_F(TraceTest, LenetForwardReplaysBitwise) {
  const std::vector<Tensor> params = lenet_params(5);
  const TracedFunction fn = [&](std::span<const Tensor> in) { return lenet_logits(in, params); };
  const Tensor x = random_batch(6, {4, 1, 8, 8});
  const graph::Graph g = trace(fn, std::span(&x, 1));
  EXPECT_EQ(count_op(g, "conv"), 1u);
  EXPECT_EQ(count_op(g, "max_pool"), 1u);
  const Tensor fresh = random_batch(7, {4, 1, 8, 8});
  expect_same_bits(replay(g, std::span(&fresh, 1)), fn(std::span(&fresh, 1)));
}

// Inputs: x, target, then the parameters (which require grad). Outputs: the loss, then one gradient per
// parameter, computed by autograd from the spec's VJP rules.
TracedFunction training_step(std::vector<Tensor> (*model)(std::span<const Tensor>, std::span<const Tensor>)) {
  return [model](std::span<const Tensor> in) {
    std::vector<Tensor> params;
    for (size_t i = 2; i < in.size(); ++i) params.push_back(in[i]);
    const Tensor loss = ops::cross_entropy(model(in.subspan(0, 1), params)[0], in[1]);
    std::vector<Tensor> out = {loss};
    const Tensor roots[] = {loss};
    for (Tensor& g : autograd::grad(roots, params)) out.push_back(g);
    return out;
  };
}

std::vector<Tensor> mlp_logits(std::span<const Tensor> in, std::span<const Tensor> p) { return {Mlp::forward(in[0], p)}; }

std::vector<Tensor> with_grad(std::vector<Tensor> params) {
  for (Tensor& p : params) p = p.detach().requires_grad_();
  return params;
}

graph::Graph& last_trace() {
  static graph::Graph g;
  return g;
}

void check_training_trace(std::vector<Tensor> (*model)(std::span<const Tensor>, std::span<const Tensor>),
                          const Tensor& x, const Tensor& fresh_x, const Tensor& target,
                          const std::vector<Tensor>& params, const std::string& name) {
  std::vector<Tensor> inputs = {x, target};
  for (const Tensor& p : with_grad(params)) inputs.push_back(p);
  const TracedFunction fn = training_step(model);
  const graph::Graph& g = last_trace() = trace(fn, inputs, {.name = name});
  EXPECT_EQ(g.outputs.size(), 1 + params.size());
  // The backward pass is in the graph: more calls than the forward, and no parameter constant.
  for (const graph::Value& v : g.values) {
    EXPECT_FALSE(v.is_constant() && v.type.rank() >= 2) << "a parameter was captured as a constant: " << v.name << " " << graph::format_type(v.type);
  }
  expect_same_bits(replay(g, inputs), fn(inputs));
  // A new batch: nothing of the example's data may be baked into the graph.
  std::vector<Tensor> fresh_inputs = inputs;
  fresh_inputs[0] = fresh_x;
  expect_same_bits(replay(g, fresh_inputs), fn(fresh_inputs));
  // Optimized (folded, merged, fused) and replayed: still the same bits.
  graph::Graph optimized = g;
  graph::PipelineOptions options;
  options.runtime = &executor_runtime();
  options.fold.device = kDevice;
  graph::optimize(optimized, options);
  expect_same_bits(replay(optimized, inputs), fn(inputs));
  const graph::MemoryPlan plan = graph::plan_memory(optimized);
  std::printf("[   NOTE   ] %s training graph: %zu nodes (%zu optimized), %s\n", name.c_str(), g.nodes.size(),
              optimized.nodes.size(), plan.summary().c_str());
  EXPECT_LT(plan.arena_bytes(), plan.naive_bytes());
}

TEST_F(TraceTest, MlpTrainingStepTracesForwardAndBackward) {
  check_training_trace(mlp_logits, random_batch(8, {8, 64}), random_batch(14, {8, 64}), labels({0, 3, 9, 1, 1, 5, 7, 2}),
                       Mlp(9).params(), "mlp");
  EXPECT_EQ(count_op(last_trace(), "matmul"), 2u + 3u);  // forward; dW2, dh and dW1 (x needs no gradient)
}

TEST_F(TraceTest, LenetTrainingStepTracesForwardAndBackward) {
  check_training_trace(lenet_logits, random_batch(10, {4, 1, 8, 8}), random_batch(15, {4, 1, 8, 8}), labels({2, 8, 0, 4}),
                       lenet_params(11), "lenet");
  EXPECT_EQ(count_op(last_trace(), "conv"), 1u);
  EXPECT_EQ(count_op(last_trace(), "max_pool_backward"), 1u);
}

TEST_F(TraceTest, InPlaceUpdateOfATracedTensorIsAnError) {
  const TracedFunction fn = [](std::span<const Tensor> in) {
    Tensor y = in[0].exp();
    y.fill_(1.0);  // not a recorded call
    return std::vector<Tensor>{y * 2.0};
  };
  const Tensor x = random_batch(12, {3});
  try {
    trace(fn, std::span(&x, 1));
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), KEEL_STATUS_FAILED_PRECONDITION);
    EXPECT_NE(std::string(error.what()).find("modified in place"), std::string::npos) << error.what();
  }
}

TEST_F(TraceTest, AResultNoCallProducedIsAnError) {
  const TracedFunction fn = [](std::span<const Tensor>) { return std::vector<Tensor>{tensor({1.0, 2.0}, {2})}; };
  const Tensor x = random_batch(13, {2});
  try {
    trace(fn, std::span(&x, 1));
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), KEEL_STATUS_FAILED_PRECONDITION);
    EXPECT_NE(std::string(error.what()).find("result 0"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace keel
