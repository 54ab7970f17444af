// bench_onednn: every comparison of issue 6 in one binary. Runs the Google Benchmark suite (Keel and the
// anchor it is compared with back to back), then prints the table of ratios against the targets.
#include <benchmark/benchmark.h>

#include <cstdio>

#include "results.h"

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  keel::bench::RecordingReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  const bool met = keel::bench::print_ratio_table();
  std::printf("\n%s\n", met ? "All targets met." : "Some targets were missed (see MISSED above).");
  return 0;
}
