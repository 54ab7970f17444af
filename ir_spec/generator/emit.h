// The generator's outputs. Each returns the complete file text.
#pragma once

#include <string>

#include "model.h"

namespace keel::specgen {

// keel/keel_ops.h: operator names and versions, attribute structs, their _INIT macros, enum constants.
std::string emit_header(const Spec& spec);
// op_table.generated.cc: one keel::spec::OpSchema per operator (core/spec/op_schema.h).
std::string emit_op_table(const Spec& spec);
// docs/ops.md: the operator reference.
std::string emit_docs(const Spec& spec);

}  // namespace keel::specgen
