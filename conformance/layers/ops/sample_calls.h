// Expands an operator's spec samples into concrete calls. spec::expand_sample gives every input list a
// sample stands for (each free input takes every dtype its type variable allows); this adds the primary
// type variable when only a dtype attribute binds it (full, arange: one call per dtype, by setting the
// attribute), normalizes the attributes, and keeps only calls the spec's constraints accept (div of
// integers with rounding none is not a valid call, so it is not a case). A dtype attribute of another type
// variable (cast's `to`) is taken from the sample as written.
#pragma once

#include <memory>
#include <vector>

#include "model/case.h"

namespace keel::conform {

std::vector<std::shared_ptr<const OpCall>> expand_samples(const spec::OpSchema& op);

// The spec's dtype profile ("core", "fp16", ...) of every present tensor of the call.
std::vector<std::string> call_dtype_profiles(const OpCall& call);

}  // namespace keel::conform
