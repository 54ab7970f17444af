// Recording eager calls into the graph, and differentiating through decompositions.
#include <algorithm>

#include "autograd/evaluator.h"
#include "autograd/formula_node.h"
#include "autograd/hooks.h"
#include "dispatch/infer.h"
#include "dispatch/op_table.h"
#include "tensor/make.h"

namespace keel::detail {
namespace {

thread_local bool g_grad_enabled = true;

// Flattened position → declared input of `op`.
uint32_t declared_input(const OpEntry& op, size_t position) {
  return op.variadic_input ? std::min<uint32_t>(static_cast<uint32_t>(position), op.input_count - 1)
                           : static_cast<uint32_t>(position);
}

uint32_t declared_output(const OpEntry& op, size_t position) {
  return op.variadic_output ? std::min<uint32_t>(static_cast<uint32_t>(position), op.output_count - 1)
                            : static_cast<uint32_t>(position);
}

std::string shape_text(std::span<const int64_t> shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i) text += (i ? "," : "") + std::to_string(shape[i]);
  return text + "]";
}

}  // namespace

bool grad_enabled() { return g_grad_enabled; }
void set_grad_enabled(bool enabled) { g_grad_enabled = enabled; }

void record_call(int32_t op_index, const void* attrs, Inputs inputs, std::span<Tensor> outputs) {
  const OpEntry& op = op_table()[op_index];
  if (std::none_of(outputs.begin(), outputs.end(), [](const Tensor& t) { return is_floating_point(t.dtype()); })) {
    return;  // booleans and indices carry no gradient
  }
  std::vector<Edge> edges(inputs.size());
  bool any = false;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const Tensor& t = *inputs[i];
    if (!needs_grad(t) || !is_floating_point(t.dtype())) continue;
    if (op.differentiable && op.vjp[declared_input(op, i)].expr == nullptr) continue;  // `none`: no gradient flows
    edges[i] = gradient_edge(t);
    any = true;
  }
  if (!any) return;

  std::shared_ptr<Node> node;
  if (op.differentiable) {
    std::vector<SavedTensor> saved_inputs(inputs.size()), saved_outputs(outputs.size());
    for (size_t i = 0; i < inputs.size(); ++i) {
      if (op.vjp_inputs & (1u << declared_input(op, i))) saved_inputs[i] = SavedTensor(*inputs[i], false);
    }
    for (size_t i = 0; i < outputs.size(); ++i) {
      if (op.vjp_outputs & (1u << declared_output(op, i))) {
        saved_outputs[i] = SavedTensor(outputs[i], true, static_cast<uint32_t>(i));
      }
    }
    node = std::make_shared<FormulaNode>(op_index, Attrs(op, attrs), std::move(saved_inputs), info_of(inputs),
                                         std::move(saved_outputs));
  } else {
    node = std::make_shared<ErrorNode>(op.name, op.none_reason);
  }
  node->next = std::move(edges);
  node->output_info = info_of(outputs);
  for (size_t i = 0; i < outputs.size(); ++i) {
    if (!is_floating_point(outputs[i].dtype())) continue;
    AutogradMeta& meta = autograd_meta(outputs[i]);
    meta.grad_fn = node;
    meta.output_nr = static_cast<uint32_t>(i);
  }
  // The saved outputs were copied before their grad_fn was set; they get it back on unpack.
}

void run_decomposition(int32_t op_index, const void* attrs, Inputs inputs, std::vector<Tensor>& outputs) {
  const OpEntry& op = op_table()[op_index];
  std::vector<Tensor> all(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) all[i] = *inputs[i];
  const std::vector<OutputInfo> input_info = info_of(all);
  FormulaCall call;
  call.op = op_index;
  call.attrs = attrs;
  call.inputs = all;
  call.input_info = input_info;
  Evaluator ev(call, FormulaSet::kDecomposition);
  outputs.clear();
  for (uint32_t i = 0; i < op.decomposition_count; ++i) {
    for (Tensor& t : ev.eval_list(*op.decomposition[i].expr)) outputs.push_back(std::move(t));
  }
  // A decomposition that disagrees with the operator's shape rules is a spec bug: say so here rather than
  // hand back tensors that differ from what the kernel returns for the same call.
  OutputMetas metas;
  infer_outputs(op_index, attrs, inputs, metas);
  for (size_t i = 0; i < outputs.size() && i < metas.size(); ++i) {
    const std::span<const int64_t> want(metas[i].dims, metas[i].rank);
    if (!std::equal(want.begin(), want.end(), outputs[i].shape().begin(), outputs[i].shape().end())) {
      fail(KEEL_STATUS_INTERNAL, std::string(op.name) + ": the spec's decomposition of output " +
                                     std::to_string(i) + " gives " + shape_text(outputs[i].shape()) +
                                     ", its shape rule " + shape_text(want));
    }
  }
}

}  // namespace keel::detail
