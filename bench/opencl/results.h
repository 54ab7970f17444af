// Collects the median time of every benchmark of the run and prints the comparison table at the end.
#pragma once

#include <benchmark/benchmark.h>

#include <map>
#include <string>
#include <vector>

namespace keel::bench {

class ComparingReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override;
  // The ratio table: vector add and launches (Keel against raw OpenCL), matmul GFLOP/s.
  void print_summary() const;

 private:
  // Seconds per iteration (median over repetitions, or the single run), and the counters, by benchmark name.
  std::map<std::string, double> seconds_;
  std::map<std::string, std::map<std::string, double>> counters_;
};

}  // namespace keel::bench
