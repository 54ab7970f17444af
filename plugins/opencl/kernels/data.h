// Bit-exact data movement on views: strided copies (reshape, permute, slice, concat, same-dtype cast) and
// fills (full, zero results). Elements are moved as unsigned integers of their size, so NaN payloads and -0
// survive. Contiguous cases become clEnqueueCopyBuffer / clEnqueueFillBuffer.
#pragma once

#include <CL/cl.h>

#include <cstdint>

#include "kernels/view.h"
#include "programs/program_cache.h"

namespace keel::opencl {

class Device;
class Stream;

// The copy and fill kernels for one element size, resolved (and the program built) at plan time.
struct DataKernels {
  size_t element_size = 0;
  Kernel* copy = nullptr;
  Kernel* fill = nullptr;
};
DataKernels data_kernels(Device& device, size_t element_size);

// dst[i] = src[i] for `count` elements, each side walked row-major over its own shape. Sides carry their
// element offsets. When both sides live in one buffer and their ranges overlap, the copy goes through a
// scratch buffer, so the result is as if every element were read before any is written.
void enqueue_copy(Stream& stream, const DataKernels& kernels, cl_mem dst, const ClSide& to, cl_mem src,
                  const ClSide& from, int64_t count);
// Every element of the view set to `bits` (the element's bit pattern, in the low element_size bytes).
void enqueue_fill(Stream& stream, const DataKernels& kernels, cl_mem dst, const ClSide& to, int64_t count,
                  uint64_t bits);

}  // namespace keel::opencl
