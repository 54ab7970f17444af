#include "check_gradient.h"

#include <set>

namespace keel::specgen {
namespace {

class FormulaChecker {
 public:
  FormulaChecker(const OpDef& op, const std::map<std::string, const OpDef*>& ops, const GlobalSpec& global,
                 Diagnostics& diag)
      : op_(op), ops_(ops), global_(global), diag_(diag) {
    for (const TensorDef& t : op.inputs) forward_names_.insert(t.name);
    for (const TensorDef& t : op.outputs) forward_names_.insert(t.name);
    for (const AttrDef& a : op.attrs) forward_names_.insert(a.name);
  }

  void run() {
    const GradientDef& g = op_.gradient;
    std::set<std::string> scope = forward_names_;
    for (const FormulaDef& f : g.let) {  // a let formula sees the forward names and the lets before it
      check(f, scope, "let '" + f.name + "'");
      scope.insert(f.name);
    }
    std::set<std::string> vjp_scope = scope;
    vjp_scope.insert("grad");
    for (const FormulaDef& f : g.vjp) check(f, vjp_scope, "vjp formula for '" + f.name + "'");
    std::set<std::string> jvp_scope = scope;
    for (const TensorDef& t : op_.inputs) jvp_scope.insert("d" + t.name);
    for (const FormulaDef& f : g.jvp) check(f, jvp_scope, "jvp formula for '" + f.name + "'");
  }

 private:
  void check(const FormulaDef& f, const std::set<std::string>& scope, const std::string& what) {
    if (f.expr) walk(*f.expr, f, scope, what);
  }

  void walk(const Expr& e, const FormulaDef& f, const std::set<std::string>& scope, const std::string& what) {
    switch (e.kind) {
      case Expr::Kind::kNumber:
      case Expr::Kind::kBool: return;
      case Expr::Kind::kName:
        if (!scope.count(e.text)) diag_.error(f.where, op_.name + ": " + what + " uses unknown name '" + e.text + "'");
        return;
      case Expr::Kind::kList:
        for (const Expr& item : e.args) walk(item, f, scope, what);
        return;
      case Expr::Kind::kCall:
        check_callee(e, f, what);
        for (const Expr& arg : e.args) walk(arg, f, scope, what);
        return;
    }
  }

  void check_callee(const Expr& call, const FormulaDef& f, const std::string& what) {
    const std::string prefix = op_.name + ": " + what + ": ";
    if (const HelperDef* helper = global_.find_helper(call.text)) {
      if (call.positional_count() != call.args.size()) {
        diag_.error(f.where, prefix + "helper '" + call.text + "' takes no keyword arguments");
      } else if (call.args.size() != static_cast<size_t>(helper->arity)) {
        diag_.error(f.where, prefix + "helper '" + call.text + "' takes " + std::to_string(helper->arity) +
                                 " arguments, got " + std::to_string(call.args.size()));
      }
      return;
    }
    auto it = ops_.find(call.text);
    if (it == ops_.end()) {
      diag_.error(f.where, prefix + "'" + call.text + "' is neither a spec operator nor a gradient helper");
      return;
    }
    const OpDef& callee = *it->second;
    size_t declared = callee.inputs.size();
    size_t given = call.positional_count();
    if (callee.has_variadic_input() ? given < declared : given != declared) {
      diag_.error(f.where, prefix + "'" + callee.name + "' takes " + (callee.has_variadic_input() ? "at least " : "") +
                               std::to_string(declared) + " inputs, got " + std::to_string(given));
    }
    std::set<std::string> seen;
    for (const std::string& key : call.keys) {
      if (key.empty()) continue;
      if (!callee.find_attr(key)) {
        diag_.error(f.where, prefix + "'" + callee.name + "' has no attribute '" + key + "'");
      } else if (!seen.insert(key).second) {
        diag_.error(f.where, prefix + "attribute '" + key + "' is given twice");
      }
    }
  }

  const OpDef& op_;
  const std::map<std::string, const OpDef*>& ops_;
  const GlobalSpec& global_;
  Diagnostics& diag_;
  std::set<std::string> forward_names_;
};

}  // namespace

void check_gradient(const OpDef& op, const std::map<std::string, const OpDef*>& ops, const GlobalSpec& global,
                    Diagnostics& diag) {
  if (op.gradient.differentiable) FormulaChecker(op, ops, global, diag).run();
}

}  // namespace keel::specgen
