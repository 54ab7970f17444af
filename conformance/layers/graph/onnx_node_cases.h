// Running the graph layer's ONNX node tests. Two builds of this interface: onnx_node_cases.cc where the
// ONNX importer (keel_onnx) is built, onnx_node_cases_unavailable.cc where it is not (CMake picks one).
#pragma once

#include <string>

#include "keel/keel.hpp"
#include "model/case.h"

namespace keel::conform {

inline constexpr std::string_view kOnnxCasePrefix = "graph.onnx.";

// "" when this build imports ONNX models, else why it does not.
std::string onnx_import_unavailable_reason();

// graph.onnx.<test>: imports the test's model, runs it on the device under test with no placement fallback
// and compares with the test's expected outputs (ONNX backend tolerances). not_run when the test data is
// not installed or ONNX import is not built.
CaseResult run_onnx_node_case(WorkerContext& context, const CaseSpec& spec);

// The list file (onnx_node_list.h) for every node test under `root`, run on `device` of `runtime` with no
// fallback. Throws std::runtime_error when ONNX import is not built.
std::string generate_onnx_node_list(const Runtime& runtime, const std::string& device, const std::string& root);

// Where the node tests are installed (Debian's libonnx-testdata).
std::string onnx_node_test_root();

}  // namespace keel::conform
