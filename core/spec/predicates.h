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

// predicates_values.cc: attribute values and list lengths.
bool ints_at_least(const CallView& call, std::span<const Arg> args, std::string* why);
bool int_at_least(const CallView& call, std::span<const Arg> args, std::string* why);
bool int_between(const CallView& call, std::span<const Arg> args, std::string* why);
bool float_at_least_zero(const CallView& call, std::span<const Arg> args, std::string* why);
bool in_unit_interval(const CallView& call, std::span<const Arg> args, std::string* why);
bool float_range_valid(const CallView& call, std::span<const Arg> args, std::string* why);
bool exactly_one_given(const CallView& call, std::span<const Arg> args, std::string* why);
bool list_length_is(const CallView& call, std::span<const Arg> args, std::string* why);
bool spatial_list_length(const CallView& call, std::span<const Arg> args, std::string* why);
bool kernel_shape_length(const CallView& call, std::span<const Arg> args, std::string* why);

// predicates_nn.cc: convolution, pooling, resampling, normalization, gemm, losses.
bool rank_in_range(const CallView& call, std::span<const Arg> args, std::string* why);
bool conv_channels_match(const CallView& call, std::span<const Arg> args, std::string* why);
bool conv_transpose_channels_match(const CallView& call, std::span<const Arg> args, std::string* why);
bool is_vector_of(const CallView& call, std::span<const Arg> args, std::string* why);
bool is_vector_of_scaled(const CallView& call, std::span<const Arg> args, std::string* why);
bool spatial_dims_positive(const CallView& call, std::span<const Arg> args, std::string* why);
bool conv_output_positive(const CallView& call, std::span<const Arg> args, std::string* why);
bool conv_transpose_output_positive(const CallView& call, std::span<const Arg> args, std::string* why);
bool output_padding_below_stride(const CallView& call, std::span<const Arg> args, std::string* why);
bool pool_output_positive(const CallView& call, std::span<const Arg> args, std::string* why);
bool conv_grad_matches(const CallView& call, std::span<const Arg> args, std::string* why);
bool pool_grad_matches(const CallView& call, std::span<const Arg> args, std::string* why);
bool same_batch_and_channels(const CallView& call, std::span<const Arg> args, std::string* why);
bool resize_target_valid(const CallView& call, std::span<const Arg> args, std::string* why);
bool pad_mode_fits(const CallView& call, std::span<const Arg> args, std::string* why);
bool gemm_inner_match(const CallView& call, std::span<const Arg> args, std::string* why);
bool gemm_c_broadcastable(const CallView& call, std::span<const Arg> args, std::string* why);
bool unidirectional_broadcastable(const CallView& call, std::span<const Arg> args, std::string* why);
bool trailing_shape_matches(const CallView& call, std::span<const Arg> args, std::string* why);
bool reduced_shape_matches(const CallView& call, std::span<const Arg> args, std::string* why);
bool channels_divisible(const CallView& call, std::span<const Arg> args, std::string* why);
bool group_stats_shape(const CallView& call, std::span<const Arg> args, std::string* why);
bool elements_per_channel_non_zero(const CallView& call, std::span<const Arg> args, std::string* why);
bool shape_without_axis(const CallView& call, std::span<const Arg> args, std::string* why);

// predicates_index.cc: shape and indexing operators.
bool axis_in_range_inclusive(const CallView& call, std::span<const Arg> args, std::string* why);
bool insert_axis_in_range(const CallView& call, std::span<const Arg> args, std::string* why);
bool expand_broadcastable(const CallView& call, std::span<const Arg> args, std::string* why);
bool squeezable(const CallView& call, std::span<const Arg> args, std::string* why);
bool unsqueeze_axes_valid(const CallView& call, std::span<const Arg> args, std::string* why);
bool split_sizes_valid(const CallView& call, std::span<const Arg> args, std::string* why);
bool gather_rank_fits(const CallView& call, std::span<const Arg> args, std::string* why);
bool index_dims_fit(const CallView& call, std::span<const Arg> args, std::string* why);
bool same_shape(const CallView& call, std::span<const Arg> args, std::string* why);
bool gather_nd_shapes(const CallView& call, std::span<const Arg> args, std::string* why);
bool scatter_nd_shapes(const CallView& call, std::span<const Arg> args, std::string* why);
bool axis_dim_non_zero(const CallView& call, std::span<const Arg> args, std::string* why);
bool embedding_grad_shapes(const CallView& call, std::span<const Arg> args, std::string* why);
bool tiled_dims_fit(const CallView& call, std::span<const Arg> args, std::string* why);
bool padded_dims_fit(const CallView& call, std::span<const Arg> args, std::string* why);
bool topk_k_valid(const CallView& call, std::span<const Arg> args, std::string* why);

}  // namespace keel::spec::predicates
