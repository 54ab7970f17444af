// Forward mode: tangents travel with tensors per level; after each eager call the operator's JVP formulas give
// the outputs' tangents. A level's formulas run with that level hidden, so nested levels (forward over
// forward) and reverse passes inside a level (forward over reverse) compose without mixing perturbations.
#include <algorithm>
#include <atomic>

#include "autograd/evaluator.h"
#include "autograd/formula_node.h"
#include "autograd/forward.h"
#include "autograd/hooks.h"
#include "keel/autograd.hpp"
#include "tensor/make.h"

namespace keel::detail {
namespace {

thread_local std::vector<uint64_t> g_levels;  // active levels, innermost last
std::atomic<uint64_t> g_next_level{1};

bool is_active(uint64_t level) { return std::find(g_levels.begin(), g_levels.end(), level) != g_levels.end(); }

void check_tangent(const Tensor& primal, const Tensor& tangent, const std::string& what) {
  if (tangent.dtype() != primal.dtype() ||
      !std::equal(tangent.shape().begin(), tangent.shape().end(), primal.shape().begin(), primal.shape().end())) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, what + ": the tangent's dtype and shape must match the primal's");
  }
}

}  // namespace

LevelMask::LevelMask(uint64_t level) : level_(level) {
  auto it = std::find(g_levels.begin(), g_levels.end(), level);
  found_ = it != g_levels.end();
  position_ = static_cast<size_t>(it - g_levels.begin());
  if (found_) g_levels.erase(it);
}

LevelMask::~LevelMask() {
  if (found_) g_levels.insert(g_levels.begin() + static_cast<std::ptrdiff_t>(position_), level_);
}

ForwardOff::ForwardOff() : saved_(std::exchange(g_levels, {})) {}
ForwardOff::~ForwardOff() { g_levels = std::move(saved_); }

uint64_t push_level() {
  const uint64_t id = g_next_level.fetch_add(1, std::memory_order_relaxed);
  g_levels.push_back(id);
  return id;
}

void pop_level(uint64_t level) {
  auto it = std::find(g_levels.begin(), g_levels.end(), level);
  if (it != g_levels.end()) g_levels.erase(it);
}

uint64_t innermost_level() {
  if (g_levels.empty()) fail(KEEL_STATUS_FAILED_PRECONDITION, "no forward-mode level is active (use DualLevel)");
  return g_levels.back();
}

std::vector<uint64_t> active_levels() { return g_levels; }

bool forward_active() { return !g_levels.empty(); }

Tensor tangent_at(const Tensor& tensor, uint64_t level) {
  const AutogradMeta* meta = autograd_meta_if(tensor);
  if (meta == nullptr) return Tensor();
  for (const Tangent& t : meta->tangents) {
    if (t.level == level) return t.value;
  }
  return Tensor();
}

void set_tangent(const Tensor& tensor, uint64_t level, const Tensor& value) {
  std::vector<Tangent>& tangents = autograd_meta(tensor).tangents;
  for (Tangent& t : tangents) {
    if (t.level == level) {
      t.value = value;
      return;
    }
  }
  tangents.push_back({level, value});
}

void drop_tangent(const Tensor& tensor, uint64_t level) {
  if (AutogradMeta* meta = autograd_meta_if(tensor)) {
    std::erase_if(meta->tangents, [&](const Tangent& t) { return t.level == level; });
  }
}

bool has_active_tangent(const Tensor& tensor) {
  const AutogradMeta* meta = autograd_meta_if(tensor);
  if (meta == nullptr) return false;
  for (const Tangent& t : meta->tangents) {
    if (is_active(t.level)) return true;
  }
  return false;
}

void propagate_tangents(int32_t op_index, const void* attrs, Inputs inputs, std::span<Tensor> outputs) {
  const OpEntry& op = op_table()[op_index];
  if (std::none_of(outputs.begin(), outputs.end(), [](const Tensor& t) { return is_floating_point(t.dtype()); })) {
    return;
  }
  std::vector<Tensor> all(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) all[i] = *inputs[i];
  const std::vector<OutputInfo> input_info = info_of(all);
  for (uint64_t level : std::vector<uint64_t>(g_levels)) {
    std::vector<Tensor> tangents(all.size());
    bool any = false;
    for (size_t i = 0; i < all.size(); ++i) {
      tangents[i] = tangent_at(all[i], level);
      any = any || tangents[i].defined();
    }
    if (!any) continue;
    if (!op.differentiable) {
      fail(KEEL_STATUS_FAILED_PRECONDITION, std::string("cannot differentiate through ") + op.name + ": " + op.none_reason);
    }
    if (std::string why = unmet_requirement(op_index, attrs); !why.empty()) {
      fail(KEEL_STATUS_FAILED_PRECONDITION, "cannot differentiate through " + why + " (this call has other values)");
    }
    // The formulas read the outputs as they are now (with the tangents of the levels before this one).
    std::vector<Tensor> read_outputs;
    for (const Tensor& out : outputs) read_outputs.push_back(alias_in_graph(out));
    LevelMask mask(level);
    FormulaCall call;
    call.op = op_index;
    call.attrs = attrs;
    call.inputs = all;
    call.input_info = input_info;
    call.outputs = read_outputs;
    call.tangents = tangents;
    Evaluator ev(call, FormulaSet::kGradient);
    for (uint32_t j = 0; j < op.output_count; ++j) {
      if (op.jvp[j].expr == nullptr) continue;
      std::vector<Tensor> values = ev.eval_list(*op.jvp[j].expr);
      for (size_t k = 0; k < values.size() && j + k < outputs.size(); ++k) {
        Tensor& out = outputs[j + k];
        if (!is_floating_point(out.dtype())) continue;
        check_tangent(out, values[k], std::string(op.name) + " jvp");
        set_tangent(out, level, values[k]);
      }
    }
  }
  // The Node recorded for this call saved its outputs before they had tangents.
  for (Tensor& out : outputs) {
    AutogradMeta* meta = autograd_meta_if(out);
    if (meta == nullptr || meta->grad_fn == nullptr) continue;
    if (auto* node = dynamic_cast<FormulaNode*>(meta->grad_fn.get())) node->set_output_tangents(meta->output_nr, meta->tangents);
  }
}

}  // namespace keel::detail

namespace keel::autograd {

DualLevel::DualLevel() : id_(detail::push_level()) {}
DualLevel::~DualLevel() { detail::pop_level(id_); }

Tensor make_dual(const Tensor& primal, const Tensor& tangent) {
  const uint64_t level = detail::innermost_level();
  detail::check_tangent(primal, tangent, "make_dual");
  // A view through the reshape operator: reverse mode flows through it to the primal, and the primal's
  // tangents at other levels carry over.
  Tensor dual = primal.reshape(Shape(primal.shape().begin(), primal.shape().end()));
  detail::set_tangent(dual, level, tangent);
  return dual;
}

Tensor tangent_of(const Tensor& dual) { return detail::tangent_at(dual, detail::innermost_level()); }

}  // namespace keel::autograd
