// bench_opencl: Google Benchmark with a ratio table at the end. Repetitions default to 5 and the
// benchmarks run in random interleaved order, so drift on a shared machine hits both sides of a ratio alike;
// any --benchmark_* flag given on the command line wins.
#include <benchmark/benchmark.h>

#include <cstring>
#include <string>
#include <vector>

#include "results.h"

int main(int argc, char** argv) {
  std::vector<char*> args(argv, argv + argc);
  bool repetitions_given = false;
  bool interleaving_given = false;
  for (int i = 1; i < argc; ++i) {
    repetitions_given |= std::strncmp(argv[i], "--benchmark_repetitions", 23) == 0;
    interleaving_given |= std::strncmp(argv[i], "--benchmark_enable_random_interleaving", 38) == 0;
  }
  std::string repetitions = "--benchmark_repetitions=5";
  std::string interleaving = "--benchmark_enable_random_interleaving=true";
  std::string aggregates = "--benchmark_report_aggregates_only=true";
  if (!repetitions_given) {
    args.push_back(repetitions.data());
    args.push_back(aggregates.data());
  }
  if (!interleaving_given) args.push_back(interleaving.data());
  int count = static_cast<int>(args.size());
  benchmark::Initialize(&count, args.data());
  if (benchmark::ReportUnrecognizedArguments(count, args.data())) return 1;
  keel::bench::ComparingReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.print_summary();
  benchmark::Shutdown();
  return 0;
}
