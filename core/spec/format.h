// Text for violation messages. Only called on the failure path.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "spec/op_schema.h"

namespace keel::spec {

std::string format_ints(std::span<const int64_t> values);  // "[2,3]"
std::string format_shape(const TensorMeta& t);             // "[2,3]"; "[]" for 0-D
std::string format_number(double value);                   // shortest exact form: "1e+12", "0.5"
// "f32, f16, bf16" for a type variable's dtypes.
std::string format_dtypes(const TypeVar& var);

}  // namespace keel::spec
