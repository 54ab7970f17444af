// Output dtypes and shapes of a call. keel_op_infer validates and infers; its answers are cached per thread
// and call signature (operator, attribute values, input dtypes and shapes), so a repeated eager call skips it.
#pragma once

#include <cstdint>
#include <vector>

#include "dispatch/dispatch.h"
#include "keel/keel_runtime.h"

namespace keel::detail {

struct OutputMeta {
  keel_dtype_t dtype = KEEL_DTYPE_INVALID;
  uint32_t rank = 0;
  int64_t dims[KEEL_MAX_RANK] = {};
};

// Fills `out` with one entry per output; throws keel::Error with libkeel's message for an invalid call.
void infer_outputs(int32_t op, const void* attrs, Inputs inputs, std::vector<OutputMeta>& out);

// How many tensors a variadic output holds for these attributes (the spec's count rule).
size_t variadic_count(int32_t op, const void* attrs);

}  // namespace keel::detail
