// The suite against the fault-injection plugin: with no fault it reports what it reports for the
// reference plugin; with one fault it reports exactly the cases that fault touches — failed, crashed or
// timed out — and every other case as before. A crash and a hang lose no other result.
//
// Operator faults target operators no composite decomposition calls: the core lowers a composite the
// plugin lacks into such calls, which would carry the fault to cases whose outcome then depends on data.
#include <gtest/gtest.h>

#include <filesystem>

#include "layers/graph/onnx_node_cases.h"
#include "layers/graph/onnx_node_list.h"
#include "suite_runner.h"

namespace keel::conform::test {
namespace {

// A full run of the faulty plugin with these faults (and extra arguments).
SuiteRun run_faulty(const std::string& name, const std::vector<std::string>& faults,
                    const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = {"--plugin", KEEL_FAULTY_PLUGIN};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_suite(name, args, faulty_config(name, faults));
}

bool is_op_case(const CaseSpec& spec, const char* op, const char* dtype_label) {
  return spec.call && std::string(spec.call->op->name) == op && spec.call->dtype_label == dtype_label;
}

// A graph case that passes on the reference plugin and whose imported graph calls `op` in f32: its list entry
// names the operator and its profile is Core-Inference (every tensor in core dtypes, where f32 is the only
// float). None when the graph layer cannot run here (every graph case is then not_run).
bool graph_case_runs_in_f32(const CaseSpec& spec, const char* op) {
  if (spec.layer != Layer::kGraph || !onnx_import_unavailable_reason().empty() ||
      !std::filesystem::is_directory(onnx_node_test_root())) {
    return false;
  }
  for (const OnnxNodeEntry& entry : committed_onnx_node_list().entries) {
    if (spec.id == std::string(kOnnxCasePrefix) + entry.test) {
      return entry.reference == kMustPassNote && entry.profile == Profile::kCoreInference && entry.uses(op);
    }
  }
  return false;
}

TEST(FaultyPlugin, FaultTargetsAreLeavesOfTheSpec) {
  for (const char* op : {"softmax", "reciprocal", "rng_normal", "fmod", "remainder"}) {
    EXPECT_FALSE(used_by_decompositions(op)) << op << " is called by a decomposition: pick another fault target";
  }
}

TEST(FaultyPlugin, WithoutFaultsItMatchesTheReference) {
  const SuiteRun faulty = run_faulty("faulty-none", {});
  const SuiteRun reference = run_suite("faulty-none-reference", {"--plugin", KEEL_REFERENCE_PLUGIN});
  ASSERT_FALSE(reference.lines.empty()) << reference.output;
  EXPECT_EQ(faulty.report["plugin"]["name"], "faulty") << faulty.output;
  expect_exactly(faulty, reference, {}, "");
}

TEST(FaultyPlugin, WrongValuesFailExactlyThatOperatorAndDtype) {
  const SuiteRun baseline = run_faulty("wrong-values-baseline", {});
  const SuiteRun run = run_faulty("wrong-values", {"wrong_values softmax f32"});
  // The operator's f32 cases, the gradient checks of every operator whose derivatives run softmax, and the
  // ONNX node tests whose graphs run softmax in f32.
  const std::set<std::string> expected = catalog_ids([](const CaseSpec& spec) {
    if (spec.layer == Layer::kAutograd) return derivatives_reach(spec.op->name, "softmax");
    if (spec.layer == Layer::kGraph) return graph_case_runs_in_f32(spec, "softmax");
    return spec.layer == Layer::kOps && is_op_case(spec, "softmax", "f32") && has_elements(spec);
  });
  EXPECT_TRUE(expected.count("autograd.softmax.f32.vjp") && expected.count("autograd.cross_entropy.f32.vjp"));
  if (onnx_import_unavailable_reason().empty() && std::filesystem::is_directory(onnx_node_test_root())) {
    EXPECT_TRUE(expected.count("graph.onnx.test_softmax_axis_1"));
  }
  expect_exactly(run, baseline, expected, "fail");
  EXPECT_NE(run.exit_code, 0);
}

TEST(FaultyPlugin, ResultsJustOutsideTheToleranceFailAndJustInsidePass) {
  // reciprocal allows 1 ulp: 2 ulps off is outside. rng_normal allows 8 ulps: 1 ulp off stays inside.
  const std::vector<std::string> filter = {
      "--filter", "^ops\\.(reciprocal|rng_normal)\\..*\\.(dense|offset|strided|reversed|transposed|broadcast)$"};
  const SuiteRun baseline = run_faulty("ulp-shift-baseline", {}, filter);
  const SuiteRun run = run_faulty("ulp-shift", {"ulp_shift reciprocal * 2", "ulp_shift rng_normal * 1"}, filter);
  const std::set<std::string> expected = catalog_ids([](const CaseSpec& spec) {
    if (!spec.call || std::string(spec.call->op->name) != "reciprocal" || !has_elements(spec)) return false;
    const keel_dtype_t dtype = spec.call->outputs[0].dtype;
    return dtype == KEEL_DTYPE_F32 || dtype == KEEL_DTYPE_F64;
  });
  expect_exactly(run, baseline, expected, "fail");
  size_t inside = 0;
  for (const auto& [id, line] : run.lines) {
    if (id.rfind("ops.rng_normal.", 0) == 0) {
      ++inside;
      EXPECT_EQ(line.value("outcome", ""), "pass") << line.dump();
    }
    if (expected.count(id)) {
      EXPECT_GE(line.value("max_ulp", 0.0), 1.5) << line.dump();
    }
  }
  EXPECT_GT(inside, 0u);
}

TEST(FaultyPlugin, ACrashIsRecordedAndLosesNoOtherResult) {
  const SuiteRun baseline = run_faulty("crash-baseline", {});
  const SuiteRun run = run_faulty("crash", {"crash fmod i32"});
  const std::set<std::string> expected =
      catalog_ids([](const CaseSpec& spec) { return is_op_case(spec, "fmod", "i32"); });
  expect_exactly(run, baseline, expected, "crashed");
  for (const std::string& id : expected) {
    if (run.lines.count(id)) {
      EXPECT_NE(run.lines.at(id).value("reason", "").find("the worker"), std::string::npos);
    }
  }
}

TEST(FaultyPlugin, AHangIsTimedOutAndLosesNoOtherResult) {
  // Dense and strided views only, to keep the time spent waiting for hung cases short.
  const std::vector<std::string> limits = {
      "--filter", "^(ops|determinism)\\.(remainder|fmod)\\.[^.]+\\.s[0-9]+(\\.dense|\\.strided)?$", "--case-timeout", "2"};
  const SuiteRun baseline = run_faulty("hang-baseline", {}, limits);
  const SuiteRun run = run_faulty("hang", {"hang remainder i64"}, limits);
  std::set<std::string> expected =
      catalog_ids([](const CaseSpec& spec) { return is_op_case(spec, "remainder", "i64"); });
  std::erase_if(expected, [&](const std::string& id) { return !baseline.lines.count(id); });  // outside the filter
  expect_exactly(run, baseline, expected, "timed_out");
}

TEST(FaultyPlugin, WrongMemoryStatisticsFailTheStatisticsCase) {
  const SuiteRun baseline = run_faulty("stats-baseline", {});
  const SuiteRun run = run_faulty("stats", {"wrong_memory_stats"});
  expect_exactly(run, baseline, {"memory.stats"}, "fail");
}

TEST(FaultyPlugin, ALeakedBufferFailsTheLeakChecks) {
  const SuiteRun baseline = run_faulty("leak-baseline", {});
  const SuiteRun run = run_faulty("leak", {"leak_buffers"});
  expect_exactly(run, baseline, {"memory.leak", "stress.alloc_churn"}, "fail");
}

TEST(FaultyPlugin, AnEventThatNeverSignalsFailsTheCasesWaitingForIt) {
  const SuiteRun baseline = run_faulty("signal-baseline", {});
  const SuiteRun run = run_faulty("signal", {"never_signal"});
  expect_exactly(run, baseline,
                 {"runtime.queue_order", "runtime.cross_queue", "runtime.async_error", "stress.threads_queues"}, "fail");
}

TEST(FaultyPlugin, AMalformedConfigurationKeepsThePluginFromLoading) {
  const SuiteRun run = run_faulty("malformed", {"explode everything"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.output.find("unknown fault"), std::string::npos) << run.output;
}

TEST(FaultyPlugin, DiscoveryNeverFindsIt) {
  std::string output;
  ASSERT_EQ(run_keel({"plugins"}, &output, "KEEL_FAULTY_CONFIG=/dev/null"), 0) << output;
  EXPECT_EQ(output.find("faulty"), std::string::npos) << output;
  EXPECT_NE(output.find("reference"), std::string::npos) << output;
}

}  // namespace
}  // namespace keel::conform::test
