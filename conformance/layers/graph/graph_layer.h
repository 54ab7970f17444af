// The graph layer: whole graphs run through a plugin. Its cases are the ONNX backend node tests
// (graph.onnx.<test>, one per line of the committed list conformance/graph/onnx-node-tests.txt; see
// onnx_node_list.h): each model is imported, optimized and run on the device under test with no placement
// fallback, and compared with the test's expected outputs under ONNX's backend-test tolerances. A test is
// must-pass when it passes on the reference plugin and its dtypes belong to one profile.
//
// How to add cases (sample models, other suites): append CaseSpecs here with layer = Layer::kGraph, an id
// "graph.<suite>.<name>", the profile the graph's operators and dtypes belong to, must_pass = true once the
// case is stable, and a CaseRunner that builds the graph and runs it on context.dut(). The runner, reports
// and must-pass lists pick the cases up with no other change; regenerate the lists
// (keel_update_conformance_lists) and bump the suite version when cases are added.
#pragma once

#include <vector>

#include "model/case.h"

namespace keel::conform {

void add_graph_cases(std::vector<CaseSpec>& cases);

}  // namespace keel::conform
