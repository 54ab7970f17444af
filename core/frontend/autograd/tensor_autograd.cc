// The autograd methods of keel::Tensor.
#include "autograd/engine.h"
#include "autograd/graph.h"
#include "keel/autograd.hpp"
#include "tensor/make.h"

namespace keel {

using detail::fail;

bool Tensor::requires_grad() const { return detail::needs_grad(*this); }

Tensor& Tensor::requires_grad_(bool value) {
  detail::AutogradMeta* meta = detail::autograd_meta_if(*this);
  if (meta != nullptr && meta->grad_fn != nullptr) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "requires_grad_(): only leaves can be marked (use detach() for a new leaf)");
  }
  if (value && !is_floating_point(dtype())) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, std::string("requires_grad_(): a ") + dtype_name(dtype()) +
                                           " tensor cannot require grad (floating-point dtypes only)");
  }
  detail::autograd_meta(*this).requires_grad = value;
  return *this;
}

bool Tensor::is_leaf() const {
  const detail::AutogradMeta* meta = detail::autograd_meta_if(*this);
  return meta == nullptr || meta->grad_fn == nullptr;
}

Tensor Tensor::grad() const {
  const detail::AutogradMeta* meta = detail::autograd_meta_if(*this);
  if (meta == nullptr) return Tensor();
  if (meta->retained_grad != nullptr) return *meta->retained_grad;
  return meta->grad;
}

void Tensor::set_grad(const Tensor& grad) {
  if (grad.defined() && !is_leaf()) fail(KEEL_STATUS_INVALID_ARGUMENT, "set_grad(): only leaves hold .grad");
  detail::autograd_meta(*this).grad = grad;
}

void Tensor::retain_grad() {
  detail::AutogradMeta& meta = detail::autograd_meta(*this);
  if (meta.grad_fn == nullptr || meta.retained_grad != nullptr) return;  // leaves keep .grad anyway
  meta.retained_grad = std::make_shared<Tensor>();
  meta.grad_fn->retained.emplace_back(meta.output_nr, meta.retained_grad);
}

std::string Tensor::grad_fn_name() const {
  const detail::AutogradMeta* meta = detail::autograd_meta_if(*this);
  return meta != nullptr && meta->grad_fn != nullptr ? meta->grad_fn->name() : "";
}

void Tensor::backward(const Tensor& gradient, const BackwardOptions& options) const {
  const Tensor outputs[] = {*this};
  const Tensor grads[] = {gradient};
  autograd::backward(outputs, grads, options);
}

Tensor Tensor::detach() const { return detail::alias(*this); }

}  // namespace keel
