// The Node at a leaf that requires grad: backward adds the gradient arriving there into the leaf's .grad.
#pragma once

#include <string>
#include <vector>

#include "autograd/graph.h"

namespace keel::detail {

class AccumulateGrad final : public Node {
 public:
  explicit AccumulateGrad(const Tensor& leaf) : leaf_(leaf) {}
  std::string name() const override { return "AccumulateGrad"; }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override;
  // Adds `grad` into the leaf's .grad (detached unless `keep_graph`).
  void accumulate(const Tensor& grad, bool keep_graph);

 private:
  Tensor leaf_;
};

}  // namespace keel::detail
