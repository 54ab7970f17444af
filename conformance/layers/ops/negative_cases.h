// The negative layer: every constraint's negative example from the spec (C0, typing, included) run with
// keel_op_run on the device under test must return the status code the spec documents for it.
#pragma once

#include <vector>

#include "model/case.h"

namespace keel::conform {

void add_negative_cases(std::vector<CaseSpec>& cases);

}  // namespace keel::conform
