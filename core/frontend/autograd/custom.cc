// User-defined differentiable functions: forward runs unrecorded; a Node calls the user's vjp, and forward mode
// calls the user's jvp (with its own level hidden, as for spec operators).
#include <algorithm>

#include "autograd/forward.h"
#include "autograd/formula_node.h"
#include "autograd/hooks.h"
#include "keel/autograd.hpp"
#include "tensor/make.h"

namespace keel::autograd {
namespace {

using detail::fail;

class CustomNode final : public detail::Node {
 public:
  CustomNode(const CustomFunction& function, std::span<const Tensor> inputs, std::span<const Tensor> outputs)
      : function_(function) {
    for (const Tensor& t : inputs) inputs_.emplace_back(t, false);
    for (size_t i = 0; i < outputs.size(); ++i) outputs_.emplace_back(outputs[i], true, static_cast<uint32_t>(i));
  }
  std::string name() const override { return function_.name; }

  std::vector<Tensor> apply(std::vector<Tensor>& grads) override {
    if (!function_.vjp) fail(KEEL_STATUS_UNIMPLEMENTED, "custom function '" + function_.name + "' has no vjp");
    const std::shared_ptr<Node> self = shared_from_this();
    std::vector<Tensor> inputs, outputs;
    for (const detail::SavedTensor& s : inputs_) inputs.push_back(s.unpack(self));
    for (const detail::SavedTensor& s : outputs_) outputs.push_back(s.unpack(self));
    for (size_t i = 0; i < grads.size(); ++i) {
      if (!grads[i].defined()) grads[i] = zeros_like(outputs[i]);
    }
    std::vector<Tensor> result = function_.vjp(inputs, outputs, grads);
    if (result.size() != inputs.size()) {
      fail(KEEL_STATUS_INVALID_ARGUMENT, "custom function '" + function_.name + "': vjp must return one gradient per input");
    }
    return result;
  }

  void set_output_tangents(size_t output, const std::vector<detail::Tangent>& tangents) {
    outputs_[output].set_tangents(tangents);
  }

  void release_saved() override {
    for (detail::SavedTensor& s : inputs_) s.reset();
    for (detail::SavedTensor& s : outputs_) s.reset();
  }

 private:
  CustomFunction function_;
  std::vector<detail::SavedTensor> inputs_;
  std::vector<detail::SavedTensor> outputs_;
};

}  // namespace

std::vector<Tensor> apply(const CustomFunction& function, std::span<const Tensor> inputs) {
  if (!function.forward) fail(KEEL_STATUS_INVALID_ARGUMENT, "custom function '" + function.name + "' has no forward");
  std::vector<Tensor> outputs;
  {
    NoGrad no_grad;
    detail::ForwardOff forward_off;
    for (const Tensor& t : function.forward(inputs)) outputs.push_back(detail::alias(t));
  }
  const bool record = is_grad_enabled() && std::any_of(inputs.begin(), inputs.end(), [](const Tensor& t) {
                        return detail::needs_grad(t) && is_floating_point(t.dtype());
                      });
  std::shared_ptr<CustomNode> node;
  if (record) {
    node = std::make_shared<CustomNode>(function, inputs, outputs);
    for (const Tensor& t : inputs) {
      node->next.push_back(is_floating_point(t.dtype()) ? detail::gradient_edge(t) : detail::Edge{});
    }
    node->output_info = detail::info_of(outputs);
    for (size_t i = 0; i < outputs.size(); ++i) {
      if (!is_floating_point(outputs[i].dtype())) continue;
      detail::AutogradMeta& meta = detail::autograd_meta(outputs[i]);
      meta.grad_fn = node;
      meta.output_nr = static_cast<uint32_t>(i);
    }
  }
  for (uint64_t level : detail::active_levels()) {
    std::vector<Tensor> tangents(inputs.size());
    bool any = false;
    for (size_t i = 0; i < inputs.size(); ++i) {
      tangents[i] = detail::tangent_at(inputs[i], level);
      any = any || tangents[i].defined();
      if (!tangents[i].defined()) tangents[i] = zeros_like(inputs[i]);
    }
    if (!any) continue;
    if (!function.jvp) fail(KEEL_STATUS_UNIMPLEMENTED, "custom function '" + function.name + "' has no jvp");
    // The jvp reads the outputs as they are now (with the tangents of the levels before this one).
    std::vector<Tensor> read_outputs;
    for (const Tensor& out : outputs) read_outputs.push_back(detail::alias_in_graph(out));
    detail::LevelMask mask(level);
    std::vector<Tensor> out_tangents = function.jvp(inputs, read_outputs, tangents);
    for (size_t i = 0; i < outputs.size() && i < out_tangents.size(); ++i) {
      if (out_tangents[i].defined() && is_floating_point(outputs[i].dtype())) {
        detail::set_tangent(outputs[i], level, out_tangents[i]);
      }
    }
  }
  if (node != nullptr) {
    for (size_t i = 0; i < outputs.size(); ++i) {
      if (const detail::AutogradMeta* meta = detail::autograd_meta_if(outputs[i])) node->set_output_tangents(i, meta->tangents);
    }
  }
  return outputs;
}

}  // namespace keel::autograd
