// The stress layer: several threads, each with its own queue, submitting at once; allocation churn from
// several threads; operators run concurrently on several queues (which must give the single-queue bits).
#pragma once

#include <vector>

#include "model/case.h"

namespace keel::conform {

void add_stress_cases(std::vector<CaseSpec>& cases);

}  // namespace keel::conform
