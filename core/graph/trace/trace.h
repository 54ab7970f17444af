// Tracing: dynamic (eager) code to a static graph. keel::trace runs a function once on example inputs with
// the front end's eager operators and records every spec call it makes into a graph::Graph, which the
// executor can then replay (optimized, planned, on any device) with new inputs of the same shapes.
//
// What is recorded: each top-level spec call, with its attributes as the call passed them (defaults filled
// in). Autograd's backward calls are spec calls too, so a function that computes gradients (autograd::grad
// inside it) traces to a training graph: forward and backward, built from the spec's VJP formulas.
// Tensors the function reads that are neither inputs nor results of recorded calls (parameters, tensors made
// from host data) become constants holding their values at trace time. Control flow is not recorded: the
// graph is the path the example inputs took.
//
// Errors (keel::Error, FAILED_PRECONDITION): a traced tensor modified in place (copy_, fill_, set_data)
// during the trace, or a result of the function that no recorded call produced and that is not an input.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "graph/ir/graph.h"
#include "keel/tensor.hpp"

namespace keel {

using TracedFunction = std::function<std::vector<Tensor>(std::span<const Tensor>)>;

struct TraceOptions {
  std::string name = "traced";
  std::vector<std::string> input_names;   // default input0, input1, ...
  std::vector<std::string> output_names;  // default output0, output1, ...
};

// The graph of `fn` on `example_inputs` (graph inputs in that order; outputs in the order fn returns them),
// validated (types inferred).
graph::Graph trace(const TracedFunction& fn, std::span<const Tensor> example_inputs, const TraceOptions& options = {});

// Host copy of a tensor's elements (row-major), as a graph constant or executor input takes it.
graph::HostTensor to_host_tensor(const Tensor& tensor);

}  // namespace keel
