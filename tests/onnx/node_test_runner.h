// Runs one ONNX backend node test (a directory holding model.onnx and test_data_set_0/{input,output}_N.pb)
// through import, graph::optimize and the executor, and compares the outputs with the expected ones
// (floats: |y - ref| <= atol + rtol·|ref| with ONNX's backend-test tolerances; integers and bools exactly).
#pragma once

#include <string>

#include "keel/keel.hpp"

namespace keel::onnx_import::testing {

enum class NodeOutcome { kPassed, kUnsupported, kFailed };

struct NodeResult {
  NodeOutcome outcome = NodeOutcome::kFailed;
  std::string detail;  // why it is unsupported or failed
};

inline constexpr double kRtol = 1e-3;
inline constexpr double kAtol = 1e-5;

NodeResult run_node_test(const Runtime& runtime, const std::string& device, const std::string& dir);

}  // namespace keel::onnx_import::testing
