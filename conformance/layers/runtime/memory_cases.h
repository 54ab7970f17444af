// The memory layer (Base): allocation edge cases, bit-exact copies (NaN payloads, -0.0, subnormals) through
// every copy path, fills, range checks, statistics and leaks.
#pragma once

#include <vector>

#include "model/case.h"

namespace keel::conform {

void add_memory_cases(std::vector<CaseSpec>& cases);

}  // namespace keel::conform
