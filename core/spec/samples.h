// Turning the spec's samples (OpSchema::samples) into concrete calls.
#pragma once

#include <vector>

#include "spec/op_schema.h"

namespace keel::spec {

// Every concrete input list a sample stands for. An input the sample leaves free takes each dtype its type
// variable allows, unless another input of the sample pins that variable (then it takes the pinned dtype);
// free inputs bound to one variable always share a dtype. Fixed-dtype inputs get their dtype; absent
// optional inputs stay KEEL_DTYPE_INVALID. One list when nothing is free; in spec order of the dtypes, the
// first type variable varying slowest.
std::vector<std::vector<TensorMeta>> expand_sample(const OpSchema& op, const SampleCall& sample);

}  // namespace keel::spec
