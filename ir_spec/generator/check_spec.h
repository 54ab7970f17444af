// Cross-reference checks over the whole spec, after every file has loaded: operator names are unique;
// constraint checks and shape rules call spec.yaml's predicates and shape rules with arguments of the
// right kinds (and are resolved into CallArgs); gradient formulas use only spec operators, helpers and the
// names in scope.
#pragma once

#include "diagnostics.h"
#include "model.h"

namespace keel::specgen {

bool check_spec(Spec& spec, Diagnostics& diag);

}  // namespace keel::specgen
