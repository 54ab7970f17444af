// Failure details shared by the predicate files: every detail names the offending input or attribute.
#pragma once

#include <string>
#include <string_view>

#include "spec/format.h"
#include "spec/op_schema.h"

namespace keel::spec::predicates {

// Writes the failure detail. Always returns false, so a predicate can `return fail(why, ...)`.
inline bool fail(std::string* why, std::string detail) {
  if (why) *why = std::move(detail);
  return false;
}

// Position of the i-th tensor of a kTensor/kTensors argument.
inline size_t position_of(const Arg& arg, size_t i = 0) { return static_cast<size_t>(arg.index) + i; }

// "input 'x'" for the tensor at call position `position`.
inline std::string input_label(const CallView& call, size_t position) {
  return "input '" + call.tensor_name(position) + "'";
}

// "input 'x' [2,3]" for the (first) tensor of a tensor argument.
inline std::string tensor_label(const CallView& call, const Arg& arg) {
  return input_label(call, position_of(arg)) + " " + format_shape(call.tensors(arg)[0]);
}

inline std::string attr_label(const CallView& call, const Arg& arg) {
  return "attribute '" + std::string(call.attr_name(arg)) + "'";
}

// An `int` argument in words: the literal, or "attribute 'k' (= 3)".
inline std::string int_label(const CallView& call, const Arg& arg) {
  if (arg.kind == ArgKind::kInt) return std::to_string(arg.literal);
  return attr_label(call, arg) + " (= " + std::to_string(call.attr_int(arg)) + ")";
}

}  // namespace keel::spec::predicates
