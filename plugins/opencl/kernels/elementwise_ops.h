// The elementwise operators as OpenCL C expressions: one table row per kernel family, from which
// elementwise_source.cc generates every kernel (per dtype, dense and strided). Adding an elementwise
// operator is a row here and a line in registry.cc.
#pragma once

#include <span>
#include <string>

#include "keel/keel_plugin.h"

namespace keel::opencl {

// A family of kernels "keel_<family>_<dtype>_{dense,strided}". Expressions read the inputs as `x` (unary)
// or `a` and `b` (binary) and may use $T (the OpenCL C value type) and $U (the unsigned type of its width);
// nullptr means the family has no kernels for that kind of dtype.
struct ElementwiseOp {
  const char* family;
  const char* spec_op;  // the spec operator it implements
  int arity;            // 1 or 2
  bool to_bool;         // the output is bool (comparisons); otherwise it has the inputs' dtype
  const char* float_expr;
  const char* int_expr;
  const char* bool_expr;
};

std::span<const ElementwiseOp> elementwise_ops();

// The family that computes `call` (div picks one by its rounding attribute). INTERNAL when none does.
const ElementwiseOp& elementwise_family(const keel_kernel_call_t& call);

}  // namespace keel::opencl
