// The negative example of C0 (typing), which the spec leaves to the generator.
#pragma once

#include <optional>

#include "model.h"

namespace keel::specgen {

// What C0 requires, in words (docs and the operator table).
inline constexpr const char* kC0Text =
    "Every input's dtype is one its type variable allows (or its fixed dtype), and inputs bound to one type "
    "variable share a dtype.";

// Inputs of valid dtypes except for one typing violation, tried in this order:
//   1. an input bound to a type variable that does not allow every dtype gets one it does not allow;
//   2. two tensors bound to one type variable (two inputs, or two tensors of a variadic one) get different
//      allowed dtypes;
//   3. an input of a fixed dtype gets another dtype.
// nullopt when none applies (an operator without inputs, or a single input that accepts every dtype).
// Shapes are all [2]: C0 is checked before any shape constraint.
std::optional<ExampleDef> derive_c0_example(const OpDef& op, const GlobalSpec& global);

}  // namespace keel::specgen
