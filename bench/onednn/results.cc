#include "results.h"

#include <cstdio>
#include <optional>

namespace keel::bench {

std::map<std::string, Measurement>& results() {
  static std::map<std::string, Measurement> table;
  return table;
}

void RecordingReporter::ReportRuns(const std::vector<Run>& runs) {
  ConsoleReporter::ReportRuns(runs);
  for (const Run& run : runs) {
    if (run.error_occurred) continue;
    // With repetitions only the median aggregate is kept; a single run is its own median.
    const bool median = run.run_type == Run::RT_Aggregate && run.aggregate_name == "median";
    if (run.run_type == Run::RT_Aggregate && !median) continue;
    Measurement m;
    m.real_ns = run.GetAdjustedRealTime();  // the benchmarks all report in nanoseconds
    for (const auto& [name, counter] : run.counters) m.counters[name] = counter.value;
    const std::string& args = run.run_name.args;
    results()[run.run_name.function_name + (args.empty() ? "" : "/" + args)] = m;
  }
}

namespace {

std::optional<double> counter(const std::string& benchmark, const std::string& name) {
  const auto it = results().find(benchmark);
  if (it == results().end()) return std::nullopt;
  const auto c = it->second.counters.find(name);
  if (c == it->second.counters.end()) return std::nullopt;
  return c->second;
}

std::optional<double> time_ns(const std::string& benchmark) {
  const auto it = results().find(benchmark);
  if (it == results().end()) return std::nullopt;
  return it->second.real_ns;
}

struct Row {
  std::string what;
  std::optional<double> keel;
  std::optional<double> anchor;
  const char* unit;
  bool ratio;        // print keel / anchor; otherwise keel is the value
  double target;     // ratio >= target, or value <= target
  const char* target_text;
};

}  // namespace

bool print_ratio_table() {
  std::vector<Row> rows;
  for (const int n : {256, 1024, 2048}) {
    const std::string size = std::to_string(n);
    rows.push_back({"SGEMM " + size + "^3 (GFLOP/s)", counter("BM_Sgemm_Keel/" + size + "", "GFLOP/s"),
                    counter("BM_Sgemm_Direct/" + size + "", "GFLOP/s"), "GFLOP/s", true,
                    n == 2048 ? 0.95 : 0.0, n == 2048 ? ">= 0.95x direct" : "(reported)"});
  }
  rows.push_back({"conv 3x3 N32 C=K=64 56x56, NCHW (GFLOP/s)", counter("BM_Conv_Keel", "GFLOP/s"),
                  counter("BM_Conv_Direct_nchw", "GFLOP/s"), "GFLOP/s", true, 0.95,
                  ">= 0.95x direct (same NCHW tensors)"});
  rows.push_back({"conv, channels-last views (GFLOP/s)", counter("BM_Conv_Keel_nhwc", "GFLOP/s"),
                  counter("BM_Conv_Direct_blocked", "GFLOP/s"), "GFLOP/s", true, 0.0,
                  "vs direct blocked (oneDNN's best case)"});
  rows.push_back({"add 16M f32 (GB/s) vs copy", counter("BM_Add16M_Keel", "GB/s"),
                  counter("BM_Copy16M_Bandwidth", "GB/s"), "GB/s", true, 0.8, ">= 0.8x copy"});
  rows.push_back({"dispatch: 1-element add, run + sync (ns)", time_ns("BM_Dispatch_Add1"), std::nullopt,
                  "ns", false, 130, "<= 130 ns"});
  rows.push_back({"plugin load, fresh process (ms)", counter("BM_PluginLoad_FreshProcess", "load_ms"),
                  std::nullopt, "ms", false, 10, "<= 10 ms"});
  rows.push_back({"plugin load, libdnnl already mapped (ms)", counter("BM_PluginLoad_Warm", "load_ms"),
                  std::nullopt, "ms", false, 10, "(reported)"});

  bool all_met = true;
  std::printf("\n%-46s %12s %12s %9s  %s\n", "benchmark", "keel", "anchor", "ratio", "target");
  std::printf("%s\n", std::string(110, '-').c_str());
  for (const Row& row : rows) {
    if (!row.keel) {
      std::printf("%-46s %12s %12s %9s  %s\n", row.what.c_str(), "n/a", "", "", "not measured (see above)");
      continue;
    }
    if (row.ratio) {
      if (!row.anchor) {
        std::printf("%-46s %12.2f %12s %9s  %s\n", row.what.c_str(), *row.keel, "n/a", "", row.target_text);
        continue;
      }
      const double ratio = *row.keel / *row.anchor;
      const bool met = ratio >= row.target;
      all_met = all_met && met;
      std::printf("%-46s %12.2f %12.2f %8.3fx  %s %s\n", row.what.c_str(), *row.keel, *row.anchor, ratio,
                  row.target_text, row.target > 0 ? (met ? "MET" : "MISSED") : "");
    } else {
      const bool met = *row.keel <= row.target;
      all_met = all_met && (met || std::string(row.target_text) == "(reported)");
      std::printf("%-46s %12.3f %12s %9s  %s %s\n", row.what.c_str(), *row.keel, "", "", row.target_text,
                  std::string(row.target_text) == "(reported)" ? "" : (met ? "MET" : "MISSED"));
    }
  }
  return all_met;
}

}  // namespace keel::bench
