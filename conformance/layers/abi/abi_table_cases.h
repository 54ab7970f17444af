// ABI cases that read the plugin's own table directly: device properties (including the struct_size rule
// for older callers), attributes, memory-space properties and kernel registrations.
#pragma once

#include <vector>

#include "model/case.h"

namespace keel::conform {

void add_abi_table_cases(std::vector<CaseSpec>& cases);

}  // namespace keel::conform
