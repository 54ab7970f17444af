// The determinism layer: an operator the spec marks deterministic gives the same bits when a call is
// repeated on the device under test (random-number operators with a fixed seed included, which makes them
// exact across runs). One case per call of the numeric layer, dense views, uniform data.
#pragma once

#include <vector>

#include "model/case.h"

namespace keel::conform {

void add_determinism_cases(std::vector<CaseSpec>& cases);

}  // namespace keel::conform
