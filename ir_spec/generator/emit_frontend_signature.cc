#include "emit_frontend_signature.h"

#include "emit_frontend.h"

namespace keel::specgen {
namespace {

std::string return_type(const OpDef& op) {
  if (op.has_variadic_output()) return "::std::vector<Tensor>";
  if (op.outputs.size() > 1) return result_type(op);
  return "Tensor";
}

FrontendSignature make(const OpDef& op, size_t given, bool braced) {
  FrontendSignature sig;
  sig.return_type = return_type(op);
  sig.inputs_given = given;
  sig.braced_list = braced;
  std::vector<std::string> decl;
  std::vector<std::string> def;
  for (size_t i = 0; i < given; ++i) {
    const TensorDef& t = op.inputs[i];
    std::string type = !t.variadic ? "const Tensor&"
                       : braced    ? "::std::initializer_list<Tensor>"
                                   : "::std::span<const Tensor>";
    decl.push_back(type + " " + param_name(t.name));
    def.push_back(decl.back());
  }
  if (takes_options(op)) {
    std::string p = "const " + options_type(op) + "& options";
    def.push_back(p);
    decl.push_back(options_required(op) ? p : p + " = {}");
  }
  if (op.inputs.empty()) {
    def.push_back("const ::std::optional<Device>& device");
    decl.push_back(def.back() + " = ::std::nullopt");
  }
  for (size_t i = 0; i < decl.size(); ++i) {
    sig.params_decl += (i ? ", " : "") + decl[i];
    sig.params_def += (i ? ", " : "") + def[i];
  }
  return sig;
}

}  // namespace

std::vector<FrontendSignature> frontend_signatures(const OpDef& op) {
  std::vector<FrontendSignature> sigs;
  sigs.push_back(make(op, op.inputs.size(), false));
  if (op.has_variadic_input()) sigs.push_back(make(op, op.inputs.size(), true));
  for (size_t given = op.inputs.size(); given > 0 && op.inputs[given - 1].optional; --given) {
    sigs.push_back(make(op, given - 1, false));
  }
  return sigs;
}

}  // namespace keel::specgen
