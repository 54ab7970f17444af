// The hand-checked shape-inference cases of the new operator groups (nn_shapes_test.cc,
// index_shapes_test.cc), for the coverage check in valid_calls_test.cc.
#pragma once

#include <vector>

#include "spec_test_util.h"

namespace keel::spec::testing {

std::vector<ShapeCase> nn_cases();
std::vector<ShapeCase> index_cases();

}  // namespace keel::spec::testing
