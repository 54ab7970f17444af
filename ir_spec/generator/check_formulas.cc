#include "check_formulas.h"

#include <algorithm>
#include <functional>
#include <set>
#include <utility>

namespace keel::specgen {
namespace {

struct Binding {
  Expr::Ref ref;
  int index;
};
using Scope = std::map<std::string, Binding>;

class FormulaChecker {
 public:
  FormulaChecker(OpDef& op, const OpIndex& ops, const GlobalSpec& global, Diagnostics& diag)
      : op_(op), ops_(ops), global_(global), diag_(diag) {}

  // A gradient let sees the forward names, the cotangents and the tangents. One that uses cotangents (even
  // through another let) serves only vjp formulas; one that uses tangents only jvp formulas.
  void check_gradient() {
    GradientDef& g = op_.gradient;
    Scope cotangents;
    cotangents["grad"] = {Expr::Ref::kGrad, 0};
    for (size_t i = 0; i < op_.outputs.size(); ++i) {
      cotangents["grad_" + op_.outputs[i].name] = {Expr::Ref::kGrad, static_cast<int>(i)};
    }
    Scope tangents;
    for (size_t i = 0; i < op_.inputs.size(); ++i) {
      tangents["d" + op_.inputs[i].name] = {Expr::Ref::kTangent, static_cast<int>(i)};
    }
    Scope scope = forward_names(/*with_outputs=*/true);
    scope.insert(cotangents.begin(), cotangents.end());
    scope.insert(tangents.begin(), tangents.end());
    check_lets(g.let, scope, "let");
    Scope vjp_scope = scope;
    Scope jvp_scope = scope;
    for (const auto& [name, unused] : tangents) vjp_scope.erase(name);
    for (const auto& [name, unused] : cotangents) jvp_scope.erase(name);
    for (const FormulaDef& f : g.let) {
      Side side = side_of(f);
      if (side == Side::kBoth)
        diag_.error(f.where, op_.name + ": let '" + f.name + "' uses both cotangents and tangents");
      if (side == Side::kVjp || side == Side::kBoth) jvp_scope.erase(f.name);
      if (side == Side::kJvp || side == Side::kBoth) vjp_scope.erase(f.name);
    }
    for (FormulaDef& f : g.vjp) check(f, vjp_scope, "vjp formula for '" + f.name + "'");
    for (FormulaDef& f : g.jvp) check(f, jvp_scope, "jvp formula for '" + f.name + "'");
  }

  void check_decomposition() {
    decomposition_ = true;
    DecompositionDef& d = op_.decomposition;
    Scope scope = forward_names(/*with_outputs=*/false);
    check_lets(d.let, scope, "decomposition let");
    for (FormulaDef& f : d.outputs) check(f, scope, "decomposition of '" + f.name + "'");
  }

 private:
  enum class Side { kForward, kVjp, kJvp, kBoth };

  // Which side a let belongs to: whether it uses cotangents or tangents, directly or through earlier lets.
  Side side_of(const FormulaDef& f) {
    bool vjp = false;
    bool jvp = false;
    if (f.expr) mark_side(*f.expr, vjp, jvp);
    Side side = vjp && jvp ? Side::kBoth : vjp ? Side::kVjp : jvp ? Side::kJvp : Side::kForward;
    let_sides_[f.name] = side;
    return side;
  }

  void mark_side(const Expr& e, bool& vjp, bool& jvp) const {
    if (e.is_name()) {
      vjp = vjp || e.ref == Expr::Ref::kGrad;
      jvp = jvp || e.ref == Expr::Ref::kTangent;
      auto it = e.ref == Expr::Ref::kLet ? let_sides_.find(e.text) : let_sides_.end();
      if (it != let_sides_.end()) {
        vjp = vjp || it->second == Side::kVjp || it->second == Side::kBoth;
        jvp = jvp || it->second == Side::kJvp || it->second == Side::kBoth;
      }
    }
    for (const Expr& arg : e.args) mark_side(arg, vjp, jvp);
  }

  Scope forward_names(bool with_outputs) const {
    Scope scope;
    for (size_t i = 0; i < op_.inputs.size(); ++i) scope[op_.inputs[i].name] = {Expr::Ref::kInput, static_cast<int>(i)};
    if (with_outputs) {
      for (size_t i = 0; i < op_.outputs.size(); ++i)
        scope[op_.outputs[i].name] = {Expr::Ref::kOutput, static_cast<int>(i)};
    }
    for (size_t i = 0; i < op_.attrs.size(); ++i) scope[op_.attrs[i].name] = {Expr::Ref::kAttr, static_cast<int>(i)};
    return scope;
  }

