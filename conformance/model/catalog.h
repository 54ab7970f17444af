// The case catalog: every case of this suite, in a fixed order, built from the operator spec alone (no
// plugin is consulted), so a parent and its workers, and a run and the must-pass lists, agree on it.
#pragma once

#include <string_view>
#include <vector>

#include "model/case.h"

namespace keel::conform {

const std::vector<CaseSpec>& all_cases();
const CaseSpec* find_case(std::string_view id);

}  // namespace keel::conform
