// Turning tensors into kernel arguments: broadcasting inputs to the output's shape, strides in bytes, and
// merging dimensions that every operand walks contiguously (a dense tensor becomes one dimension). Also
// the check for outputs that overlap inputs, and the dense scratch tensor used then.
#pragma once

#include <initializer_list>
#include <span>

#include "gpu/launch.h"
#include "kernels/call.h"
#include "runtime/queue.h"

namespace keel::cuda {

// The strides (elements) of `in` read at the coordinates of a tensor of shape `shape` (numpy broadcasting:
// aligned from the last dimension; a dimension of size 1 repeats with stride 0).
void broadcast_strides(const Tensor& in, uint32_t rank, const int64_t* shape, int64_t* out_strides);

// A map over `out`'s elements; inputs are broadcast to out's shape.
gpu::MapArgs map_args(const Tensor& out, std::initializer_list<const Tensor*> inputs);
// Element i of `src` (row-major) to element i of `dst`; both have the same element count and size.
gpu::CopyArgs copy_args(const Tensor& src, const Tensor& dst);

// Merges and drops dimensions of an iteration shared by `count` operands (strides[k] per operand).
// Returns the new rank.
int simplify(int rank, int64_t* dims, int64_t* const* strides, int count);

// True when computing `out` could overwrite input elements before they are read. `pointwise` kernels read
// each output position's input positions right before writing it, so an input laid out exactly like the
// output (same bytes for the same position, same element size) is safe for them.
bool output_hazard(const Tensor& out, std::span<const Tensor> inputs, bool pointwise);

// The bits of `value` converted to `dtype` with the rules of cast (from f64), and of 1.
uint64_t bits_of_value(keel_dtype_t dtype, double value);
inline uint64_t bits_of_one(keel_dtype_t dtype) { return bits_of_value(dtype, 1.0); }

// A dense row-major tensor shaped like `like`, in scratch memory of `launch`.
Tensor dense_scratch(Launch& launch, const Tensor& like);
// Copies `src` into `dst` element by element (same shape, same element size).
void copy_tensor(Launch& launch, const Tensor& src, const Tensor& dst);

}  // namespace keel::cuda

namespace keel::cuda {

// Enqueues `produce(launch, target)`, which writes `out`; when `hazard`, target is a dense scratch tensor
// copied into `out` afterwards (in stream order, so the inputs are read before `out` changes).
template <class Produce>
void enqueue_output(Queue& queue, const Tensor& out, bool hazard, const char* what, Produce produce) {
  queue.enqueue(
      [=](Launch& launch) {
        const Tensor target = hazard ? dense_scratch(launch, out) : out;
        produce(launch, target);
        if (hazard) copy_tensor(launch, target, out);
      },
      what);
}

}  // namespace keel::cuda
