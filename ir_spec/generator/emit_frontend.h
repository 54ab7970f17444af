// The C++ front end's generated files (core/frontend): every spec operator as a typed function in namespace
// keel::ops, and the front end's operator table with the gradient and decomposition formulas as trees.
#pragma once

#include <string>

#include "model.h"

namespace keel::specgen {

// keel/ops.hpp: per operator an options struct (attributes with their spec defaults, usable with designated
// initializers), a result struct for several outputs, and the function declarations.
std::string emit_frontend_header(const Spec& spec);

// ops.generated.cc: the keel::detail::OpEntry table (core/frontend/dispatch/op_table.h) and the definitions
// of the functions emit_frontend_header declares.
std::string emit_frontend_table(const Spec& spec);

// Shared by the two emitters.
std::string camel_case(const std::string& name);             // reduce_sum → ReduceSum
std::string options_type(const OpDef& op);                   // ReduceSumOptions
std::string result_type(const OpDef& op);                    // TopkResult
std::string frontend_dtype(const std::string& dtype_name);   // "bool" → "Dtype::boolean"
bool takes_options(const OpDef& op);                         // the op has attributes
bool options_required(const OpDef& op);                      // some attribute has no default
std::string param_name(const std::string& name);             // a spec name usable as a C++ parameter

}  // namespace keel::specgen
