#include "check_spec.h"

#include <map>

#include "check_calls.h"
#include "check_formulas.h"

namespace keel::specgen {
namespace {

// Resolves `call` against the rule named by its callee in `rules`; reports `what` on failure.
std::optional<std::vector<CallArg>> resolve_rule(const Expr& call, const RuleDef* rule, const OpDef& op,
                                                 const Location& where, const std::string& what,
                                                 const std::string& kind, Diagnostics& diag) {
  if (!call.is_call() && !(kind == "data domain" && call.is_name())) {
    diag.error(where, op.name + ": " + what + " must call a " + kind + ", not '" + call.to_string() + "'");
    return std::nullopt;
  }
  if (!rule) {
    diag.error(where, op.name + ": " + what + " calls unknown " + kind + " '" + call.text + "'");
    return std::nullopt;
  }
  std::string error;
  std::optional<std::vector<CallArg>> args = resolve_call(call, *rule, op, &error);
  if (!args) diag.error(where, op.name + ": " + what + ": " + error);
  return args;
}

// A shape or count rule sees every input it names; an optional input may be absent, so only constraints
// (which are skipped when an input they name alone is absent) and tensors arguments may name one.
void reject_optional_tensor_args(const OpDef& op, const std::vector<CallArg>& args, const Location& where,
                                 const std::string& what, Diagnostics& diag) {
  for (const CallArg& a : args) {
    if (a.kind == ArgKind::kTensor && op.inputs[static_cast<size_t>(a.index)].optional) {
      diag.error(where, op.name + ": " + what + " names optional input '" +
                            op.inputs[static_cast<size_t>(a.index)].name +
                            "' as a single tensor; pass it in a tensors argument (which skips absent inputs)");
    }
  }
}

void resolve_constraints(OpDef& op, const GlobalSpec& global, Diagnostics& diag) {
  for (ConstraintDef& c : op.constraints) {
    auto args = resolve_rule(c.check, global.find_predicate(c.check.text), op, c.where, c.id, "predicate", diag);
    if (args) c.args = std::move(*args);
  }
}

void resolve_outputs(OpDef& op, const GlobalSpec& global, Diagnostics& diag) {
  for (TensorDef& out : op.outputs) {
    const std::string what = "shape of '" + out.name + "'";
    auto args =
        resolve_rule(out.shape, global.find_shape_rule(out.shape.text), op, out.where, what, "shape rule", diag);
    if (args) {
      reject_optional_tensor_args(op, *args, out.where, what, diag);
      out.shape_args = std::move(*args);
    }
    if (!out.variadic) continue;
    const std::string count_what = "count of '" + out.name + "'";
    auto count_args =
        resolve_rule(out.count, global.find_count_rule(out.count.text), op, out.where, count_what, "count rule", diag);
    if (count_args) {
      reject_optional_tensor_args(op, *count_args, out.where, count_what, diag);
      out.count_args = std::move(*count_args);
    }
  }
}

void resolve_samples(OpDef& op, const GlobalSpec& global, Diagnostics& diag) {
  for (SampleDef& s : op.samples) {
    for (SampleDomain& d : s.domains) {
      const std::string what = "domain of '" + d.input + "' in a sample";
      auto args = resolve_rule(d.call, global.find_data_domain(d.call.text), op, d.where, what, "data domain", diag);
      if (args) d.args = std::move(*args);
    }
  }
}

}  // namespace

bool check_spec(Spec& spec, Diagnostics& diag) {
  size_t errors_before = diag.error_count();
  OpIndex ops;
  std::map<std::string, const GroupDef*> groups;
  int position = 0;
  for (const GroupDef& group : spec.groups) {
    if (!groups.emplace(group.name, &group).second) {
      diag.error({group.file, 1}, "group '" + group.name + "' is also defined in " + groups[group.name]->file);
    }
    for (const OpDef& op : group.ops) {
      int index = position++;
      if (op.name.empty()) continue;
      auto [it, fresh] = ops.emplace(op.name, OpRef{&op, index});
      if (!fresh) {
        diag.error(op.where, "duplicate operator name '" + op.name + "' (first defined at " +
                                 it->second.op->where.file + ":" + std::to_string(it->second.op->where.line) + ")");
      }
      if (spec.global.find_helper(op.name)) {
        diag.error(op.where, "operator '" + op.name + "' has the name of a gradient helper");
      }
    }
  }
  for (GroupDef& group : spec.groups) {
    for (OpDef& op : group.ops) {
      resolve_constraints(op, spec.global, diag);
      resolve_outputs(op, spec.global, diag);
      resolve_samples(op, spec.global, diag);
      check_formulas(op, ops, spec.global, diag);
    }
  }
  check_decompositions_acyclic(spec, ops, diag);
  return diag.error_count() == errors_before;
}

}  // namespace keel::specgen
