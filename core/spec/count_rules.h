// The count rules of ir_spec/spec.yaml (`count_rules`), one function per name (signature CountRuleFn): how
// many tensors a variadic output holds. Each may assume that every constraint of the operator holds.
#pragma once

#include <cstdint>
#include <span>

#include "spec/op_schema.h"

namespace keel::spec::count_rules {

// split: the number of entries of `sizes` when it is not empty, else `num_outputs`.
int64_t split_count(const CallView& call, std::span<const Arg> args);

}  // namespace keel::spec::count_rules
