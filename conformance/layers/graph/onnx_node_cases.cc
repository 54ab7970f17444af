// The graph layer's ONNX node tests, with the ONNX importer: core/onnx/node_tests.h does the work.
#include <filesystem>
#include <vector>

#include "layers/graph/onnx_node_cases.h"
#include "layers/graph/onnx_node_list.h"
#include "onnx/node_tests.h"
#include "runner/worker_context.h"

namespace keel::conform {
namespace {

namespace fs = std::filesystem;

onnx_import::NodeResult run_without_fallback(const Runtime& runtime, const std::string& device, const fs::path& dir) {
  return onnx_import::run_node_test(runtime, device, dir.string(), {.allow_fallback = false});
}

// Why the test did not pass, without the test's directory, so the list does not depend on where it lives.
std::string reason_text(const onnx_import::NodeResult& run, const fs::path& dir) {
  std::string text = run.detail;
  const std::string prefix = dir.string() + "/";
  for (size_t at; (at = text.find(prefix)) != std::string::npos;) text.erase(at, prefix.size());
  return text;
}

}  // namespace

std::string onnx_import_unavailable_reason() { return ""; }

std::string onnx_node_test_root() { return onnx_import::kNodeTestDir; }

CaseResult run_onnx_node_case(WorkerContext& context, const CaseSpec& spec) {
  const std::string test = spec.id.substr(kOnnxCasePrefix.size());
  const fs::path dir = fs::path(onnx_node_test_root()) / test;
  if (!fs::is_directory(dir)) {
    CaseResult result;
    result.outcome = Outcome::kNotRun;
    result.reason = dir.string() + " is missing (the ONNX node tests come with the libonnx-testdata package)";
    return result;
  }
  const onnx_import::NodeResult run = run_without_fallback(context.runtime(), context.dut().name(), dir);
  switch (run.outcome) {
    case onnx_import::NodeOutcome::kPassed: return passed();
    case onnx_import::NodeOutcome::kUnsupported: return unsupported(test + ": " + reason_text(run, dir));
    case onnx_import::NodeOutcome::kFailed: break;
  }
  return failed(test + ": " + reason_text(run, dir));
}

std::string generate_onnx_node_list(const Runtime& runtime, const std::string& device, const std::string& root) {
  std::vector<OnnxNodeEntry> entries;
  for (const std::string& test : onnx_import::list_node_tests(root)) {
    const fs::path dir = fs::path(root) / test;
    const onnx_import::NodeTestContents contents = onnx_import::inspect_node_test(dir.string());
    const onnx_import::NodeResult run = run_without_fallback(runtime, device, dir);
    auto [profile, profile_text] = onnx_node_profile(contents.dtypes);
    std::string reference(kMustPassNote);
    if (run.outcome != onnx_import::NodeOutcome::kPassed) {
      reference = list_field(
          (run.outcome == onnx_import::NodeOutcome::kUnsupported ? "unsupported: " : "fails: ") + reason_text(run, dir));
    }
    entries.push_back({test, std::move(profile_text), profile, std::move(reference), contents.ops});
  }
  return render_onnx_node_list(entries);
}

}  // namespace keel::conform
