// The worker side of `keel conform`: `keel conform --worker --plugin PATH --reference PATH [--device N]
// [--quick]`. Loads both plugins, reports READY, then runs the cases the parent names, one at a time.
#pragma once

#include "runner/worker_context.h"

namespace keel::conform {

int run_worker(const WorkerOptions& options);

}  // namespace keel::conform
