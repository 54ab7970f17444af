// logical_not logical_and logical_or logical_xor (ir_spec/ops/logical.yaml). A bool element reads as true for
// any non-zero byte and is written as 0 or 1.
#include "elementwise.h"
#include "kernels.h"

namespace keel::reference {

void compute_logical_not(const KernelCall& call) {
  map_elements<bool>(call, [](bool x) { return !x; });
}

void compute_logical_and(const KernelCall& call) {
  zip_elements<bool, bool>(call, [](bool a, bool b) { return a && b; });
}

void compute_logical_or(const KernelCall& call) {
  zip_elements<bool, bool>(call, [](bool a, bool b) { return a || b; });
}

void compute_logical_xor(const KernelCall& call) {
  zip_elements<bool, bool>(call, [](bool a, bool b) { return a != b; });
}

}  // namespace keel::reference
