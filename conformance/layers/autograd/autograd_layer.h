// The autograd layer: for every differentiable operator, gradients computed through the plugin (the spec's
// VJP and JVP formulas, run by the front end) against f64 finite differences on the reference plugin.
//
// The front end (core/autograd) does not exist yet, so every case of this layer reports not_run with the
// reason; none is a pass, and none is on a must-pass list (Core-Training v1 does not require them). When
// the front end lands, give the cases a real runner, set must_pass, regenerate the lists and bump the suite
// version.
#pragma once

#include <vector>

#include "model/case.h"

namespace keel::conform {

void add_autograd_cases(std::vector<CaseSpec>& cases);

}  // namespace keel::conform
