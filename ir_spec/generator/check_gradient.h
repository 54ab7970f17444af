// Checks gradient formulas: every call is a spec operator (with its input count and attribute keywords) or
// a gradient helper (with its arity), and every name is in scope.
#pragma once

#include <map>
#include <string>

#include "diagnostics.h"
#include "model.h"

namespace keel::specgen {

void check_gradient(const OpDef& op, const std::map<std::string, const OpDef*>& ops, const GlobalSpec& global,
                    Diagnostics& diag);

}  // namespace keel::specgen
