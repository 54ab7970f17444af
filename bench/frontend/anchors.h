// The published PyTorch / libtorch numbers each case is compared with (anchors.cc names their sources), and
// the reporter that prints the ratio table after the run.
#pragma once

#include <benchmark/benchmark.h>

#include <map>
#include <string>
#include <vector>

namespace keel::bench {

struct Anchor {
  const char* benchmark;  // the benchmark function it applies to (every argument and device of it)
  const char* what;
  double anchor_ns;  // the published time for the same work
  double target_ns;  // what this front end aims for
  const char* source;
};
const std::vector<Anchor>& anchors();

// The console reporter, also keeping each run's time (the median when repeated) or why it was skipped.
class AnchorReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override;
  // One row per recorded run that has an anchor: time, anchor / time, target, met or MISSED. Returns false
  // when a target was missed.
  bool print_table() const;

 private:
  struct Outcome {
    std::string function;
    double ns = 0;           // per iteration, on `clock`
    const char* clock = "";  // "cpu" (this thread) or "wall"
    std::string skipped;     // why, when the case could not run
  };
  std::map<std::string, Outcome> outcomes_;  // by full run name
};

}  // namespace keel::bench
