// What a graph pass reports, and the rule every pass follows: it takes a validated graph (static types
// filled in where the spec infers them), keeps the graph's inputs and outputs and every output's values,
// and leaves a graph that validates again.
#pragma once

#include <cstddef>
#include <string>

namespace keel::graph {

struct PassResult {
  std::string pass;     // "constant-folding", ...
  size_t changes = 0;   // nodes removed, folded, merged or fused
  std::string summary;  // one line for reports: "folded 3 nodes into constants (1.2 KiB)"
};

}  // namespace keel::graph
