// Waivers in a real run: waived failures become expected_fail, a waived pass becomes xpass (and fails the
// profile), waivers for another plugin change nothing, and the certificate records and verifies them.
#include <gtest/gtest.h>

#include <fstream>

#include "suite_runner.h"

namespace keel::conform::test {
namespace {

std::string write_waivers(const std::string& name, const std::string& plugin) {
  const std::string path = scratch_path(name + ".waivers.json");
  std::ofstream(path, std::ios::trunc) << R"({"schema": "keel-conformance-waivers", "version": 1, "waivers": [
      {"plugin": ")" << plugin << R"(", "case": "ops.softmax.f32.*", "reason": "known: softmax on f32 is off", "tracking": "test"},
      {"plugin": ")" << plugin << R"(", "case": "memory.zero_init", "reason": "stale: this case passes"}]})";
  return path;
}

bool softmax_f32_with_elements(const CaseSpec& spec) {
  return spec.layer == Layer::kOps && spec.call && std::string(spec.call->op->name) == "softmax" &&
         spec.call->dtype_label == "f32" && has_elements(spec);
}

TEST(WaiverRun, WaivedFailuresAreExpectedAndWaivedPassesAreXpass) {
  const std::string name = "waivers";
  const SuiteRun run = run_suite(name, {"--plugin", KEEL_FAULTY_PLUGIN, "--waivers", write_waivers(name, "faulty")},
                                 faulty_config(name, {"wrong_values softmax f32"}));
  ASSERT_TRUE(run.report.is_object()) << run.output;
  const std::set<std::string> failing = catalog_ids(softmax_f32_with_elements);
  size_t waived = 0;
  for (const auto& [id, line] : run.lines) {
    if (failing.count(id)) {
      ++waived;
      EXPECT_EQ(line.value("outcome", ""), "expected_fail") << line.dump();
      EXPECT_EQ(line.value("raw_outcome", ""), "fail") << line.dump();
      EXPECT_EQ(line.value("waiver", ""), "known: softmax on f32 is off");
    } else if (id.rfind("ops.softmax.f32.", 0) == 0) {
      EXPECT_EQ(line.value("outcome", ""), "xpass") << "a zero-size softmax passes despite its waiver: " << line.dump();
    }
  }
  EXPECT_GT(waived, 0u);
  EXPECT_EQ(run.outcome("memory.zero_init"), "xpass");
  for (const nlohmann::json& profile : run.report["profiles"]) {
    if (profile["name"] == "Base") { EXPECT_EQ(profile["verdict"], "fail") << "an xpass fails its profile"; }
  }
  EXPECT_EQ(run.exit_code, 1);
  std::string output;
  EXPECT_EQ(run_keel({"conform", "--verify", run.out_dir + "/report.json"}, &output), 0) << output;
  EXPECT_EQ(run.report["run"]["waivers"]["entries"].size(), 2u);
}

TEST(WaiverRun, WaiversForAnotherPluginChangeNothing) {
  const std::string name = "waivers-other";
  const SuiteRun run = run_suite(name, {"--plugin", KEEL_FAULTY_PLUGIN, "--waivers", write_waivers(name, "onednn")},
                                 faulty_config(name, {"wrong_values softmax f32"}));
  for (const std::string& id : catalog_ids(softmax_f32_with_elements)) {
    if (run.lines.count(id)) { EXPECT_EQ(run.outcome(id), "fail") << id; }
  }
  EXPECT_EQ(run.outcome("memory.zero_init"), "pass");
}

TEST(WaiverRun, AWaiverWithoutAReasonIsRefused) {
  const std::string path = scratch_path("no-reason.waivers.json");
  std::ofstream(path, std::ios::trunc)
      << R"({"schema": "keel-conformance-waivers", "version": 1, "waivers": [{"plugin": "faulty", "case": "*"}]})";
  std::string output;
  EXPECT_EQ(run_keel({"conform", "--plugin", KEEL_REFERENCE_PLUGIN, "--waivers", path}, &output), 2);
  EXPECT_NE(output.find("reason"), std::string::npos) << output;
}

}  // namespace
}  // namespace keel::conform::test
