#include "autograd/accumulate.h"

namespace keel::detail {

std::vector<Tensor> AccumulateGrad::apply(std::vector<Tensor>&) { return {}; }

void AccumulateGrad::accumulate(const Tensor& grad, bool keep_graph) {
  if (!grad.defined()) return;
  AutogradMeta& meta = autograd_meta(leaf_);
  Tensor value = keep_graph ? grad : grad.detach();
  meta.grad = meta.grad.defined() ? meta.grad + value : value;
  if (!keep_graph) meta.grad = meta.grad.detach();
}

}  // namespace keel::detail
