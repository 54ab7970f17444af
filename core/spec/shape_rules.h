// The output shape rules of ir_spec/spec.yaml, one function per name (signature ShapeRuleFn). Each writes
// the rank and dims (not the dtype) of out[0], or of every tensor of a variadic output, and may assume that
// every constraint of the operator holds.
#pragma once

#include <cstdint>
#include <span>

#include "spec/op_schema.h"

namespace keel::spec::shape_rules {

void same(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> out);
void broadcast(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> out);
void reduce(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> out);
void matmul(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> out);
void reshape(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> out);
void permute(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> out);
void concat(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> out);
void slice(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> out);
void from_attr(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> out);
void arange(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> out);

// shape_rules_nn.cc
void reduce_axis(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> out);
void topk(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> out);
void gemm(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> out);
void conv(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> out);
void conv_transpose(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> out);
void pool(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> out);
void resize(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> out);
void pad(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> out);
void loss(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> out);
void dim_vector(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> out);
void keep_leading(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> out);
void trailing(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> out);
void group_stats(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> out);

// shape_rules_index.cc
void flatten(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> out);
void expand(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> out);
void squeeze(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> out);
void unsqueeze(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> out);
void split(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> out);
void tile(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> out);
void rank_vector(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> out);
void scalar_shape(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> out);
void gather(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> out);
void gather_nd(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> out);
void one_hot(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> out);
void nonzero(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> out);
void matrix(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> out);
void embedding_grad(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> out);

// The number of elements slice keeps along one axis of size `dim` (numpy's rule: negative start/end count
// from the back, then both are clamped to the axis, to [-1, dim-1] for a negative step). step != 0.
int64_t slice_length(int64_t dim, int64_t start, int64_t end, int64_t step);

// ceil((limit - start) / delta), or 0 when that is negative; -1 when it is not finite or too large.
int64_t arange_length(double start, double limit, double delta);

}  // namespace keel::spec::shape_rules
