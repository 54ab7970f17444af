// The backward pass over the graph (autograd/engine.cc).
#pragma once

#include <vector>

#include "autograd/graph.h"

namespace keel::detail {

struct BackwardRequest {
  bool retain_graph = false;
  bool create_graph = false;
  // grad(): capture the gradient arriving at each of these edges instead of accumulating into leaves.
  const std::vector<Edge>* targets = nullptr;
};

// Propagates root_grads[i] from roots[i]; returns one gradient per target (undefined where none arrived).
std::vector<Tensor> run_backward(const std::vector<Edge>& roots, const std::vector<Tensor>& root_grads,
                                 const BackwardRequest& request);

}  // namespace keel::detail
