// The constraint predicates of ir_spec/spec.yaml, one function per name (signature PredicateFn). Each
// returns true when its constraint holds; otherwise it writes a detail naming the offending input or
// attribute and its values to *why (when why is non-null). No allocation on the success path.
// A predicate may assume that the constraints before it in the operator's list hold.
#pragma once

#include <span>
#include <string>

#include "spec/op_schema.h"

namespace keel::spec::predicates {

bool broadcastable(const CallView& call, std::span<const Arg> args, std::string* why);
bool rank_at_least(const CallView& call, std::span<const Arg> args, std::string* why);
bool axis_in_range(const CallView& call, std::span<const Arg> args, std::string* why);
bool axes_in_range(const CallView& call, std::span<const Arg> args, std::string* why);
bool axes_unique(const CallView& call, std::span<const Arg> args, std::string* why);
bool reduced_dims_non_empty(const CallView& call, std::span<const Arg> args, std::string* why);
bool matmul_inner_match(const CallView& call, std::span<const Arg> args, std::string* why);
bool matmul_batch_broadcastable(const CallView& call, std::span<const Arg> args, std::string* why);
bool is_permutation(const CallView& call, std::span<const Arg> args, std::string* why);
bool reshape_valid(const CallView& call, std::span<const Arg> args, std::string* why);
bool same_rank(const CallView& call, std::span<const Arg> args, std::string* why);
bool concat_shapes_match(const CallView& call, std::span<const Arg> args, std::string* why);
bool slice_lengths_match(const CallView& call, std::span<const Arg> args, std::string* why);
bool leading_axes_fit(const CallView& call, std::span<const Arg> args, std::string* why);
bool all_non_zero(const CallView& call, std::span<const Arg> args, std::string* why);
bool dims_non_negative(const CallView& call, std::span<const Arg> args, std::string* why);
bool attr_non_zero(const CallView& call, std::span<const Arg> args, std::string* why);
bool arange_size_valid(const CallView& call, std::span<const Arg> args, std::string* why);
bool integer_needs_rounding(const CallView& call, std::span<const Arg> args, std::string* why);
bool dtype_attr_allowed(const CallView& call, std::span<const Arg> args, std::string* why);

}  // namespace keel::spec::predicates
