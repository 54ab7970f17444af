// ONNX backend node tests (a directory holding model.onnx and test_data_set_0/{input,output}_N.pb): running
// one through import, graph::optimize and the executor, and what its model uses. Shared by tests/onnx and
// the conformance suite's graph layer.
//
// Outputs are compared with the expected ones with ONNX's backend-test tolerances (floats:
// |y - ref| <= atol + rtol·|ref|; integers and bools exactly). A test is unsupported when the importer
// rejects the model as outside the spec (UNIMPLEMENTED), when a dtype outside an operator's spec is used,
// when no allowed device accepts a node, or when the table in node_test_exclusions.cc lists it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "keel/keel.hpp"

namespace keel::onnx_import {

// Where Debian's libonnx-testdata installs the node tests (ONNX 1.12).
inline constexpr const char* kNodeTestDir = "/usr/share/libonnx-testdata/data/node";

inline constexpr double kNodeTestRtol = 1e-3;
inline constexpr double kNodeTestAtol = 1e-5;

enum class NodeOutcome { kPassed, kUnsupported, kFailed };

struct NodeResult {
  NodeOutcome outcome = NodeOutcome::kFailed;
  std::string detail;  // why it is unsupported or failed
};

struct NodeTestOptions {
  // false: every node must run on `device`; a node it declines makes the test unsupported with the
  // executor's reason instead of moving to another loaded device.
  bool allow_fallback = true;
};

// Runs the test in `dir` on `device` (a device name of `runtime`). Never throws for a problem of the test
// itself: an unreadable model or data set is a failure with the reason.
NodeResult run_node_test(const Runtime& runtime, const std::string& device, const std::string& dir,
                         const NodeTestOptions& options = {});

// Why `test` (a directory name) cannot pass on the spec although the importer accepts it, or nullptr.
const char* known_unsupported(std::string_view test);

// What a node test uses, found without running it.
struct NodeTestContents {
  std::vector<std::string> ops;      // the spec operators of its imported graph, sorted, unique; empty when
                                     // the import fails
  std::vector<keel_dtype_t> dtypes;  // of every typed value of the graph and every test tensor; sorted, unique
};
NodeTestContents inspect_node_test(const std::string& dir);

// The test directories under `root`, sorted by name.
std::vector<std::string> list_node_tests(const std::string& root);

}  // namespace keel::onnx_import
