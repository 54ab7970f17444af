// The backward pass: collect the Nodes the roots reach, count each Node's incoming edges, then run Nodes whose
// cotangents are complete, latest-created first, adding every gradient a Node returns into the slot its edge
// names. Leaves accumulate into .grad (backward) or the requested inputs' gradients are captured (grad).
#include "autograd/engine.h"

#include <algorithm>
#include <optional>
#include <queue>
#include <unordered_map>
#include <unordered_set>

#include "autograd/accumulate.h"
#include "autograd/forward.h"
#include "autograd/hooks.h"
#include "keel/autograd.hpp"
#include "tensor/make.h"

namespace keel::detail {
namespace {

struct BySequence {
  bool operator()(const Node* a, const Node* b) const { return a->sequence < b->sequence; }
};

void add_into(Tensor& slot, const Tensor& value) {
  if (!value.defined()) return;
  slot = slot.defined() ? slot + value : value;
}

// Every Node reachable from the roots.
std::vector<Node*> reachable(const std::vector<Edge>& roots) {
  std::vector<Node*> nodes, stack;
  std::unordered_set<Node*> seen;
  for (const Edge& e : roots) {
    if (e.valid() && seen.insert(e.node.get()).second) stack.push_back(e.node.get());
  }
  while (!stack.empty()) {
    Node* n = stack.back();
    stack.pop_back();
    nodes.push_back(n);
    for (const Edge& e : n->next) {
      if (e.valid() && seen.insert(e.node.get()).second) stack.push_back(e.node.get());
    }
  }
  return nodes;
}

// The Nodes from which some target Node is reachable (the targets included).
std::unordered_set<Node*> leading_to(const std::vector<Node*>& nodes, const std::vector<Edge>& targets) {
  std::unordered_set<Node*> needed;
  for (const Edge& t : targets) {
    if (t.valid()) needed.insert(t.node.get());
  }
  // Nodes run before their inputs' Nodes; visiting in creation order finds every input first.
  std::vector<Node*> order(nodes);
  std::sort(order.begin(), order.end(), [](const Node* a, const Node* b) { return a->sequence < b->sequence; });
  bool changed = true;
  while (changed) {  // repeats only when an accumulator was created after its consumer
    changed = false;
    for (Node* n : order) {
      if (needed.count(n)) continue;
      for (const Edge& e : n->next) {
        if (e.valid() && needed.count(e.node.get())) {
          needed.insert(n);
          changed = true;
          break;
        }
      }
    }
  }
  return needed;
}

}  // namespace

std::vector<Tensor> run_backward(const std::vector<Edge>& roots, const std::vector<Tensor>& root_grads,
                                 const BackwardRequest& request) {
  std::vector<Node*> nodes = reachable(roots);
  const bool capturing = request.targets != nullptr;
  std::unordered_set<Node*> needed;
  if (capturing) {
    needed = leading_to(nodes, *request.targets);
    std::erase_if(nodes, [&](Node* n) { return !needed.count(n); });
  }
  auto wanted = [&](const Node* n) { return !capturing || needed.count(const_cast<Node*>(n)); };

  std::unordered_map<Node*, int64_t> dependencies;
  for (Node* n : nodes) {
    for (const Edge& e : n->next) {
      if (e.valid() && wanted(e.node.get())) ++dependencies[e.node.get()];
    }
  }
  std::unordered_map<Node*, std::vector<Tensor>> buffers;
  auto buffer_of = [&](Node* n) -> std::vector<Tensor>& {
    std::vector<Tensor>& b = buffers[n];
    if (b.empty()) b.resize(std::max<size_t>(n->output_info.size(), 1));
    return b;
  };
  for (size_t i = 0; i < roots.size(); ++i) {
    if (roots[i].valid() && wanted(roots[i].node.get())) add_into(buffer_of(roots[i].node.get())[roots[i].slot], root_grads[i]);
  }
  std::priority_queue<Node*, std::vector<Node*>, BySequence> ready;
  std::unordered_set<Node*> queued;
  for (const Edge& r : roots) {
    Node* n = r.node.get();
    if (r.valid() && wanted(n) && dependencies[n] == 0 && queued.insert(n).second) ready.push(n);
  }

  std::vector<Tensor> captured(capturing ? request.targets->size() : 0);
  const bool keep_graph = request.retain_graph || request.create_graph;
  std::optional<autograd::NoGrad> no_grad;
  std::optional<autograd::EnableGrad> enable_grad;
  if (request.create_graph) {
    enable_grad.emplace();
  } else {
    no_grad.emplace();
  }
  while (!ready.empty()) {
    Node* n = ready.top();
    ready.pop();
    std::vector<Tensor> grads = std::move(buffer_of(n));
    buffers.erase(n);
    if (capturing) {
      for (size_t t = 0; t < request.targets->size(); ++t) {
        const Edge& target = (*request.targets)[t];
        if (target.node.get() == n && target.slot < grads.size()) captured[t] = grads[target.slot];
      }
    }
    for (const auto& [slot, retained] : n->retained) {
      if (std::shared_ptr<Tensor> r = retained.lock(); r && slot < grads.size()) {
        add_into(*r, request.create_graph ? grads[slot] : grads[slot].detach());
      }
    }
    if (auto* accumulator = dynamic_cast<AccumulateGrad*>(n)) {
      if (!capturing) accumulator->accumulate(grads[0], request.create_graph);
      continue;
    }
    const bool feeds = std::any_of(n->next.begin(), n->next.end(),
                                   [&](const Edge& e) { return e.valid() && wanted(e.node.get()); });
    std::vector<Tensor> outs;
    if (feeds && std::any_of(grads.begin(), grads.end(), [](const Tensor& g) { return g.defined(); })) {
      outs = n->apply(grads);
    }
    if (!keep_graph) n->release_saved();
    for (size_t i = 0; i < n->next.size(); ++i) {
      const Edge& e = n->next[i];
      if (!e.valid() || !wanted(e.node.get())) continue;
      if (i < outs.size()) add_into(buffer_of(e.node.get())[e.slot], outs[i]);
      if (--dependencies[e.node.get()] == 0 && queued.insert(e.node.get()).second) ready.push(e.node.get());
    }
  }
  return captured;
}

}  // namespace keel::detail
