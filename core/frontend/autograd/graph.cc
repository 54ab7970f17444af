#include "autograd/graph.h"

#include <atomic>

#include "autograd/accumulate.h"
#include "tensor/make.h"

namespace keel::detail {
namespace {

std::atomic<uint64_t> next_sequence{1};

}  // namespace

Node::Node() : sequence(next_sequence.fetch_add(1, std::memory_order_relaxed)) {}

AutogradMeta& autograd_meta(const Tensor& tensor) {
  TensorImpl* impl = tensor.impl();
  if (impl->autograd == nullptr) impl->autograd = new AutogradMeta;
  return *impl->autograd;
}

Tensor alias(const Tensor& tensor) {
  if (!tensor.defined()) return tensor;
  return view_of(tensor, tensor.shape(), tensor.strides(), tensor.byte_offset());
}

Edge gradient_edge(const Tensor& tensor) {
  AutogradMeta* meta = autograd_meta_if(tensor);
  if (meta == nullptr) return {};
  if (meta->grad_fn != nullptr) return {meta->grad_fn, meta->output_nr};
  if (!meta->requires_grad) return {};
  std::shared_ptr<Node> accumulator = meta->accumulator.lock();
  if (accumulator == nullptr) {
    accumulator = std::make_shared<AccumulateGrad>(tensor);
    meta->accumulator = accumulator;
  }
  return {accumulator, 0};
}

SavedTensor::SavedTensor(const Tensor& tensor, bool is_output, uint32_t output_nr)
    : output_(is_output), output_nr_(output_nr), was_defined_(tensor.defined()) {
  if (!tensor.defined()) return;
  version_ = tensor.impl()->storage->version.load(std::memory_order_relaxed);
  if (!is_output) {
    data_ = tensor;
    return;
  }
  // An output: keep the data, not the grad_fn (which is the Node keeping this), or a cycle would form.
  data_ = alias(tensor);
  const AutogradMeta* meta = autograd_meta_if(tensor);
  if (meta != nullptr) autograd_meta(data_).tangents = meta->tangents;
}

void SavedTensor::set_tangents(const std::vector<Tangent>& tangents) {
  if (data_.defined()) autograd_meta(data_).tangents = tangents;
}

Tensor SavedTensor::unpack(const std::shared_ptr<Node>& owner) const {
  if (!was_defined_) return Tensor();
  if (!data_.defined()) {
    fail(KEEL_STATUS_FAILED_PRECONDITION,
         "backward through the graph a second time: its saved tensors were freed by the first backward (pass "
         "retain_graph = true to keep them)");
  }
  if (data_.impl()->storage->version.load(std::memory_order_relaxed) != version_) {
    fail(KEEL_STATUS_FAILED_PRECONDITION,
         std::string("a tensor needed by the backward of ") + owner->name() +
             " was modified in place after it was saved; clone it before the in-place update");
  }
  if (!output_) return data_;
  Tensor out = alias(data_);
  AutogradMeta& meta = autograd_meta(out);
  meta.grad_fn = owner;
  meta.output_nr = output_nr_;
  if (const AutogradMeta* saved = autograd_meta_if(data_)) meta.tangents = saved->tangents;
  return out;
}

}  // namespace keel::detail