  // A let formula sees the names before it; afterwards its own name joins the scope.
  void check_lets(std::vector<FormulaDef>& lets, Scope& scope, const std::string& what) {
    for (size_t i = 0; i < lets.size(); ++i) {
      check(lets[i], scope, what + " '" + lets[i].name + "'");
      scope[lets[i].name] = {Expr::Ref::kLet, static_cast<int>(i)};
    }
  }

  void check(FormulaDef& f, const Scope& scope, const std::string& what) {
    if (f.expr) walk(*f.expr, f, scope, what);
  }

  void error(const FormulaDef& f, const std::string& what, const std::string& message) {
    diag_.error(f.where, op_.name + ": " + what + ": " + message);
  }

  void walk(Expr& e, const FormulaDef& f, const Scope& scope, const std::string& what) {
    switch (e.kind) {
      case Expr::Kind::kNumber:
      case Expr::Kind::kBool: return;
      case Expr::Kind::kName: {
        auto it = scope.find(e.text);
        if (it == scope.end()) {
          diag_.error(f.where, op_.name + ": " + what + " uses unknown name '" + e.text + "'");
          return;
        }
        e.ref = it->second.ref;
        e.ref_index = it->second.index;
        return;
      }
      case Expr::Kind::kList:
        for (Expr& item : e.args) walk(item, f, scope, what);
        return;
      case Expr::Kind::kCall:
        if (global_.find_helper(e.text)) {
          walk_helper(e, f, scope, what);
        } else {
          walk_op_call(e, f, scope, what);
        }
        return;
    }
  }

  void walk_helper(Expr& call, const FormulaDef& f, const Scope& scope, const std::string& what) {
    const HelperDef& helper = *global_.find_helper(call.text);
    call.ref = Expr::Ref::kHelper;
    if (call.positional_count() != call.args.size()) {
      return error(f, what, "helper '" + call.text + "' takes no keyword arguments");
    }
    if (call.args.size() != static_cast<size_t>(helper.arity)) {
      return error(f, what,
                   "helper '" + call.text + "' takes " + std::to_string(helper.arity) + " arguments, got " +
                       std::to_string(call.args.size()));
    }
    if (decomposition_ && !helper.lowering) {
      return error(f, what, "helper '" + call.text + "' is not available to decompositions (not marked lowering)");
    }
    if (call.text == "is") return walk_is(call, f, what);
    if (call.text == "present") return walk_present(call, f, what);
    for (Expr& arg : call.args) walk(arg, f, scope, what);
  }

  // is(<enum attribute>, <one of its values>)
  void walk_is(Expr& call, const FormulaDef& f, const std::string& what) {
    Expr& attr = call.args[0];
    Expr& value = call.args[1];
    int index = attr.is_name() ? op_.attr_index(attr.text) : -1;
    if (index < 0 || op_.attrs[static_cast<size_t>(index)].type != AttrType::kEnum) {
      return error(f, what, "is() takes an enum attribute first, not '" + attr.to_string() + "'");
    }
    attr.ref = Expr::Ref::kAttr;
    attr.ref_index = index;
    const std::vector<std::string>& values = op_.attrs[static_cast<size_t>(index)].enum_values;
    auto it = value.is_name() ? std::find(values.begin(), values.end(), value.text) : values.end();
    if (it == values.end()) {
      return error(f, what, "'" + value.to_string() + "' is not a value of enum attribute '" + attr.text + "'");
    }
    value.ref = Expr::Ref::kEnumValue;
    value.ref_index = int(it - values.begin());
  }

  // present(<optional input>)
  void walk_present(Expr& call, const FormulaDef& f, const std::string& what) {
    Expr& input = call.args[0];
    int index = input.is_name() ? op_.input_index(input.text) : -1;
    if (index < 0 || !op_.inputs[static_cast<size_t>(index)].optional) {
      return error(f, what, "present() takes an optional input, not '" + input.to_string() + "'");
    }
    input.ref = Expr::Ref::kInput;
    input.ref_index = index;
  }

