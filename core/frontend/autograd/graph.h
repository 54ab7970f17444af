// The autograd graph: a Tensor produced by a recorded operator points at its Node (grad_fn); a Node points at
// the Nodes of its inputs (edges) and keeps the tensors its backward formulas read. Leaves that require grad
// get an accumulator Node that adds into their .grad. Backward runs Nodes in reverse creation order.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "keel/tensor.hpp"

namespace keel::detail {

struct DeviceState;
class Node;

// Where the gradient of one forward input goes: output `slot` of `node` (an accumulator's slot 0 for a leaf).
struct Edge {
  std::shared_ptr<Node> node;
  uint32_t slot = 0;
  bool valid() const { return node != nullptr; }
};

// A tangent of forward-mode differentiation at one level (autograd/forward.h).
struct Tangent {
  uint64_t level;
  Tensor value;
};

struct AutogradMeta {
  bool requires_grad = false;  // a leaf the user marked; non-leaves have grad_fn instead
  bool retains_grad = false;
  Tensor grad;
  std::shared_ptr<Node> grad_fn;
  uint32_t output_nr = 0;
  std::weak_ptr<Node> accumulator;  // leaves
  std::vector<Tangent> tangents;
  std::shared_ptr<Tensor> retained_grad;  // retain_grad() on a non-leaf: backward adds its gradient here
};

// What a Node knows about one forward output: enough to make zeros for a cotangent that never arrived. The
// shape is held in place: a recorded call makes one of these per input and output.
struct OutputInfo {
  Dtype dtype = Dtype::invalid;
  uint32_t rank = 0;
  int64_t dims[KEEL_MAX_RANK] = {};
  DeviceState* device = nullptr;

  std::span<const int64_t> shape() const { return {dims, rank}; }
};

class Node : public std::enable_shared_from_this<Node> {
 public:
  Node();
  virtual ~Node() = default;
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  virtual std::string name() const = 0;
  // `grads[i]` is the cotangent of forward output i (undefined when none arrived; at least one is defined).
  // Returns one gradient per edge of `next` (undefined where none flows).
  virtual std::vector<Tensor> apply(std::vector<Tensor>& grads) = 0;
  // Drops the tensors kept for backward (after a backward without retain_graph).
  virtual void release_saved() {}

  std::vector<Edge> next;            // per forward input tensor (a variadic input expanded)
  std::vector<OutputInfo> output_info;  // per forward output
  uint64_t sequence;                    // creation order: a Node runs before every Node created earlier
  // Non-leaf tensors that asked for their gradient (retain_grad): output slot → where to add it.
  std::vector<std::pair<uint32_t, std::weak_ptr<Tensor>>> retained;
};

// A tangent of a saved output. Its graph usually reaches the Node that saved the output (the JVP formula read
// that output), so a strong reference to its grad_fn would close a cycle: Node -> saved output's tangent ->
// tangent's grad_fn -> ... -> Node. A tangent with a grad_fn is therefore kept as an alias without autograd
// state plus a weak reference to that grad_fn (and its own tangents, for nested levels, likewise); a tangent
// without one (a constant or a leaf) is kept as is.
struct SavedTangent {
  uint64_t level = 0;
  Tensor value;
  bool weak = false;  // value is an alias: grad_fn, output_nr and tangents give back its autograd state
  std::weak_ptr<Node> grad_fn;
  uint32_t output_nr = 0;
  std::vector<SavedTangent> tangents;
};

// A tensor kept for backward. An output is kept without its grad_fn (the Node that keeps it is that grad_fn)
// and gets it back on unpack, as output `output_nr` of that Node; its tangents are kept as SavedTangents.
// The storage version is checked so an in-place change since is an error.
class SavedTensor {
 public:
  SavedTensor() = default;
  // `output_nr` is explicit: outputs are saved before the Node is attached to them, so their meta does not
  // know their position yet.
  SavedTensor(const Tensor& tensor, bool is_output, uint32_t output_nr = 0);
  Tensor unpack(const std::shared_ptr<Node>& owner) const;
  // The tangents an output got after it was saved (forward mode records them after the Node).
  void set_tangents(const std::vector<Tangent>& tangents);
  void reset() {
    data_ = Tensor();
    tangents_.clear();
  }
  bool defined() const { return data_.defined(); }

 private:
  Tensor data_;
  std::vector<SavedTangent> tangents_;  // an output's
  uint64_t version_ = 0;
  bool output_ = false;
  uint32_t output_nr_ = 0;
  bool was_defined_ = false;
};

// The meta of a tensor, created on first use.
AutogradMeta& autograd_meta(const Tensor& tensor);
inline AutogradMeta* autograd_meta_if(const Tensor& tensor) {
  return tensor.defined() ? tensor.impl()->autograd : nullptr;
}
// Requires grad: a marked leaf, or the output of a recorded operator.
inline bool needs_grad(const Tensor& tensor) {
  const AutogradMeta* m = autograd_meta_if(tensor);
  return m != nullptr && (m->requires_grad || m->grad_fn != nullptr);
}
// The edge a gradient of this tensor flows into; invalid for a tensor that does not require grad.
Edge gradient_edge(const Tensor& tensor);
// A new handle to the same data and shape without autograd state (no grad_fn, no tangents).
Tensor alias(const Tensor& tensor);
// A new handle to the same data at the same place in the graph (grad_fn and output_nr) with the tangents the
// tensor has now, not those set on it later. JVP formulas read an operator's outputs through it: the tangent
// they compute is set on the output afterwards and must not be reachable from the graph they record (output
// -> tangent -> its grad_fn -> saved output).
Tensor alias_in_graph(const Tensor& tensor);

}  // namespace keel::detail
