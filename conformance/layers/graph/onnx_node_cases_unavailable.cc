// The graph layer's ONNX node tests in a build without the ONNX importer: the cases still exist (from the
// committed list, so the must-pass lists stay the same) and report not_run.
#include <stdexcept>

#include "layers/graph/onnx_node_cases.h"

namespace keel::conform {

std::string onnx_import_unavailable_reason() {
  return "ONNX import not built (the ONNX and protobuf development packages were not found at configure time)";
}

CaseResult run_onnx_node_case(WorkerContext& /*context*/, const CaseSpec& /*spec*/) {
  CaseResult result;
  result.outcome = Outcome::kNotRun;
  result.reason = onnx_import_unavailable_reason();
  return result;
}

std::string generate_onnx_node_list(const Runtime& /*runtime*/, const std::string& /*device*/,
                                    const std::string& /*root*/) {
  throw std::runtime_error(onnx_import_unavailable_reason());
}

std::string onnx_node_test_root() { return "/usr/share/libonnx-testdata/data/node"; }

}  // namespace keel::conform
