// bench_frontend: the C++ front end's per-call and training-step costs, each case compared with the
// published libtorch / PyTorch number for the same work (anchors.cc). Runs the Google Benchmark suite, then
// prints the ratio table.
#include <benchmark/benchmark.h>

#include <cstdio>

#include "anchors.h"
#include "session.h"

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  keel::bench::configure_runtime();
  keel::bench::AnchorReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  if (!reporter.print_table()) std::printf("Some targets were missed (MISSED above).\n");
  return 0;
}
