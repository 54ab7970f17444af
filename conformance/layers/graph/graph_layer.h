// The graph layer: whole graphs (ONNX node tests, sample models) run through a plugin. It has no cases yet.
//
// How to add cases (for the graph IR and ONNX import work): append CaseSpecs here with
//   layer = Layer::kGraph, an id "graph.<suite>.<name>", the profile the graph's operators and dtypes
//   belong to (op_case_profile), must_pass = true once the case is stable, and a CaseRunner that builds the
//   graph, runs it on context.dut() and compares with the reference plugin under the TOSA rule (a fused or
//   reordered sequence passes when it equals some chain of per-operator-compliant results).
// The runner, reports and must-pass lists pick the cases up with no other change; regenerate the lists
// (keel_update_conformance_lists) and bump the suite version when cases are added.
#pragma once

#include <vector>

#include "model/case.h"

namespace keel::conform {

void add_graph_cases(std::vector<CaseSpec>& cases);

}  // namespace keel::conform
