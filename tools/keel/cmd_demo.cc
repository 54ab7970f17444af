// keel demo: a short operator demo on every device, each result checked against a host computation.
#include <cmath>
#include <cstdio>
#include <functional>

#include "cli.h"
#include "keel/keel_ops.h"

namespace keel::cli {
namespace {

struct HostTensor {
  std::vector<int64_t> shape;
  std::vector<float> values;
};

struct DemoCase {
  const char* title;
  const char* op;
  const void* attrs;
  std::vector<HostTensor> inputs;
  std::vector<float> expected; // computed on the host, independently of any plugin
};

std::string values_text(const std::vector<float>& values) {
  std::string text = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    char number[32];
    std::snprintf(number, sizeof(number), "%s%.4g", i ? ", " : "", static_cast<double>(values[i]));
    text += number;
  }
  return text + "]";
}

// Runs one case on `device`; returns "ok", or why not.
std::string run_case(const Device& device, const DemoCase& demo, std::vector<float>* result) {
  const Op op = Op::find(demo.op);
  Queue queue = Queue::create(device);
  std::vector<Buffer> buffers;
  std::vector<keel_tensor_t> inputs;
  for (const HostTensor& input : demo.inputs) {
    buffers.push_back(Buffer::allocate(device, input.values.size() * sizeof(float)));
    buffers.back().write(std::span<const float>(input.values));
    inputs.push_back(make_tensor(buffers.back().get(), KEEL_DTYPE_F32, std::span<const int64_t>(input.shape)));
  }
  std::vector<keel_tensor_t> outputs = op.infer(demo.attrs, inputs);
  Buffer out = Buffer::allocate(device, static_cast<uint64_t>(element_count(outputs[0])) * sizeof(float));
  outputs[0].buffer = out.get();
  try {
    queue.run(op, demo.attrs, inputs, outputs);
    queue.synchronize();
  } catch (const Error& error) {
    if (error.code() == KEEL_STATUS_UNIMPLEMENTED) return std::string("unsupported: ") + error.what();
    throw;
  }
  *result = out.read_all<float>();
  for (size_t i = 0; i < demo.expected.size(); ++i) {
    const float got = (*result)[i];
    const float want = demo.expected[i];
    if (!(std::fabs(got - want) <= 1e-5f * (1.0f + std::fabs(want)))) return "MISMATCH";
  }
  return "ok";
}

std::vector<DemoCase> demo_cases() {
  static const keel_softmax_attrs_t softmax = KEEL_SOFTMAX_ATTRS_INIT;
  static const int64_t axes[] = {1};
  static keel_reduce_sum_attrs_t reduce = KEEL_REDUCE_SUM_ATTRS_INIT;
  reduce.axes = axes;
  reduce.axes_count = 1;

  std::vector<DemoCase> cases;
  cases.push_back({"add with broadcasting", "add", nullptr,
                   {{{2, 3}, {1, 2, 3, 4, 5, 6}}, {{3}, {10, 20, 30}}},
                   {11, 22, 33, 14, 25, 36}});
  cases.push_back({"matmul 2x3 @ 3x2", "matmul", nullptr,
                   {{{2, 3}, {1, 2, 3, 4, 5, 6}}, {{3, 2}, {1, 0, 0, 1, 1, 1}}},
                   {1 + 3, 2 + 3, 4 + 6, 5 + 6}});
  std::vector<float> soft(3);
  const double denominator = std::exp(-2.0) + std::exp(-1.0) + 1.0;
  for (int i = 0; i < 3; ++i) soft[static_cast<size_t>(i)] = static_cast<float>(std::exp(i - 2.0) / denominator);
  cases.push_back({"softmax", "softmax", &softmax, {{{3}, {1, 2, 3}}}, soft});
  cases.push_back({"reduce_sum over axis 1", "reduce_sum", &reduce, {{{2, 3}, {1, 2, 3, 4, 5, 6}}}, {6, 15}});
  return cases;
}

}  // namespace

int run_demo(const GlobalOptions& options) {
  Runtime runtime = Runtime::create(options.runtime);
  const std::vector<Device> devices = runtime.devices();
  if (devices.empty()) {
    std::fprintf(stderr, "keel demo: no devices (see `keel plugins`)\n");
    return kExitFailure;
  }
  nlohmann::json report = nlohmann::json::array();
  bool failed = false;
  for (const Device& device : devices) {
    if (!options.json) std::printf("%s (%s)\n", device.name().c_str(), device.properties().name);
    for (const DemoCase& demo : demo_cases()) {
      std::vector<float> result;
      std::string outcome;
      try {
        outcome = run_case(device, demo, &result);
      } catch (const Error& error) {
        outcome = std::string("error: ") + error.what();
      }
      failed = failed || !(outcome == "ok" || outcome.starts_with("unsupported"));
      if (options.json) {
        report.push_back({{"device", device.name()}, {"case", demo.title}, {"outcome", outcome}, {"result", result}});
      } else {
        std::printf("  %-24s %-8s %s\n", demo.title, outcome.c_str(), result.empty() ? "" : values_text(result).c_str());
      }
    }
  }
  if (options.json) print_json({{"demo", report}});
  return failed ? kExitFailure : kExitOk;
}

}  // namespace keel::cli
