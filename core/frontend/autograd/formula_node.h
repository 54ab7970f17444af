// The Node of a recorded spec operator: its backward evaluates the operator's VJP formulas (op_table.h) on the
// saved inputs and outputs. Operators the spec does not differentiate get a Node that raises instead.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "autograd/graph.h"
#include "dispatch/attrs.h"

namespace keel::detail {

class FormulaNode final : public Node {
 public:
  FormulaNode(int32_t op, Attrs attrs, std::vector<SavedTensor> inputs, std::vector<OutputInfo> input_info,
              std::vector<SavedTensor> outputs);
  std::string name() const override;
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override;
  void release_saved() override;
  void set_output_tangents(uint32_t output, const std::vector<Tangent>& tangents);

 private:
  int32_t op_;
  Attrs attrs_;
  std::vector<SavedTensor> inputs_;   // flattened; undefined where the VJP formulas do not read the input
  std::vector<OutputInfo> input_info_;
  std::vector<SavedTensor> outputs_;  // flattened; likewise
  bool released_ = false;
};

// Raises FAILED_PRECONDITION when a gradient reaches it.
class ErrorNode final : public Node {
 public:
  ErrorNode(std::string op, std::string reason) : op_(std::move(op)), reason_(std::move(reason)) {}
  std::string name() const override { return op_; }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override;

 private:
  std::string op_;
  std::string reason_;
};

// The attributes of the call fail the operator's gradient requirements: returns why ("" when they hold).
std::string unmet_requirement(int32_t op, const void* attrs);
// Per-input metadata of a call (dtype invalid for an absent input).
std::vector<OutputInfo> info_of(std::span<const Tensor> tensors);
std::vector<OutputInfo> info_of(std::span<const Tensor* const> tensors);

}  // namespace keel::detail
