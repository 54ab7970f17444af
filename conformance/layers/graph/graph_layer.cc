#include "layers/graph/graph_layer.h"

namespace keel::conform {

void add_graph_cases(std::vector<CaseSpec>& /*cases*/) {
  // No graph cases yet: see graph_layer.h for how to add them.
}

}  // namespace keel::conform
