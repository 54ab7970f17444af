// The operator numerics layer, generated from the spec: every sample of every operator, in every dtype its
// type variables allow (sample_calls.h), run on the device under test with every view kind (dense, offset,
// strided, reversed, transposed, broadcast inputs) on uniform data, plus a cancellation data set for
// accumulating operators and a special-value data set where the semantics define special values. Results
// are compared with the reference plugin (in f64 where the spec allows) by the operator's tolerance class.
#pragma once

#include <vector>

#include "model/case.h"

namespace keel::conform {

void add_numeric_cases(std::vector<CaseSpec>& cases);

// Whether any tensor of the call has more than one element / two dimensions larger than 1 / an input
// dimension larger than 1 (which view kinds differ from the dense one).
bool has_several_elements(const OpCall& call);
bool has_matrix(const OpCall& call);
bool has_broadcastable_input(const OpCall& call);

}  // namespace keel::conform
