#include "onnx/node_tests.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>
#include <sstream>

#include "graph/exec/executor.h"
#include "graph/ir/errors.h"
#include "graph/passes/pipeline.h"
#include "graph/serialize/graph_file.h"
#include "graph/validate/validator.h"
#include "onnx/onnx_import.h"
#include "onnx/tensor_proto.h"

namespace keel::onnx_import {
namespace {

namespace fs = std::filesystem;

// input_0.pb, input_1.pb, ... (or output_N.pb) of the test's first data set.
std::vector<graph::HostTensor> read_data_set(const fs::path& test_dir, const std::string& prefix) {
  const fs::path data = test_dir / "test_data_set_0";
  std::vector<graph::HostTensor> tensors;
  for (size_t i = 0;; ++i) {
    const fs::path file = data / (prefix + std::to_string(i) + ".pb");
    if (!fs::exists(file)) return tensors;
    const std::vector<uint8_t> bytes = graph::read_file_bytes(file.string());
    tensors.push_back(tensor_from_proto_bytes(std::string(bytes.begin(), bytes.end()), file.filename().string()));
  }
}

bool close_enough(const graph::HostTensor& got, const graph::HostTensor& want, int64_t i) {
  if (!graph::is_float_dtype(want.dtype())) return got.get_int(i) == want.get_int(i);
  const double y = got.get(i), ref = want.get(i);
  if (std::isnan(ref)) return std::isnan(y);
  if (std::isinf(ref)) return y == ref;
  return std::abs(y - ref) <= kNodeTestAtol + kNodeTestRtol * std::abs(ref);
}

// "" when `got` matches `want`, else the first difference.
std::string first_difference(const graph::HostTensor& got, const graph::HostTensor& want) {
  if (got.dtype() != want.dtype()) {
    return std::string("dtype ") + graph::dtype_text(got.dtype()) + ", expected " + graph::dtype_text(want.dtype());
  }
  if (got.shape() != want.shape()) {
    return "shape " + graph::format_shape(got.shape()) + ", expected " + graph::format_shape(want.shape());
  }
  for (int64_t i = 0; i < want.numel(); ++i) {
    if (close_enough(got, want, i)) continue;
    std::ostringstream text;
    text.precision(9);
    text << "element " << i << " is " << got.get(i) << ", expected " << want.get(i);
    return text.str();
  }
  return "";
}

// Classifies an error of the optimize/execute stage: outside the spec (unsupported) or a failure.
NodeResult classify(const Error& error) {
  NodeResult result;
  result.detail = graph::error_text(error);
  // A dtype the spec does not allow for an operator (constraint C0), or test data in a dtype the spec
  // lacks, is outside the spec rather than a failure.
  const size_t rule = result.detail.rfind("): ");
  if (result.detail.find("constraint C0 violated") != std::string::npos && rule != std::string::npos) {
    result.outcome = NodeOutcome::kUnsupported;
    result.detail = "dtype outside the spec: " + result.detail.substr(rule + 3);
  } else if (error.code() == KEEL_STATUS_UNIMPLEMENTED) {
    result.outcome = NodeOutcome::kUnsupported;
  }
  return result;
}

NodeResult execute(const Runtime& runtime, const std::string& device, const fs::path& dir, graph::Graph g,
                   const NodeTestOptions& options) {
  const std::vector<graph::HostTensor> inputs = read_data_set(dir, "input_");
  const std::vector<graph::HostTensor> expected = read_data_set(dir, "output_");
  graph::PipelineOptions pipeline;
  pipeline.runtime = &runtime;
  pipeline.fold.device = device;  // constants fold on the device under test too
  graph::optimize(g, pipeline);
  graph::ExecutorOptions executor_options;
  executor_options.device = device;
  executor_options.allow_fallback = options.allow_fallback;
  executor_options.profile = false;
  executor_options.log = [](const std::string&) {};
  graph::Executor executor(runtime, std::move(g), executor_options);
  const std::vector<graph::HostTensor> outputs = executor.run(inputs);
  NodeResult result;
  if (outputs.size() != expected.size()) {
    result.detail = std::to_string(outputs.size()) + " outputs, expected " + std::to_string(expected.size());
    return result;
  }
  for (size_t i = 0; i < outputs.size(); ++i) {
    if (std::string diff = first_difference(outputs[i], expected[i]); !diff.empty()) {
      result.detail = "output " + std::to_string(i) + ": " + diff;
      return result;
    }
  }
  result.outcome = NodeOutcome::kPassed;
  return result;
}

}  // namespace

NodeResult run_node_test(const Runtime& runtime, const std::string& device, const std::string& dir,
                         const NodeTestOptions& options) {
  const fs::path path(dir);
  if (const char* reason = known_unsupported(path.filename().string())) return {NodeOutcome::kUnsupported, reason};
  graph::Graph g;
  try {
    g = import_onnx((path / "model.onnx").string());
  } catch (const Error& error) {
    return {error.code() == KEEL_STATUS_UNIMPLEMENTED ? NodeOutcome::kUnsupported : NodeOutcome::kFailed,
            "import: " + graph::error_text(error)};
  }
  try {
    return execute(runtime, device, path, std::move(g), options);
  } catch (const Error& error) {
    return classify(error);
  }
}

NodeTestContents inspect_node_test(const std::string& dir) {
  const fs::path path(dir);
  std::set<std::string> ops;
  std::set<keel_dtype_t> dtypes;
  try {
    graph::Graph g = import_onnx((path / "model.onnx").string());
    for (const graph::Node& node : g.nodes) ops.insert(node.op);
    try {
      graph::validate(g);  // infers the types the model leaves undeclared
    } catch (const Error&) {
      // Declared types only: the run reports why the graph does not validate.
    }
    for (const graph::Value& value : g.values) {
      if (value.type.known()) dtypes.insert(value.type.dtype);
    }
  } catch (const Error&) {
    // Not importable: the test data still tells the dtypes.
  }
  try {
    for (const char* prefix : {"input_", "output_"}) {
      for (const graph::HostTensor& t : read_data_set(path, prefix)) dtypes.insert(t.dtype());
    }
  } catch (const Error&) {
    // Test data in a dtype the spec lacks: nothing to add.
  }
  return {std::vector<std::string>(ops.begin(), ops.end()), std::vector<keel_dtype_t>(dtypes.begin(), dtypes.end())};
}

std::vector<std::string> list_node_tests(const std::string& root) {
  std::vector<std::string> tests;
  for (const fs::directory_entry& entry : fs::directory_iterator(root)) {
    if (entry.is_directory()) tests.push_back(entry.path().filename().string());
  }
  std::sort(tests.begin(), tests.end());
  return tests;
}

}  // namespace keel::onnx_import
