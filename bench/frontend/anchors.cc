#include "anchors.h"

#include <cstdio>
#include <string_view>

namespace keel::bench {

// Sources: ../shared/reference/perf-baseline.md (beside the repository), measured on this machine class
// (2-core AMD EPYC):
//   §4 "Per-op overhead": libtorch 1.13 C++ (`aten_dispatch`), torch.add of two 1-element CPU tensors that
//      allocates its output: 646 ns median; autograd `y = (a*b).sum()` with n = 1, forward + backward: 12770 ns.
//   §5 "Training steps": PyTorch CPU fp32 MLP 784-1024-1024-10, ReLU, cross-entropy, batch 256, SGD lr 0.01,
//      one thread (Debian's default, and its fastest setting here): 16.0 ms per step (about 2.45 GFLOP).
// The targets are the ones the front end was given: <= 200 ns, <= 6.4 us (half of libtorch), <= 13 ms.
const std::vector<Anchor>& anchors() {
  static const std::vector<Anchor> table = {
      {"BM_EagerAdd", "eager add, 1-element f32", 646, 200, "libtorch torch::add, perf-baseline §4"},
      {"BM_AutogradMulSum", "autograd (a*b).sum(), n=1, fwd+bwd", 12770, 6400, "libtorch, perf-baseline §4"},
      {"BM_AutogradTanhLayer", "autograd sum(tanh(Wx+b)*v), 8x8, fwd+bwd", 12770, 6400,
       "libtorch (a*b).sum() n=1, perf-baseline §4"},
      {"BM_MlpSgdStep", "MLP 784-1024-1024-10 b256 SGD step", 16.0e6, 13.0e6, "PyTorch 1 thread, perf-baseline §5"},
  };
  return table;
}

void AnchorReporter::ReportRuns(const std::vector<Run>& runs) {
  ConsoleReporter::ReportRuns(runs);
  for (const Run& run : runs) {
    // With repetitions only the median aggregate counts; a single run stands for itself.
    if (run.run_type == Run::RT_Aggregate && run.aggregate_name != "median") continue;
    Outcome& outcome = outcomes_[run.run_name.str()];
    outcome.function = run.run_name.function_name;
    if (run.error_occurred) {
      outcome.skipped = run.error_message;
      continue;
    }
    // Single-threaded cases count this thread's CPU time, so other processes on the 2 shared cores do not
    // inflate them; cases with worker threads (UseRealTime) count wall time.
    const bool wall = !run.run_name.time_type.empty();  // "real_time" (or "manual_time")
    const double time = wall ? run.GetAdjustedRealTime() : run.GetAdjustedCPUTime();
    outcome.ns = time * 1e9 / benchmark::GetTimeUnitMultiplier(run.time_unit);
    outcome.clock = wall ? "wall" : "cpu";
  }
}

bool AnchorReporter::print_table() const {
  bool met = true;
  if (outcomes_.empty()) return met;  // nothing ran (--benchmark_list_tests, or a filter that matched none)
  std::printf("\n%-44s %-40s %17s %12s %9s %12s\n", "case", "what", "keel", "anchor", "speed-up", "target");
  for (const auto& [name, outcome] : outcomes_) {
    for (const Anchor& a : anchors()) {
      // BENCHMARK_CAPTURE names the function "<benchmark>/<capture>".
      const std::string_view function = outcome.function;
      if (function.substr(0, function.find('/')) != a.benchmark) continue;
      if (!outcome.skipped.empty()) {
        std::printf("%-44s skipped: %s\n", name.c_str(), outcome.skipped.c_str());
        continue;
      }
      const bool ok = outcome.ns <= a.target_ns;
      met = met && ok;
      std::printf("%-44s %-40s %10.3f us %-4s %10.3f us %8.2fx %10.3f us %s\n", name.c_str(), a.what, outcome.ns / 1e3,
                  outcome.clock, a.anchor_ns / 1e3, a.anchor_ns / outcome.ns, a.target_ns / 1e3, ok ? "met" : "MISSED");
    }
  }
  std::printf("(speed-up = anchor / keel; anchors: %s)\n", "../shared/reference/perf-baseline.md §4, §5");
  return met;
}

}  // namespace keel::bench
