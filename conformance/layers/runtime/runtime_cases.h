// The runtime layer (Base): timeline events, queue ordering within and across queues, host callbacks, and
// the queue error-state rules of keel_plugin.h (asynchronous error propagation). Every wait has a time
// limit, so a device that never signals fails these cases instead of hanging them (a queue_wait that
// blocks forever is still caught by the runner's per-case time limit).
#pragma once

#include <vector>

#include "model/case.h"

namespace keel::conform {

void add_runtime_cases(std::vector<CaseSpec>& cases);

}  // namespace keel::conform