  void walk_op_call(Expr& call, const FormulaDef& f, const Scope& scope, const std::string& what) {
    auto it = ops_.find(call.text);
    if (it == ops_.end()) {
      return error(f, what, "'" + call.text + "' is neither a spec operator nor a gradient helper");
    }
    const OpDef& callee = *it->second.op;
    call.ref = Expr::Ref::kOp;
    call.ref_index = it->second.index;
    if (decomposition_ && callee.name == op_.name) {
      return error(f, what, "a decomposition cannot call its own operator");
    }
    // Trailing optional inputs may be left out (they are absent).
    size_t declared = callee.inputs.size();
    size_t required = declared;
    while (required > 0 && callee.inputs[required - 1].optional) --required;
    size_t given = call.positional_count();
    bool count_ok = callee.has_variadic_input() ? given >= declared : given >= required && given <= declared;
    if (!count_ok) {
      std::string expected = callee.has_variadic_input() ? "at least " + std::to_string(declared)
                             : required == declared      ? std::to_string(declared)
                                                         : std::to_string(required) + " to " + std::to_string(declared);
      error(f, what, "'" + callee.name + "' takes " + expected + " inputs, got " + std::to_string(given));
    }
    std::set<std::string> seen;
    for (size_t i = 0; i < call.args.size(); ++i) {
      const std::string& key = call.keys[i];
      if (key.empty()) {
        walk(call.args[i], f, scope, what);
        continue;
      }
      const AttrDef* attr = callee.find_attr(key);
      if (!attr) {
        error(f, what, "'" + callee.name + "' has no attribute '" + key + "'");
      } else if (!seen.insert(key).second) {
        error(f, what, "attribute '" + key + "' is given twice");
      } else if (!resolve_constant(call.args[i], *attr, scope)) {
        walk(call.args[i], f, scope, what);
      }
    }
  }

  // A bare name that is not in scope may be a value of the callee's enum attribute or a dtype name.
  bool resolve_constant(Expr& value, const AttrDef& attr, const Scope& scope) const {
    if (!value.is_name() || scope.count(value.text)) return false;
    if (attr.type == AttrType::kEnum) {
      auto it = std::find(attr.enum_values.begin(), attr.enum_values.end(), value.text);
      if (it == attr.enum_values.end()) return false;
      value.ref = Expr::Ref::kEnumValue;
      value.ref_index = int(it - attr.enum_values.begin());
      return true;
    }
    if (attr.type == AttrType::kDtype) {
      for (size_t i = 0; i < global_.dtypes.size(); ++i) {
        if (global_.dtypes[i].name != value.text) continue;
        value.ref = Expr::Ref::kDtype;
        value.ref_index = static_cast<int>(i);
        return true;
      }
    }
    return false;
  }

  OpDef& op_;
  const OpIndex& ops_;
  const GlobalSpec& global_;
  Diagnostics& diag_;
  bool decomposition_ = false;
  std::map<std::string, Side> let_sides_;
};

void collect_callees(const Expr& e, std::set<std::string>& out) {
  if (e.is_call() && e.ref == Expr::Ref::kOp) out.insert(e.text);
  for (const Expr& arg : e.args) collect_callees(arg, out);
}

}  // namespace

void check_formulas(OpDef& op, const OpIndex& ops, const GlobalSpec& global, Diagnostics& diag) {
  if (op.gradient.differentiable) FormulaChecker(op, ops, global, diag).check_gradient();
  if (op.decomposition.present()) FormulaChecker(op, ops, global, diag).check_decomposition();
}

void check_decompositions_acyclic(const Spec& spec, const OpIndex& ops, Diagnostics& diag) {
  std::map<std::string, std::set<std::string>> callees;  // composite → the operators its decomposition calls
  for (const GroupDef& group : spec.groups) {
    for (const OpDef& op : group.ops) {
      if (!op.decomposition.present()) continue;
      std::set<std::string>& set = callees[op.name];
      for (const FormulaDef& f : op.decomposition.let) {
        if (f.expr) collect_callees(*f.expr, set);
      }
      for (const FormulaDef& f : op.decomposition.outputs) {
        if (f.expr) collect_callees(*f.expr, set);
      }
    }
  }
  // Depth-first search; a composite reached again while on the path closes a cycle.
  std::map<std::string, int> state;  // 1: on the path, 2: done
  std::vector<std::string> path;
  std::function<void(const std::string&)> visit = [&](const std::string& name) {
    state[name] = 1;
    path.push_back(name);
    for (const std::string& next : callees[name]) {
      if (!callees.count(next)) continue;  // a primitive
      if (state[next] == 1) {
        std::string cycle;
        for (auto it = std::find(path.begin(), path.end(), next); it != path.end(); ++it) cycle += *it + " → ";
        const OpDef& op = *ops.at(next).op;
        diag.error(op.decomposition.where, "decompositions form a cycle: " + cycle + next);
      } else if (state[next] == 0) {
        visit(next);
      }
    }
    path.pop_back();
    state[name] = 2;
  };
  for (const auto& [name, unused] : callees) {
    if (state[name] == 0) visit(name);
  }
}

}  // namespace keel::specgen
