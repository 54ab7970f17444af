#include "autograd/graph.h"

#include <algorithm>
#include <atomic>

#include "autograd/accumulate.h"
#include "autograd/forward.h"
#include "autograd/hooks.h"
#include "tensor/make.h"

namespace keel::detail {
namespace {

std::atomic<uint64_t> next_sequence{1};

SavedTangent save_tangent(uint64_t level, const Tensor& tangent) {
  SavedTangent saved{.level = level};
  const AutogradMeta* meta = autograd_meta_if(tangent);
  if (meta == nullptr || meta->grad_fn == nullptr) {
    saved.value = tangent;
    return saved;
  }
  saved.value = alias(tangent);
  saved.weak = true;
  saved.grad_fn = meta->grad_fn;
  saved.output_nr = meta->output_nr;
  for (const Tangent& inner : meta->tangents) saved.tangents.push_back(save_tangent(inner.level, inner.value));
  return saved;
}

std::vector<SavedTangent> save_tangents(const std::vector<Tangent>& tangents) {
  std::vector<SavedTangent> saved;
  saved.reserve(tangents.size());
  for (const Tangent& t : tangents) saved.push_back(save_tangent(t.level, t.value));
  return saved;
}

// Appends the tangents that still matter to `out`. A tangent whose graph is gone (nothing else kept it) is
// dropped at a level that has ended, and given back as a constant where no graph is being recorded; recording
// its use would silently lose the derivative through it, so that is an error.
void restore_tangents(const std::vector<SavedTangent>& saved, const std::vector<uint64_t>& active,
                      const Node& owner, std::vector<Tangent>& out) {
  for (const SavedTangent& s : saved) {
    if (!s.weak) {
      out.push_back({s.level, s.value});
      continue;
    }
    std::shared_ptr<Node> grad_fn = s.grad_fn.lock();
    const bool is_active = std::find(active.begin(), active.end(), s.level) != active.end();
    if (grad_fn == nullptr && !is_active) continue;
    if (grad_fn == nullptr && grad_enabled()) {
      fail(KEEL_STATUS_FAILED_PRECONDITION,
           "a recorded backward (create_graph) through " + owner.name() +
               " inside a forward-mode level needs the graph of its output's tangent, which was freed with every "
               "tensor that carried it; keep that output or a result computed from it (with its tangent) alive");
    }
    Tensor value = alias(s.value);
    AutogradMeta& meta = autograd_meta(value);
    meta.grad_fn = std::move(grad_fn);
    meta.output_nr = meta.grad_fn != nullptr ? s.output_nr : 0;
    restore_tangents(s.tangents, active, owner, meta.tangents);
    out.push_back({s.level, std::move(value)});
  }
}

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

Tensor alias_in_graph(const Tensor& tensor) {
  Tensor out = alias(tensor);
  const AutogradMeta* meta = autograd_meta_if(tensor);
  if (meta == nullptr || (meta->grad_fn == nullptr && meta->tangents.empty())) return out;
  AutogradMeta& out_meta = autograd_meta(out);
  out_meta.grad_fn = meta->grad_fn;
  out_meta.output_nr = meta->output_nr;
  out_meta.tangents = meta->tangents;
  return out;
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
  if (const AutogradMeta* meta = autograd_meta_if(tensor)) tangents_ = save_tangents(meta->tangents);
}

void SavedTensor::set_tangents(const std::vector<Tangent>& tangents) {
  if (data_.defined()) tangents_ = save_tangents(tangents);
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
  if (!tangents_.empty()) restore_tangents(tangents_, active_levels(), *owner, meta.tangents);
  return out;
}

}  // namespace keel::detail
