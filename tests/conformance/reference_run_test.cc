// Whole runs of `keel conform` on the reference plugin: it passes every profile it claims, the certificate
// verifies, every case streams one result line, and --quick is the documented subset.
#include <gtest/gtest.h>

#include <filesystem>

#include "layers/graph/onnx_node_cases.h"
#include "layers/graph/onnx_node_list.h"
#include "model/catalog.h"
#include "suite_runner.h"

namespace keel::conform::test {
namespace {

// Why the graph layer's must-pass cases cannot run here (they report not_run), or "".
std::string graph_layer_unavailable() {
  if (std::string reason = onnx_import_unavailable_reason(); !reason.empty()) return reason;
  if (!std::filesystem::is_directory(onnx_node_test_root())) return onnx_node_test_root() + " is missing";
  return "";
}

TEST(ReferenceRun, PassesEveryProfileItClaims) {
  if (const std::string reason = graph_layer_unavailable(); !reason.empty()) {
    GTEST_SKIP() << "the graph layer's must-pass cases cannot run (" << reason << "), so no profile can pass";
  }
  const SuiteRun run = run_suite("reference-full", {"--plugin", KEEL_REFERENCE_PLUGIN});
  ASSERT_TRUE(run.report.is_object()) << run.output;
  std::set<std::string> judged;
  for (const nlohmann::json& profile : run.report["profiles"]) {
    judged.insert(profile["name"].get<std::string>());
    EXPECT_EQ(profile["verdict"], "pass") << profile["name"] << ": " << profile["reason"];
  }
  // The reference plugin implements every dtype of the spec, so it claims every profile.
  EXPECT_EQ(judged, (std::set<std::string>{"Base", "Core-Inference", "Core-Training", "FP16", "BF16", "FP64"}));
  EXPECT_EQ(run.exit_code, 0) << run.output;
}

TEST(ReferenceRun, NoCaseFailsCrashesOrHangs) {
  const SuiteRun run = run_suite("reference-clean", {"--plugin", KEEL_REFERENCE_PLUGIN});
  ASSERT_FALSE(run.lines.empty()) << run.output;
  for (const auto& [id, line] : run.lines) {
    const std::string outcome = line.value("outcome", "");
    EXPECT_TRUE(outcome == "pass" || outcome == "unsupported" || outcome == "not_run") << line.dump();
  }
}

TEST(ReferenceRun, TheCertificateVerifiesAndMatchesTheStream) {
  const SuiteRun run = run_suite("reference-verify", {"--plugin", KEEL_REFERENCE_PLUGIN});
  ASSERT_TRUE(run.report.is_object()) << run.output;
  EXPECT_EQ(run.report["cases"].size(), run.lines.size());
  EXPECT_EQ(run.report["run"]["complete"], true);
  EXPECT_EQ(run.report["plugin"]["name"], "reference");
  std::string output;
  EXPECT_EQ(run_keel({"conform", "--verify", run.out_dir + "/report.json"}, &output), 0) << output;
  EXPECT_TRUE(std::filesystem::exists(run.out_dir + "/report.md"));
  EXPECT_NE(output.find("verifies"), std::string::npos) << output;
}

TEST(ReferenceRun, EveryAutogradCaseRunsAndPasses) {
  const SuiteRun run = run_suite("reference-autograd", {"--plugin", KEEL_REFERENCE_PLUGIN, "--filter", "^autograd\\."});
  const std::set<std::string> expected = catalog_ids([](const CaseSpec& spec) { return spec.layer == Layer::kAutograd; });
  EXPECT_GE(expected.size(), 160u);  // vjp and jvp of every operator the spec differentiates
  EXPECT_EQ(run.lines.size(), expected.size()) << run.output;
  for (const std::string& id : expected) {
    EXPECT_EQ(run.outcome(id), "pass") << id << ": " << (run.lines.count(id) ? run.lines.at(id).dump() : "no result");
  }
}

// Every ONNX node test of the committed list does on the reference plugin what the list says: passes, or is
// unsupported for the listed reason.
TEST(ReferenceRun, EveryGraphCaseDoesWhatTheListSays) {
  const SuiteRun run = run_suite("reference-graph", {"--plugin", KEEL_REFERENCE_PLUGIN, "--filter", "^graph\\."});
  const OnnxNodeList& list = committed_onnx_node_list();
  EXPECT_EQ(run.lines.size(), list.entries.size()) << run.output;
  const std::string unavailable = graph_layer_unavailable();
  for (const OnnxNodeEntry& entry : list.entries) {
    const std::string id = std::string(kOnnxCasePrefix) + entry.test;
    const std::string what = id + ": " + (run.lines.count(id) ? run.lines.at(id).dump() : "no result");
    if (!unavailable.empty()) {
      EXPECT_EQ(run.outcome(id), "not_run") << what;
      continue;
    }
    if (entry.reference == kMustPassNote) {
      EXPECT_EQ(run.outcome(id), "pass") << what;
      continue;
    }
    EXPECT_EQ(run.outcome(id), "unsupported") << what;
    // The listed reason is the run's, cut to one field.
    std::string listed = entry.reference.substr(std::string_view("unsupported: ").size());
    if (listed.ends_with("...")) listed.resize(listed.size() - 3);
    const std::string reason = list_field(run.lines.count(id) ? run.lines.at(id).value("reason", "") : "");
    EXPECT_NE(reason.find(listed.substr(0, 100)), std::string::npos) << what << "\nlisted: " << listed;
  }
}

TEST(ReferenceRun, QuickIsTheDocumentedSubset) {
  const SuiteRun run = run_suite("reference-quick", {"--plugin", KEEL_REFERENCE_PLUGIN, "--quick"});
  ASSERT_TRUE(run.report.is_object()) << run.output;
  EXPECT_EQ(run.report["run"]["mode"], "quick");
  EXPECT_EQ(run.report["run"]["complete"], false);
  size_t expected = 0;
  for (const CaseSpec& spec : all_cases()) {  // every profile: the reference claims them all
    EXPECT_EQ(run.lines.count(spec.id) > 0, spec.quick) << spec.id;
    expected += spec.quick ? 1 : 0;
  }
  EXPECT_EQ(run.lines.size(), expected);
  std::string output;
  EXPECT_EQ(run_keel({"conform", "--verify", run.out_dir + "/report.json"}, &output), 0) << output;
}

TEST(ReferenceRun, AnExplicitProfileRunsOnlyItAndWhatItRequires) {
  const SuiteRun run = run_suite("reference-base", {"--plugin", KEEL_REFERENCE_PLUGIN, "--profile", "Base"});
  ASSERT_TRUE(run.report.is_object()) << run.output;
  ASSERT_EQ(run.report["profiles"].size(), 1u);
  EXPECT_EQ(run.report["profiles"][0]["name"], "Base");
  for (const auto& [id, line] : run.lines) { EXPECT_EQ(line.value("profile", ""), "Base") << id; }
  EXPECT_EQ(run.exit_code, 0) << run.output;
}

TEST(ReferenceRun, BadArgumentsAreUsageErrors) {
  std::string output;
  EXPECT_EQ(run_keel({"conform", "--plugin", KEEL_REFERENCE_PLUGIN, "--profile", "INT4"}, &output), 2) << output;
  EXPECT_EQ(run_keel({"conform", "--plugin", KEEL_REFERENCE_PLUGIN, "--filter", "("}, &output), 2) << output;
  EXPECT_EQ(run_keel({"conform", "--jobs", "0", "--plugin", KEEL_REFERENCE_PLUGIN}, &output), 2) << output;
  EXPECT_EQ(run_keel({"conform"}, &output), 2) << output;
  EXPECT_EQ(run_keel({"conform", "--plugin", "no_such_plugin_anywhere", "--out", scratch_path("missing")}, &output), 1)
      << output;
  EXPECT_NE(output.find("no_such_plugin_anywhere"), std::string::npos) << output;
}

}  // namespace
}  // namespace keel::conform::test
