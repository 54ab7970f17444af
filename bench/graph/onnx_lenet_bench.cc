// ONNX import + first run of a LeNet-5-sized model (target: <= 50 ms), the cost a user pays before the first
// result: parse the model, convert it to spec operators, validate and optimize the graph, build the
// executor (placement, memory plan, constants uploaded) and run it once.
//
// The model is built here through the ONNX protobuf API and serialized once: input 1x1x32x32,
//   Conv(6,5x5) Relu MaxPool(2) Conv(16,5x5) Relu MaxPool(2) Flatten Gemm(120) Relu Gemm(84) Relu Gemm(10)
// (61.7 k parameters, as in LeCun et al. 1998). Each iteration imports the bytes and runs from scratch; the
// very first one in the process is also timed alone (cold plugin kernel caches).
#include <benchmark/benchmark.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdint>
#include <string>
#include <vector>

#include "bench_runtime.h"
#include "graph/exec/executor.h"
#include "graph/passes/pipeline.h"
#include "onnx/onnx_import.h"
#include "onnx/onnx_pb.h"

namespace keel::graph {
namespace {

class LenetModel {
 public:
  LenetModel() {
    model_.set_ir_version(8);
    auto* opset = model_.add_opset_import();
    opset->set_domain("");
    opset->set_version(13);
    ::onnx::GraphProto* g = model_.mutable_graph();
    g->set_name("lenet5");
    auto* in = g->add_input();
    in->set_name("image");
    auto* type = in->mutable_type()->mutable_tensor_type();
    type->set_elem_type(::onnx::TensorProto::FLOAT);
    for (int64_t d : {1, 1, 32, 32}) type->mutable_shape()->add_dim()->set_dim_value(d);
    g->add_output()->set_name("logits");
    weight("c1w", {6, 1, 5, 5});
    weight("c1b", {6});
    weight("c2w", {16, 6, 5, 5});
    weight("c2b", {16});
    weight("f1w", {120, 400});
    weight("f1b", {120});
    weight("f2w", {84, 120});
    weight("f2b", {84});
    weight("f3w", {10, 84});
    weight("f3b", {10});
    node("Conv", {"image", "c1w", "c1b"}, "c1");
    node("Relu", {"c1"}, "r1");
    pool("r1", "p1");
    node("Conv", {"p1", "c2w", "c2b"}, "c2");
    node("Relu", {"c2"}, "r2");
    pool("r2", "p2");
    node("Flatten", {"p2"}, "flat");
    gemm("flat", "f1", "h1");
    node("Relu", {"h1"}, "a1");
    gemm("a1", "f2", "h2");
    node("Relu", {"h2"}, "a2");
    gemm("a2", "f3", "logits");
  }
  std::string bytes() const { return model_.SerializeAsString(); }

 private:
  void weight(const std::string& name, std::vector<int64_t> dims) {
    ::onnx::TensorProto* t = model_.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(::onnx::TensorProto::FLOAT);
    int64_t count = 1;
    for (int64_t d : dims) {
      t->add_dims(d);
      count *= d;
    }
    std::string raw(static_cast<size_t>(count) * sizeof(float), '\0');
    float* values = reinterpret_cast<float*>(raw.data());
    for (int64_t i = 0; i < count; ++i) values[i] = static_cast<float>(0.05 * std::sin(0.37 * static_cast<double>(i)));
    t->set_raw_data(raw);
  }
  ::onnx::NodeProto* node(const std::string& op, std::vector<std::string> inputs, const std::string& output) {
    ::onnx::NodeProto* n = model_.mutable_graph()->add_node();
    n->set_op_type(op);
    n->set_name(output);
    for (const std::string& i : inputs) n->add_input(i);
    n->add_output(output);
    return n;
  }
  void pool(const std::string& input, const std::string& output) {
    ::onnx::NodeProto* n = node("MaxPool", {input}, output);
    for (const char* name : {"kernel_shape", "strides"}) {
      auto* a = n->add_attribute();
      a->set_name(name);
      a->set_type(::onnx::AttributeProto::INTS);
      a->add_ints(2);
      a->add_ints(2);
    }
  }
  void gemm(const std::string& input, const std::string& layer, const std::string& output) {
    ::onnx::NodeProto* n = node("Gemm", {input, layer + "w", layer + "b"}, output);
    auto* a = n->add_attribute();
    a->set_name("transB");
    a->set_type(::onnx::AttributeProto::INT);
    a->set_i(1);
  }
  ::onnx::ModelProto model_;
};

const std::string& model_bytes() {
  static const std::string bytes = LenetModel().bytes();
  return bytes;
}

// Import, optimize, build the executor and run once.
void import_and_run(const std::string& device) {
  const std::string& model = model_bytes();
  HostTensor image(KEEL_DTYPE_F32, {1, 1, 32, 32});
  for (int64_t i = 0; i < image.numel(); ++i) image.set(i, std::cos(0.1 * static_cast<double>(i)));
  Graph graph = onnx_import::import_onnx_bytes(
      std::span(reinterpret_cast<const uint8_t*>(model.data()), model.size()), "lenet5");
  PipelineOptions passes;
  passes.runtime = &runtime();
  passes.fold.device = device;
  optimize(graph, passes);
  ExecutorOptions options;
  options.device = device;
  options.profile = false;
  options.log = [](const std::string&) {};
  Executor executor(runtime(), std::move(graph), options);
  benchmark::DoNotOptimize(executor.run(std::span(&image, 1)));
}

// The first import in the process also pays for the plugin's kernel creation (oneDNN JIT); later ones find
// the plugin's kernel cache warm. Both are reported: this one is timed once, before the benchmarks.
void report_cold(const std::string& device) {
  if (!has_device(device)) return;
  const auto start = std::chrono::steady_clock::now();
  import_and_run(device);
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::printf("OnnxLenet5 import + first run, first in this process, %s: %.2f ms (target <= 50 ms)\n",
              device.c_str(), ms);
}

void import_and_first_run(benchmark::State& state, const std::string& device) {
  if (!has_device(device)) {
    state.SkipWithError((device + " is not available in this build").c_str());
    return;
  }
  for (auto _ : state) import_and_run(device);
  state.counters["target_ms"] = 50;
}

}  // namespace
}  // namespace keel::graph

int main(int argc, char** argv) {
  for (const char* device : {"reference:0", "onednn:0"}) keel::graph::report_cold(device);
  for (const char* device : {"reference:0", "onednn:0"}) {
    benchmark::RegisterBenchmark((std::string("OnnxLenet5ImportAndFirstRun/") + device).c_str(),
                                 [device](benchmark::State& state) { keel::graph::import_and_first_run(state, device); })
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
