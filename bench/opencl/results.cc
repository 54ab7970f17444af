#include "results.h"

#include <cstdio>

namespace keel::bench {
namespace {

// "BM_vadd_keel/16777216_median" -> "BM_vadd_keel/16777216"
std::string base_name(const benchmark::BenchmarkReporter::Run& run) { return run.run_name.str(); }

}  // namespace

void ComparingReporter::ReportRuns(const std::vector<Run>& runs) {
  ConsoleReporter::ReportRuns(runs);
  for (const Run& run : runs) {
    if (run.error_occurred) continue;
    const bool median = run.run_type == Run::RT_Aggregate && run.aggregate_name == "median";
    const bool single = run.run_type == Run::RT_Iteration && run.repetitions <= 1;
    if (!median && !single) continue;
    const std::string name = base_name(run);
    seconds_[name] = run.GetAdjustedRealTime() / 1e9 *
                     (run.time_unit == benchmark::kMillisecond ? 1e6 : run.time_unit == benchmark::kMicrosecond ? 1e3 : 1);
    for (const auto& [key, counter] : run.counters) counters_[name][key] = counter.value;
  }
}

void ComparingReporter::print_summary() const {
  const auto find = [&](const std::string& prefix) -> const std::string* {
    for (const auto& [name, seconds] : seconds_) {
      if (name.rfind(prefix, 0) == 0) return &name;
    }
    return nullptr;
  };
  std::printf("\n== OpenCL plugin through Keel vs OpenCL called directly (medians) ==\n");
  const std::string* keel_vadd = find("BM_vadd_keel");
  const std::string* raw_vadd = find("BM_vadd_raw");
  if (keel_vadd != nullptr && raw_vadd != nullptr) {
    const double keel = seconds_.at(*keel_vadd);
    const double raw = seconds_.at(*raw_vadd);
    std::printf("vector add (16M f32)      Keel %8.3f ms   raw %8.3f ms   Keel speed = %.2fx raw (target >= 0.90)\n",
                keel * 1e3, raw * 1e3, raw / keel);
  }
  for (const char* mode : {"sync", "pipelined"}) {
    const std::string* keel = find(std::string("BM_launch_keel_") + mode);
    const std::string* raw = find(std::string("BM_launch_raw_") + mode);
    if (keel == nullptr || raw == nullptr) continue;
    std::printf("launch, %-9s         Keel %8.2f us   raw %8.2f us   overhead %+.2f us per launch\n", mode,
                seconds_.at(*keel) * 1e6, seconds_.at(*raw) * 1e6, (seconds_.at(*keel) - seconds_.at(*raw)) * 1e6);
  }
  for (const auto& [name, counters] : counters_) {
    if (name.rfind("BM_matmul", 0) != 0) continue;
    const auto flops = counters.find("GFLOP/s");
    if (flops != counters.end()) std::printf("%-32s %8.1f GFLOP/s\n", name.c_str(), flops->second);
  }
}

}  // namespace keel::bench
