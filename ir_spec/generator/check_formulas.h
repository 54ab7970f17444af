// Checks and resolves gradient and decomposition formulas: every call is a spec operator (with its input
// count and attribute keywords) or a helper (with its arity), every name is in scope, and each name and call
// gets its Expr::ref. Decompositions may call only operators other than their own and helpers marked
// `lowering`; check_decompositions_acyclic() rejects a decomposition that reaches its own operator.
#pragma once

#include <map>
#include <string>

#include "diagnostics.h"
#include "model.h"

namespace keel::specgen {

// Every operator of the spec by name, with its position in the generated table.
struct OpRef {
  const OpDef* op = nullptr;
  int index = 0;
};
using OpIndex = std::map<std::string, OpRef>;

void check_formulas(OpDef& op, const OpIndex& ops, const GlobalSpec& global, Diagnostics& diag);
void check_decompositions_acyclic(const Spec& spec, const OpIndex& ops, Diagnostics& diag);

}  // namespace keel::specgen
