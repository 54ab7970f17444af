#include "check_spec.h"

#include <map>

#include "check_calls.h"
#include "check_gradient.h"

namespace keel::specgen {
namespace {

void resolve_constraints(OpDef& op, const GlobalSpec& global, Diagnostics& diag) {
  for (ConstraintDef& c : op.constraints) {
    if (!c.check.is_call()) {
      diag.error(c.where, op.name + ": check of " + c.id + " must call a predicate, not '" + c.check_text + "'");
      continue;
    }
    const RuleDef* predicate = global.find_predicate(c.check.text);
    if (!predicate) {
      diag.error(c.where, op.name + ": " + c.id + " calls unknown predicate '" + c.check.text + "'");
      continue;
    }
    std::string error;
    std::optional<std::vector<CallArg>> args = resolve_call(c.check, *predicate, op, &error);
    if (!args) {
      diag.error(c.where, op.name + ": " + c.id + ": " + error);
      continue;
    }
    c.args = std::move(*args);
  }
}

void resolve_shapes(OpDef& op, const GlobalSpec& global, Diagnostics& diag) {
  for (TensorDef& out : op.outputs) {
    if (!out.shape.is_call()) {
      diag.error(out.where,
                 op.name + ": shape of '" + out.name + "' must call a shape rule, not '" + out.shape_text + "'");
      continue;
    }
    const RuleDef* rule = global.find_shape_rule(out.shape.text);
    if (!rule) {
      diag.error(out.where,
                 op.name + ": shape of '" + out.name + "' calls unknown shape rule '" + out.shape.text + "'");
      continue;
    }
    std::string error;
    std::optional<std::vector<CallArg>> args = resolve_call(out.shape, *rule, op, &error);
    if (!args) {
      diag.error(out.where, op.name + ": shape of '" + out.name + "': " + error);
      continue;
    }
    out.shape_args = std::move(*args);
  }
}

}  // namespace

bool check_spec(Spec& spec, Diagnostics& diag) {
  size_t errors_before = diag.error_count();
  std::map<std::string, const OpDef*> ops;
  std::map<std::string, const GroupDef*> groups;
  for (const GroupDef& group : spec.groups) {
    if (!groups.emplace(group.name, &group).second) {
      diag.error({group.file, 1}, "group '" + group.name + "' is also defined in " + groups[group.name]->file);
    }
    for (const OpDef& op : group.ops) {
      if (op.name.empty()) continue;
      auto [it, fresh] = ops.emplace(op.name, &op);
      if (!fresh) {
        diag.error(op.where, "duplicate operator name '" + op.name + "' (first defined at " + it->second->where.file +
                                 ":" + std::to_string(it->second->where.line) + ")");
      }
      if (spec.global.find_helper(op.name)) {
        diag.error(op.where, "operator '" + op.name + "' has the name of a gradient helper");
      }
    }
  }
  for (GroupDef& group : spec.groups) {
    for (OpDef& op : group.ops) {
      resolve_constraints(op, spec.global, diag);
      resolve_shapes(op, spec.global, diag);
      check_gradient(op, ops, spec.global, diag);
    }
  }
  return diag.error_count() == errors_before;
}

}  // namespace keel::specgen
