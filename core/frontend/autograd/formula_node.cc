#include "autograd/formula_node.h"

#include <algorithm>

#include "autograd/evaluator.h"
#include "tensor/make.h"

namespace keel::detail {
namespace {

std::string shape_text(std::span<const int64_t> shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i) text += (i ? "," : "") + std::to_string(shape[i]);
  return text + "]";
}

}  // namespace

std::string unmet_requirement(int32_t op, const void* attrs) {
  const OpEntry& entry = op_table()[op];
  for (uint32_t i = 0; i < entry.requirement_count; ++i) {
    const Requirement& r = entry.requirements[i];
    if (attr_int(entry, attrs, static_cast<size_t>(r.attr)) != r.value) {
      return std::string(entry.name) + " is differentiable only with " + r.text;
    }
  }
  return "";
}

namespace {

OutputInfo info_of_one(const Tensor& tensor) {
  OutputInfo info;
  if (!tensor.defined()) return info;
  info.dtype = tensor.dtype();
  const std::span<const int64_t> shape = tensor.shape();
  info.rank = static_cast<uint32_t>(shape.size());
  std::copy(shape.begin(), shape.end(), info.dims);
  info.device = &device_of(tensor);
  return info;
}

}  // namespace

std::vector<OutputInfo> info_of(std::span<const Tensor> tensors) {
  std::vector<OutputInfo> info;
  info.reserve(tensors.size());
  for (const Tensor& t : tensors) info.push_back(info_of_one(t));
  return info;
}

std::vector<OutputInfo> info_of(std::span<const Tensor* const> tensors) {
  std::vector<OutputInfo> info;
  info.reserve(tensors.size());
  for (const Tensor* t : tensors) info.push_back(info_of_one(*t));
  return info;
}

FormulaNode::FormulaNode(int32_t op, Attrs attrs, std::vector<SavedTensor> inputs, std::vector<OutputInfo> input_info,
                         std::vector<SavedTensor> outputs)
    : op_(op),
      attrs_(std::move(attrs)),
      inputs_(std::move(inputs)),
      input_info_(std::move(input_info)),
      outputs_(std::move(outputs)) {}

std::string FormulaNode::name() const { return op_table()[op_].name; }

void FormulaNode::release_saved() {
  for (SavedTensor& s : inputs_) s.reset();
  for (SavedTensor& s : outputs_) s.reset();
  released_ = true;
}

void FormulaNode::set_output_tangents(uint32_t output, const std::vector<Tangent>& tangents) {
  if (output < outputs_.size()) outputs_[output].set_tangents(tangents);
}

std::vector<Tensor> FormulaNode::apply(std::vector<Tensor>& grads) {
  const OpEntry& op = op_table()[op_];
  if (std::string why = unmet_requirement(op_, attrs_.get()); !why.empty()) {
    fail(KEEL_STATUS_FAILED_PRECONDITION, "cannot differentiate through " + why + " (this call has other values)");
  }
  const std::shared_ptr<Node> self = shared_from_this();
  std::vector<Tensor> inputs, outputs;
  for (const SavedTensor& s : inputs_) inputs.push_back(s.unpack(self));
  for (const SavedTensor& s : outputs_) outputs.push_back(s.unpack(self));
  FormulaCall call;
  call.op = op_;
  call.attrs = attrs_.get();
  call.inputs = inputs;
  call.input_info = input_info_;
  call.outputs = outputs;
  call.output_info = output_info;
  call.grads = grads;
  Evaluator ev(call, FormulaSet::kGradient);

  std::vector<Tensor> result(next.size());
  for (uint32_t i = 0; i < op.input_count; ++i) {
    const size_t first = i;
    const size_t count = op.variadic_input && i + 1 == op.input_count ? next.size() - i : 1;
    const bool wanted = std::any_of(next.begin() + first, next.begin() + first + count,
                                    [](const Edge& e) { return e.valid(); });
    if (!wanted || op.vjp[i].expr == nullptr) continue;
    std::vector<Tensor> values = ev.eval_list(*op.vjp[i].expr);
    for (size_t k = 0; k < count && k < values.size(); ++k) {
      Tensor& g = values[k];
      const OutputInfo& info = input_info_[first + k];
      const std::span<const int64_t> want = info.shape();
      if (!std::equal(g.shape().begin(), g.shape().end(), want.begin(), want.end()) || g.dtype() != info.dtype) {
        fail(KEEL_STATUS_INTERNAL, std::string(op.name) + ": the vjp formula for '" + op.input_names[i] + "' gave " +
                                       dtype_name(g.dtype()) + shape_text(g.shape()) + ", the input is " +
                                       dtype_name(info.dtype) + shape_text(want));
      }
      result[first + k] = std::move(g);
    }
  }
  return result;
}

std::vector<Tensor> ErrorNode::apply(std::vector<Tensor>&) {
  fail(KEEL_STATUS_FAILED_PRECONDITION, "cannot differentiate through " + op_ + ": " + reason_);
}

}  // namespace keel::detail
