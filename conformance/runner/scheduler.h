// Runs cases in worker processes: --jobs workers in parallel, one case at a time each, a group's cases in
// order on one worker. A worker that dies mid-case gets that case recorded as crashed; one that runs past
// the case's time limit is killed and the case recorded as timed_out; either way a new worker takes over
// at the next case, so nothing else is lost.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "model/case.h"

namespace keel::conform {

struct SchedulerOptions {
  std::vector<std::string> worker_argv;  // the command line that starts a worker
  std::string log_dir;                   // worker-<n>.log files go here
  int jobs = 2;
  double case_timeout_s = 60;            // multiplied by each case's timeout_scale
  double startup_timeout_s = 60;         // for a worker to report READY
};

// Called in the parent for every case as it finishes (in completion order).
using ResultSink = std::function<void(const CaseSpec& spec, const CaseResult& result)>;

// Throws std::runtime_error when a worker cannot start (it reported FATAL, died or hung before READY).
void run_cases(const SchedulerOptions& options, const std::vector<const CaseSpec*>& cases, const ResultSink& sink);

}  // namespace keel::conform
