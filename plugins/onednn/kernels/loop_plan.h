// The plugin's own elementwise loops: any number of operands (output first) with any strides, numpy
// broadcasting of the inputs, and the dimensions simplified once per signature (size-1 dimensions dropped,
// dimensions that are contiguous for every operand merged). At run time a plan is walked one innermost run
// at a time; run bodies get unit-stride fast paths that the compiler vectorizes.
#pragma once

#include <cstdint>
#include <initializer_list>

#include "keel/keel_plugin.h"
#include "parallel.h"

namespace keel::onednn {

struct LoopPlan {
  static constexpr int kMaxOperands = 8;  // adam_update: 3 outputs and 4 inputs

  int rank = 1;       // at least 1: a 0-D call is one run of length 1
  int operands = 0;   // output first, then the inputs
  int64_t count = 0;  // elements of the output
  int64_t shape[KEEL_MAX_RANK] = {1};
  int64_t strides[kMaxOperands][KEEL_MAX_RANK] = {};  // in elements of each operand's own dtype

  int64_t inner() const { return shape[rank - 1]; }
  int64_t inner_stride(int operand) const { return strides[operand][rank - 1]; }
};

// Plans `output` = f(inputs...). Inputs broadcast to the output's shape (aligned from the last dimension;
// missing or size-1 dimensions read with stride 0).
LoopPlan plan_loop(const keel_tensor_desc_t& output, std::initializer_list<const keel_tensor_desc_t*> inputs);

// Calls run(offsets, length) for consecutive runs along the innermost dimension covering the elements
// [begin, end) of the plan (in row-major order of the output), where offsets[k] is operand k's element
// offset of the run's first element (elements along the run are inner_stride(k) apart). Serial.
template <class Run>
void walk_runs(const LoopPlan& plan, int64_t begin, int64_t end, Run&& run) {
  const int rank = plan.rank;
  const int operands = plan.operands;
  const int64_t inner = plan.inner();
  if (begin >= end) return;
  int64_t offsets[LoopPlan::kMaxOperands];
  if (rank == 1) {  // one dimension: the range maps straight to offsets
    for (int k = 0; k < operands; ++k) offsets[k] = begin * plan.strides[k][0];
    run(offsets, end - begin);
    return;
  }
  int64_t index[KEEL_MAX_RANK];
  int64_t rest = begin;
  for (int d = rank; d-- > 0;) {
    index[d] = rest % plan.shape[d];
    rest /= plan.shape[d];
  }
  for (int k = 0; k < operands; ++k) {
    offsets[k] = 0;
    for (int d = 0; d < rank; ++d) offsets[k] += index[d] * plan.strides[k][d];
  }
  for (int64_t position = begin; position < end;) {
    const int64_t length = std::min(inner - index[rank - 1], end - position);
    run(offsets, length);
    position += length;
    // Advance the odometer past this run.
    index[rank - 1] += length;
    for (int k = 0; k < operands; ++k) offsets[k] += length * plan.strides[k][rank - 1];
    for (int d = rank - 1; d > 0 && index[d] == plan.shape[d]; --d) {
      index[d] = 0;
      index[d - 1] += 1;
      for (int k = 0; k < operands; ++k) offsets[k] += plan.strides[k][d - 1] - plan.shape[d] * plan.strides[k][d];
    }
  }
}

// walk_runs over every element, split over the pool when the plan is large enough.
template <class Run>
void for_each_run(const LoopPlan& plan, Run&& run, int64_t min_per_thread = kMinElementsPerThread) {
  parallel_ranges(
      plan.count, [&](int64_t begin, int64_t end) { walk_runs(plan, begin, end, run); }, min_per_thread);
}

}  // namespace keel::onednn
