// The check every kernel test makes: run one call on the oneDNN device (in the tensors' own dtypes and the
// chosen layouts) and on the reference plugin (float inputs widened to f64, dense layouts), then compare
// each output with the tolerance class the spec gives the operator (core/spec: OpSchema::tolerance).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "harness.h"

namespace keel::onednn_test {

struct Case {
  std::string op;
  const void* attrs = nullptr;
  std::vector<HostTensor> inputs;
  std::vector<Layout> input_layouts;  // default: all dense
  Layout output_layout = Layout::kDense;
  // Data movement: the reference runs in the same dtypes and results must match bit for bit (NaN payloads
  // included). Otherwise floats are compared by the spec's tolerance against the f64 reference.
  bool bitwise = false;
  // Float inputs go to the reference widened to f64 (the oracle's precision). Off for operators whose
  // meaning depends on the input dtype itself (cast), where the reference runs in the same dtypes.
  bool widen = true;
  // K of accumulation tolerances; computed from the shapes when not set (reductions: input elements per
  // output; matmul: the contracted dimension).
  std::optional<double> k;
  std::string label;  // extra text for failure messages
  size_t outputs = 0;  // how many outputs an op with a variadic output (split) has; 0: the declared count
};

// Runs the case and reports mismatches as GoogleTest failures. Returns true when everything matched.
bool expect_matches_reference(Case c);

// The K of softmax's tolerance (reduction_size_plus_range) for input x along `axis`: the axis length plus
// the largest |x - max| in any slice (finite values only).
double softmax_k(const HostTensor& x, int64_t axis);

}  // namespace keel::onednn_test
