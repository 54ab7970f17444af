// Host mirrors of the argument structs of kernels/cl/common.cl for the reduction, softmax and matmul
// kernels. Every field is 64-bit, so host and device lay them out identically.
#pragma once

#include <cstdint>

#include "kernels/view.h"

namespace keel::opencl {

struct ClReduceArgs {
  int64_t length = 0;
  int64_t chunks = 1;
  int64_t chunk_length = 0;
  int64_t chunk_stride = 0;
  int64_t divide = 0;
  int64_t total = 0;
  ClLayout kept;
  ClSide reduced;
};
static_assert(sizeof(ClReduceArgs) == 6 * 8 + sizeof(ClLayout) + sizeof(ClSide));

struct ClSoftmaxArgs {
  int64_t length = 0;
  int64_t y_step = 0;
  int64_t x_step = 0;
  ClLayout slices;
};
static_assert(sizeof(ClSoftmaxArgs) == 3 * 8 + sizeof(ClLayout));

struct ClMatmulArgs {
  int64_t m = 0;
  int64_t n = 0;
  int64_t k = 0;
  int64_t a_row = 0;
  int64_t a_col = 0;
  int64_t b_row = 0;
  int64_t b_col = 0;
  int64_t y_row = 0;
  int64_t y_col = 0;
  ClLayout batch;
};
static_assert(sizeof(ClMatmulArgs) == 9 * 8 + sizeof(ClLayout));

}  // namespace keel::opencl
