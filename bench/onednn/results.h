// Collects the medians of every benchmark as they are reported, so that main() can print the ratio table
// (Keel against direct oneDNN, add against copy bandwidth) after the run.
#pragma once

#include <map>
#include <string>

#include <benchmark/benchmark.h>

namespace keel::bench {

struct Measurement {
  double real_ns = 0;                       // median real time per iteration
  std::map<std::string, double> counters;  // median counter values (rates already divided out)
};

// Benchmark function name plus "/<args>" when it has arguments -> its median.
std::map<std::string, Measurement>& results();

// The console reporter, also recording medians into results().
class RecordingReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override;
};

// Prints the table of ratios and targets from results(); returns false when a target was missed.
bool print_ratio_table();

}  // namespace keel::bench
