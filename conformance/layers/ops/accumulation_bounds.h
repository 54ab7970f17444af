// The per-element bound of the accumulation tolerance class, c · K · ε · M + smallest normal
// (ir_spec/README.md): K from reduction_lengths.h, ε the output dtype's machine epsilon, M op_on_abs (the
// operator applied to |inputs| in f64: a second reference run), output (|ref|) or output_plus_one (|ref| + 1).
#pragma once

#include <span>
#include <vector>

#include "layers/ops/call_execution.h"

namespace keel::conform {

// The bounds for output `output`. `reference` is that output of the reference run; `on_abs` the same output
// of the run on |inputs| (used only with magnitude op_on_abs).
std::vector<double> accumulation_bounds(const OpCall& call, std::span<const HostTensor> inputs, size_t output,
                                        const HostTensor& reference, const HostTensor* on_abs);

}  // namespace keel::conform
