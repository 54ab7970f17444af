// The output shape rules of ir_spec/spec.yaml, one function per name (signature ShapeRuleFn). Each writes
// out->rank and out->dims (not the dtype) and may assume that every constraint of the operator holds.
#pragma once

#include <cstdint>
#include <span>

#include "spec/op_schema.h"

namespace keel::spec::shape_rules {

void same(const CallView& call, std::span<const Arg> args, TensorMeta* out);
void broadcast(const CallView& call, std::span<const Arg> args, TensorMeta* out);
void reduce(const CallView& call, std::span<const Arg> args, TensorMeta* out);
void matmul(const CallView& call, std::span<const Arg> args, TensorMeta* out);
void reshape(const CallView& call, std::span<const Arg> args, TensorMeta* out);
void permute(const CallView& call, std::span<const Arg> args, TensorMeta* out);
void concat(const CallView& call, std::span<const Arg> args, TensorMeta* out);
void slice(const CallView& call, std::span<const Arg> args, TensorMeta* out);
void from_attr(const CallView& call, std::span<const Arg> args, TensorMeta* out);
void arange(const CallView& call, std::span<const Arg> args, TensorMeta* out);

// The number of elements slice keeps along one axis of size `dim` (numpy's rule: negative start/end count
// from the back, then both are clamped to the axis, to [-1, dim-1] for a negative step). step != 0.
int64_t slice_length(int64_t dim, int64_t start, int64_t end, int64_t step);

// ceil((limit - start) / delta), or 0 when that is negative; -1 when it is not finite or too large.
int64_t arange_length(double start, double limit, double delta);

}  // namespace keel::spec::shape_rules
