// Matching a predicate or shape-rule call against its spec.yaml signature.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model.h"

namespace keel::specgen {

// Resolves the arguments of `call` (e.g. broadcastable(a, b)) for `rule` within `op`: tensor → an input,
// tensors → one or more consecutive inputs (or a variadic input), attr → an attribute (attr:<type> → one of
// that type), int → an integer literal or an int attribute. A bare name (`positive`) is a call without
// arguments. On a mismatch returns nullopt and sets *error.
std::optional<std::vector<CallArg>> resolve_call(const Expr& call, const RuleDef& rule, const OpDef& op,
                                                 std::string* error);

}  // namespace keel::specgen
