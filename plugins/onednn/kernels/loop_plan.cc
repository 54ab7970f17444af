#include "loop_plan.h"

#include <algorithm>

namespace keel::onednn {

LoopPlan plan_loop(const keel_tensor_desc_t& output, std::initializer_list<const keel_tensor_desc_t*> inputs) {
  LoopPlan full;
  full.operands = 1 + static_cast<int>(inputs.size());
  const int rank = static_cast<int>(output.rank);
  // Operand strides over the output's dimensions, broadcasting the inputs.
  int64_t shape[KEEL_MAX_RANK];
  int64_t strides[LoopPlan::kMaxOperands][KEEL_MAX_RANK];
  for (int d = 0; d < rank; ++d) {
    shape[d] = output.shape[d];
    strides[0][d] = output.strides[d];
  }
  int k = 1;
  for (const keel_tensor_desc_t* input : inputs) {
    const int shift = rank - static_cast<int>(input->rank);
    for (int d = 0; d < rank; ++d) {
      const int source = d - shift;
      const bool broadcast = source < 0 || input->shape[source] == 1;
      strides[k][d] = broadcast ? 0 : input->strides[source];
    }
    ++k;
  }
  full.count = 1;
  for (int d = 0; d < rank; ++d) full.count *= shape[d];

  // Drop size-1 dimensions, then merge dimension d into d+1 where every operand is contiguous across them.
  LoopPlan plan;
  plan.operands = full.operands;
  plan.count = full.count;
  int kept = 0;
  for (int d = 0; d < rank; ++d) {
    if (shape[d] == 1) continue;
    if (kept > 0) {
      bool mergeable = true;
      for (int op = 0; op < plan.operands; ++op) {
        mergeable = mergeable && strides[op][d - 0] * shape[d] == plan.strides[op][kept - 1];
      }
      if (mergeable) {
        plan.shape[kept - 1] *= shape[d];
        for (int op = 0; op < plan.operands; ++op) plan.strides[op][kept - 1] = strides[op][d];
        continue;
      }
    }
    plan.shape[kept] = shape[d];
    for (int op = 0; op < plan.operands; ++op) plan.strides[op][kept] = strides[op][d];
    ++kept;
  }
  if (kept == 0) {  // a single element (0-D, or every dimension 1); zero-size shapes keep their 0
    plan.shape[0] = full.count == 0 ? 0 : 1;
    for (int op = 0; op < plan.operands; ++op) plan.strides[op][0] = 0;
    kept = 1;
  }
  if (full.count == 0) {  // nothing to walk; keep one dimension of 0 so inner() is 0
    plan.shape[0] = 0;
    kept = 1;
  }
  plan.rank = kept;
  return plan;
}

}  // namespace keel::onednn
