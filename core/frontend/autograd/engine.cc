// The backward pass: collect the Nodes the roots reach, count each Node's incoming edges, then run Nodes whose
// cotangents are complete, latest-created first, adding every gradient a Node returns into the slot its edge
// names. Leaves accumulate into .grad (backward) or the requested inputs' gradients are captured (grad).
#include "autograd/engine.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <queue>
#include <utility>
#include <vector>

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

// Node → dense index (open addressing, linear probing). The pass keeps its per-Node state in vectors by this
// index: with hash maps and sets, allocating their entries cost more than running a small graph's Nodes.
class NodeIndex {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  NodeIndex() : slots_(kInitialSlots) {}
  // The index of `n`; a new Node gets the next one and `added` is set.
  uint32_t insert(const Node* n, bool& added) {
    if (2 * (count_ + 1) > slots_.size()) grow();
    Slot& s = slots_[home(n)];
    added = s.node != n;
    if (added) s = {n, count_++};
    return s.index;
  }
  // kNone for a Node never inserted.
  uint32_t find(const Node* n) const {
    const Slot& s = slots_[home(n)];
    return s.node == n ? s.index : kNone;
  }

 private:
  static constexpr size_t kInitialSlots = 16;  // a power of two
  struct Slot {
    const Node* node = nullptr;
    uint32_t index = 0;
  };

  // The slot holding `n`, or the empty one where it would go.
  size_t home(const Node* n) const {
    const size_t mask = slots_.size() - 1;
    size_t i = static_cast<size_t>((reinterpret_cast<uintptr_t>(n) * 0x9E3779B97F4A7C15ull) >> 32) & mask;
    while (slots_[i].node != nullptr && slots_[i].node != n) i = (i + 1) & mask;
    return i;
  }
  void grow() {
    std::vector<Slot> old = std::exchange(slots_, std::vector<Slot>(2 * slots_.size()));
    for (const Slot& s : old) {
      if (s.node != nullptr) slots_[home(s.node)] = s;
    }
  }

  std::vector<Slot> slots_;  // a power of two in size, at most half full
  uint32_t count_ = 0;
};

// The Nodes the roots reach, by index.
struct Reached {
  NodeIndex index;
  std::vector<Node*> nodes;
  uint32_t of(const Node* n) const { return index.find(n); }
};

void collect(const std::vector<Edge>& roots, Reached& reached) {
  std::vector<Node*> stack;
  auto visit = [&](const Edge& e) {
    bool added = false;
    if (e.valid()) reached.index.insert(e.node.get(), added);
    if (!added) return;
    reached.nodes.push_back(e.node.get());
    stack.push_back(e.node.get());
  };
  for (const Edge& e : roots) visit(e);
  while (!stack.empty()) {
    Node* n = stack.back();
    stack.pop_back();
    for (const Edge& e : n->next) visit(e);
  }
}

// Per reached Node: whether some target Node is reachable from it (the targets included).
std::vector<char> leading_to(const Reached& reached, const std::vector<Edge>& targets) {
  std::vector<char> needed(reached.nodes.size(), 0);
  for (const Edge& t : targets) {
    if (!t.valid()) continue;
    if (const uint32_t i = reached.of(t.node.get()); i != NodeIndex::kNone) needed[i] = 1;
  }
  // Nodes run before their inputs' Nodes; visiting in creation order finds every input first.
  std::vector<Node*> order(reached.nodes);
  std::sort(order.begin(), order.end(), BySequence());
  bool changed = true;
  while (changed) {  // repeats only when an accumulator was created after its consumer
    changed = false;
    for (Node* n : order) {
      char& mine = needed[reached.of(n)];
      if (mine) continue;
      for (const Edge& e : n->next) {
        if (e.valid() && needed[reached.of(e.node.get())]) {
          mine = 1;
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
  Reached reached;
  collect(roots, reached);
  const size_t count = reached.nodes.size();
  const bool capturing = request.targets != nullptr;
  const std::vector<char> needed = capturing ? leading_to(reached, *request.targets) : std::vector<char>(count, 1);
  // Every Node asked about was reached: it is a root or an edge of a reached Node.
  auto wanted = [&](const Node* n) { return needed[reached.of(n)] != 0; };

  std::vector<int64_t> dependencies(count, 0);
  for (size_t i = 0; i < count; ++i) {
    if (!needed[i]) continue;
    for (const Edge& e : reached.nodes[i]->next) {
      if (e.valid() && wanted(e.node.get())) ++dependencies[reached.of(e.node.get())];
    }
  }
  std::vector<std::vector<Tensor>> buffers(count);
  auto buffer_of = [&](Node* n) -> std::vector<Tensor>& {
    std::vector<Tensor>& b = buffers[reached.of(n)];
    if (b.empty()) b.resize(std::max<size_t>(n->output_info.size(), 1));
    return b;
  };
  for (size_t i = 0; i < roots.size(); ++i) {
    if (roots[i].valid() && wanted(roots[i].node.get())) add_into(buffer_of(roots[i].node.get())[roots[i].slot], root_grads[i]);
  }
  std::priority_queue<Node*, std::vector<Node*>, BySequence> ready;
  std::vector<char> queued(count, 0);
  auto enqueue = [&](Node* n) {
    char& q = queued[reached.of(n)];
    if (!q) ready.push(n);
    q = 1;
  };
  for (const Edge& r : roots) {
    if (r.valid() && wanted(r.node.get()) && dependencies[reached.of(r.node.get())] == 0) enqueue(r.node.get());
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
    buffers[reached.of(n)] = {};
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
      if (--dependencies[reached.of(e.node.get())] == 0) enqueue(e.node.get());
    }
  }
  return captured;
}

}  // namespace keel::detail
