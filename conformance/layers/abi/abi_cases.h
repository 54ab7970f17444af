// The ABI and loader layer (Base): exports, probe, negotiation against emulated older and newer hosts,
// mandatory slots, properties and attributes read through the plugin's own table, kernel registrations.
#pragma once

#include <vector>

#include "model/case.h"

namespace keel::conform {

void add_abi_cases(std::vector<CaseSpec>& cases);

}  // namespace keel::conform
