#include "node_test_runner.h"

#include <cmath>
#include <filesystem>
#include <sstream>
#include <vector>

#include "graph/exec/executor.h"
#include "graph/ir/errors.h"
#include "graph/passes/pipeline.h"
#include "graph/serialize/graph_file.h"
#include "onnx/onnx_import.h"
#include "onnx/tensor_proto.h"

namespace keel::onnx_import::testing {
namespace {

namespace fs = std::filesystem;

std::vector<graph::HostTensor> load_tensors(const fs::path& dir, const std::string& prefix) {
  std::vector<graph::HostTensor> out;
  for (size_t i = 0;; ++i) {
    const fs::path file = dir / (prefix + std::to_string(i) + ".pb");
    if (!fs::exists(file)) break;
    const std::vector<uint8_t> bytes = graph::read_file_bytes(file.string());
    out.push_back(tensor_from_proto_bytes(std::string(bytes.begin(), bytes.end()), file.filename().string()));
  }
  return out;
}

// "" when `got` matches `want`, else the first difference.
std::string compare(const graph::HostTensor& got, const graph::HostTensor& want) {
  if (got.dtype() != want.dtype()) {
    return std::string("dtype ") + graph::dtype_text(got.dtype()) + ", expected " + graph::dtype_text(want.dtype());
  }
  if (got.shape() != want.shape()) {
    return "shape " + graph::format_shape(got.shape()) + ", expected " + graph::format_shape(want.shape());
  }
  const bool exact = !graph::is_float_dtype(want.dtype());
  for (int64_t i = 0; i < want.numel(); ++i) {
    const double y = got.get(i), ref = want.get(i);
    bool ok;
    if (exact) {
      ok = got.get_int(i) == want.get_int(i);
    } else if (std::isnan(ref)) {
      ok = std::isnan(y);
    } else if (std::isinf(ref)) {
      ok = y == ref;
    } else {
      ok = std::abs(y - ref) <= kAtol + kRtol * std::abs(ref);
    }
    if (!ok) {
      std::ostringstream text;
      text.precision(9);
      text << "element " << i << " is " << y << ", expected " << ref;
      return text.str();
    }
  }
  return "";
}

}  // namespace

NodeResult run_node_test(const Runtime& runtime, const std::string& device, const std::string& dir) {
  NodeResult result;
  graph::Graph g;
  try {
    g = import_onnx((fs::path(dir) / "model.onnx").string());
  } catch (const Error& error) {
    result.outcome = error.code() == KEEL_STATUS_UNIMPLEMENTED ? NodeOutcome::kUnsupported : NodeOutcome::kFailed;
    result.detail = "import: " + graph::error_text(error);
    return result;
  }
  try {
    const fs::path data = fs::path(dir) / "test_data_set_0";
    const std::vector<graph::HostTensor> inputs = load_tensors(data, "input_");
    const std::vector<graph::HostTensor> expected = load_tensors(data, "output_");
    graph::PipelineOptions pipeline;
    pipeline.runtime = &runtime;
    pipeline.fold.device = device;
    graph::optimize(g, pipeline);
    graph::ExecutorOptions options;
    options.device = device;
    options.profile = false;
    options.log = [](const std::string&) {};
    graph::Executor executor(runtime, std::move(g), options);
    const std::vector<graph::HostTensor> outputs = executor.run(inputs);
    if (outputs.size() != expected.size()) {
      result.detail = std::to_string(outputs.size()) + " outputs, expected " + std::to_string(expected.size());
      return result;
    }
    for (size_t i = 0; i < outputs.size(); ++i) {
      const std::string diff = compare(outputs[i], expected[i]);
      if (!diff.empty()) {
        result.detail = "output " + std::to_string(i) + ": " + diff;
        return result;
      }
    }
    result.outcome = NodeOutcome::kPassed;
  } catch (const Error& error) {
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
  }
  return result;
}

}  // namespace keel::onnx_import::testing
