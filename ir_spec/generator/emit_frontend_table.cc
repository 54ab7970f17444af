// ops.generated.cc for the C++ front end: the keel::detail::OpEntry table with formula trees
// (core/frontend/dispatch/op_table.h) and the bodies of the keel::ops functions of keel/ops.hpp.
#include <map>
#include <sstream>

#include "attrs_layout.h"
#include "emit_frontend.h"
#include "emit_frontend_signature.h"
#include "names.h"

namespace keel::specgen {
namespace {

// Positions of operators and helpers, for the indices of formula nodes.
struct Index {
  std::map<std::string, int> ops;
  std::map<std::string, int> helpers;
  std::map<std::string, const OpDef*> defs;
  const GlobalSpec* global = nullptr;
};

std::string bool_text(bool b) { return b ? "true" : "false"; }

// Writes formula trees as constexpr arrays, children first, and returns the name of a tree's root array.
class TreeWriter {
 public:
  TreeWriter(std::ostringstream& out, const Index& index) : out_(out), index_(index) {}

  std::string write(const Expr& e) {
    std::string init = node(e);
    std::string name = "kT" + std::to_string(next_++);
    out_ << "constexpr Expr " << name << "[] = {" << init << "};\n";
    return name;
  }

 private:
  std::string node(const Expr& e) {
    std::string args = "nullptr";
    std::string arg_attrs = "nullptr";
    if (!e.args.empty()) {
      std::vector<std::string> children;
      for (const Expr& arg : e.args) children.push_back(node(arg));
      args = "kT" + std::to_string(next_++);
      out_ << "constexpr Expr " << args << "[] = {\n";
      for (const std::string& c : children) out_ << "    " << c << ",\n";
      out_ << "};\n";
      if (e.kind == Expr::Kind::kCall && e.ref == Expr::Ref::kOp) arg_attrs = keyword_attrs(e);
    }
    std::string kind, name_kind = "NameKind::kNone";
    int index = -1;
    switch (e.kind) {
      case Expr::Kind::kCall:
        kind = e.ref == Expr::Ref::kOp ? "ExprKind::kOpCall" : "ExprKind::kHelper";
        index = e.ref == Expr::Ref::kOp ? index_.ops.at(e.text) : index_.helpers.at(e.text);
        break;
      case Expr::Kind::kName:
        kind = "ExprKind::kName";
        name_kind = name_kind_of(e.ref);
        index = e.ref_index;
        break;
      case Expr::Kind::kNumber: kind = "ExprKind::kNumber"; break;
      case Expr::Kind::kBool: kind = "ExprKind::kBool"; break;
      case Expr::Kind::kList: kind = "ExprKind::kList"; break;
    }
    std::string index_text = std::to_string(index);
    if (e.kind == Expr::Kind::kName && e.ref == Expr::Ref::kDtype) {
      index_text = "static_cast<int32_t>(" + index_.global->dtypes.at(static_cast<size_t>(e.ref_index)).c_name + ")";
    }
    const bool number = e.kind == Expr::Kind::kNumber;
    return "{" + kind + ", " + name_kind + ", " + index_text + ", " + args + ", " + arg_attrs + ", " +
           std::to_string(e.args.size()) + ", " + c_double(number ? e.number : 0.0) + ", " +
           (number && e.is_integer ? c_int(e.integer) : "0") + ", " + bool_text(number && e.is_integer) + ", " +
           bool_text(e.kind == Expr::Kind::kBool && e.boolean) + ", " +
           c_string_literal(e.kind == Expr::Kind::kList ? "" : e.text) + "}";
  }

  // Per argument of an op call: -1 for an input, else the callee attribute the keyword sets.
  std::string keyword_attrs(const Expr& call) {
    const OpDef& callee = *index_.defs.at(call.text);
    bool any = false;
    std::string items;
    for (size_t i = 0; i < call.args.size(); ++i) {
      int attr = call.keys[i].empty() ? -1 : callee.attr_index(call.keys[i]);
      any = any || attr >= 0;
      items += (i ? ", " : "") + std::to_string(attr);
    }
    if (!any) return "nullptr";
    std::string name = "kK" + std::to_string(next_++);
    out_ << "constexpr int32_t " << name << "[] = {" << items << "};\n";
    return name;
  }

  static std::string name_kind_of(Expr::Ref ref) {
    switch (ref) {
      case Expr::Ref::kInput: return "NameKind::kInput";
      case Expr::Ref::kOutput: return "NameKind::kOutput";
      case Expr::Ref::kAttr: return "NameKind::kAttr";
      case Expr::Ref::kLet: return "NameKind::kLet";
      case Expr::Ref::kGrad: return "NameKind::kGrad";
      case Expr::Ref::kTangent: return "NameKind::kTangent";
      case Expr::Ref::kEnumValue: return "NameKind::kEnumValue";
      case Expr::Ref::kDtype: return "NameKind::kDtype";
      default: return "NameKind::kNone";
    }
  }

  std::ostringstream& out_;
  const Index& index_;
  int next_ = 0;
};

// Bits of the inputs and outputs a formula reads.
void collect_uses(const Expr& e, uint32_t& inputs, uint32_t& outputs) {
  if (e.kind == Expr::Kind::kName && e.ref == Expr::Ref::kInput) inputs |= 1u << e.ref_index;
  if (e.kind == Expr::Kind::kName && e.ref == Expr::Ref::kOutput) outputs |= 1u << e.ref_index;
  for (const Expr& arg : e.args) collect_uses(arg, inputs, outputs);
}

// A Formula array; returns its name, or "nullptr" when empty.
std::string write_formulas(std::ostringstream& out, TreeWriter& trees, const std::vector<FormulaDef>& list,
                           const std::string& name) {
  if (list.empty()) return "nullptr";
  std::vector<std::string> roots;
  for (const FormulaDef& f : list) roots.push_back(f.expr ? trees.write(*f.expr) : "nullptr");
  out << "constexpr Formula " << name << "[] = {\n";
  for (size_t i = 0; i < list.size(); ++i) {
    out << "    {" << c_string_literal(list[i].name) << ", " << c_string_literal(list[i].text) << ", " << roots[i]
        << "},\n";
  }
  out << "};\n";
  return name;
}

std::string attr_kind(AttrType type) {
  switch (type) {
    case AttrType::kInt: return "AttrKind::kInt";
    case AttrType::kFloat: return "AttrKind::kFloat";
    case AttrType::kBool: return "AttrKind::kBool";
    case AttrType::kInts: return "AttrKind::kInts";
    case AttrType::kDtype: return "AttrKind::kDtype";
    case AttrType::kEnum: return "AttrKind::kEnum";
    case AttrType::kFloats: return "AttrKind::kFloats";
  }
  return "";
}

std::string names_array(std::ostringstream& out, const std::vector<TensorDef>& tensors, const std::string& name) {
  if (tensors.empty()) return "nullptr";
  out << "constexpr const char* " << name << "[] = {";
  for (size_t i = 0; i < tensors.size(); ++i) out << (i ? ", " : "") << c_string_literal(tensors[i].name);
  out << "};\n";
  return name;
}

int64_t requirement_value(const AttrDef& attr, const std::string& text) {
  if (attr.type == AttrType::kEnum) {
    for (size_t i = 0; i < attr.enum_values.size(); ++i) {
      if (attr.enum_values[i] == text) return static_cast<int64_t>(i);
    }
  }
  if (attr.type == AttrType::kBool) return text == "true" ? 1 : 0;
  return std::stoll(text);
}

// The static data of one operator; returns its OpEntry initializer.
std::string write_entry(std::ostringstream& out, const OpDef& op, int position, TreeWriter& trees) {
  const std::string p = std::to_string(position);
  out << "\n// " << op.name << "\n";
  std::string ins = names_array(out, op.inputs, "kIn" + p);
  std::string outs = names_array(out, op.outputs, "kOut" + p);
  uint32_t optional = 0;
  for (size_t i = 0; i < op.inputs.size(); ++i) optional |= op.inputs[i].optional ? 1u << i : 0u;

  std::string attrs = "nullptr", attrs_size = "0", defaults = "nullptr";
  if (!op.attrs.empty()) {
    const std::string type = attrs_type(op.name);
    std::vector<std::string> entries;
    for (const AttrDef& attr : op.attrs) {
      std::string values = "nullptr";
      if (attr.type == AttrType::kEnum) {
        values = "kEnum" + p + "_" + attr.name;
        out << "constexpr const char* " << values << "[] = {";
        for (size_t i = 0; i < attr.enum_values.size(); ++i) out << (i ? ", " : "") << c_string_literal(attr.enum_values[i]);
        out << "};\n";
      }
      const bool list = attr.type == AttrType::kInts || attr.type == AttrType::kFloats;
      entries.push_back("{" + c_string_literal(attr.name) + ", " + attr_kind(attr.type) + ", offsetof(" + type + ", " +
                        attr.name + "), " + (list ? "offsetof(" + type + ", " + attr.name + "_count)" : "0") + ", " +
                        values + ", " + std::to_string(attr.enum_values.size()) + "}");
    }
    attrs = "kAttrs" + p;
    out << "constexpr AttrEntry " << attrs << "[] = {\n";
    for (const std::string& e : entries) out << "    " << e << ",\n";
    out << "};\n";
    defaults = "kDefaults" + p;
    out << "const " << type << " " << defaults << " = " << attrs_init_macro(op.name) << ";\n";
    attrs_size = "sizeof(" + type + ")";
    defaults = "&" + defaults;
  }

  const GradientDef& g = op.gradient;
  std::string lets = write_formulas(out, trees, g.let, "kLet" + p);
  std::string vjp = write_formulas(out, trees, g.vjp, "kVjp" + p);
  std::string jvp = write_formulas(out, trees, g.jvp, "kJvp" + p);
  std::string dlets = write_formulas(out, trees, op.decomposition.let, "kDecLet" + p);
  std::string dec = write_formulas(out, trees, op.decomposition.outputs, "kDec" + p);
  uint32_t uses_in = 0, uses_out = 0;
  for (const FormulaDef& f : g.let) {
    if (f.expr) collect_uses(*f.expr, uses_in, uses_out);
  }
  for (const FormulaDef& f : g.vjp) {
    if (f.expr) collect_uses(*f.expr, uses_in, uses_out);
  }
  std::string reqs = "nullptr";
  if (!g.requires_attrs.empty()) {
    reqs = "kReq" + p;
    out << "constexpr Requirement " << reqs << "[] = {\n";
    for (const auto& [name, value] : g.requires_attrs) {
      const AttrDef& attr = *op.find_attr(name);
      out << "    {" << op.attr_index(name) << ", " << c_int(requirement_value(attr, value)) << ", "
          << c_string_literal(name + "=" + value) << "},\n";
    }
    out << "};\n";
  }
  std::string count_rule = "\"\"", count_args = "nullptr";
  size_t count_arg_count = 0;
  if (op.has_variadic_output()) {
    const TensorDef& out_def = op.outputs.back();
    count_rule = c_string_literal(out_def.count.text);
    count_args = "kCount" + p;
    out << "constexpr int32_t " << count_args << "[] = {";
    for (size_t i = 0; i < out_def.count_args.size(); ++i) out << (i ? ", " : "") << out_def.count_args[i].index;
    out << "};\n";
    count_arg_count = out_def.count_args.size();
  }
  return "{" + c_string_literal(op.name) + ", " + std::to_string(op.version) + ", " + ins + ", " +
         std::to_string(op.inputs.size()) + ", " + outs + ", " + std::to_string(op.outputs.size()) + ", " +
         bool_text(op.has_variadic_input()) + ", " + bool_text(op.has_variadic_output()) + ", " +
         std::to_string(optional) + "u, " + attrs + ", " + std::to_string(op.attrs.size()) + ", " + attrs_size + ", " +
         defaults + ", " + bool_text(g.differentiable) + ", " + c_string_literal(g.none_reason) + ", " + lets + ", " +
         std::to_string(g.let.size()) + ", " + reqs + ", " + std::to_string(g.requires_attrs.size()) + ", " + vjp +
         ", " + jvp + ", " + std::to_string(uses_in) + "u, " + std::to_string(uses_out) + "u, " + dlets + ", " +
         std::to_string(op.decomposition.let.size()) + ", " + dec + ", " +
         std::to_string(op.decomposition.outputs.size()) + ", " + count_rule + ", " + count_args + ", " +
         std::to_string(count_arg_count) + "}";
}

// Statements filling `attrs` (a keel_<op>_attrs_t) from `options`.
std::string fill_attrs(const OpDef& op) {
  std::string s = "  " + attrs_type(op.name) + " attrs = " + attrs_init_macro(op.name) + ";\n";
  for (const AttrDef& attr : op.attrs) {
    const std::string field = "attrs." + attr.name;
    const std::string value = "options." + param_name(attr.name);
    switch (attr.type) {
      case AttrType::kInt:
      case AttrType::kFloat: s += "  " + field + " = " + value + ";\n"; break;
      case AttrType::kBool: s += "  " + field + " = " + value + " ? 1 : 0;\n"; break;
      case AttrType::kDtype: s += "  " + field + " = static_cast<keel_dtype_t>(" + value + ");\n"; break;
      case AttrType::kEnum: s += "  " + field + " = static_cast<uint32_t>(" + value + ");\n"; break;
      case AttrType::kInts:
      case AttrType::kFloats:
        s += "  " + field + " = " + value + ".data();\n  " + field + "_count = " + value + ".size();\n";
        break;
    }
  }
  return s;
}

void write_function(std::ostringstream& out, const OpDef& op, int position, const FrontendSignature& sig) {
  out << "\n" << sig.return_type << " " << op.name << "(" << sig.params_def << ") {\n";
  if (sig.braced_list || sig.inputs_given < op.inputs.size()) {
    // Forward to the overload taking every input.
    std::string args;
    for (size_t i = 0; i < op.inputs.size(); ++i) {
      const TensorDef& t = op.inputs[i];
      std::string arg = i >= sig.inputs_given ? "detail::absent()"
                        : t.variadic          ? "::std::span<const Tensor>(" + param_name(t.name) + ".begin(), " +
                                                 param_name(t.name) + ".size())"
                                              : param_name(t.name);
      args += (i ? ", " : "") + arg;
    }
    if (takes_options(op)) args += std::string(args.empty() ? "" : ", ") + "options";
    out << "  return " << op.name << "(" << args << ");\n}\n";
    return;
  }
  const std::string attrs_arg = takes_options(op) ? "&attrs" : "nullptr";
  if (takes_options(op)) out << fill_attrs(op);
  if (op.has_variadic_input()) {
    const std::string tail = param_name(op.inputs.back().name);
    out << "  ::std::vector<const Tensor*> inputs;\n  inputs.reserve(" << op.inputs.size() - 1 << " + " << tail
        << ".size());\n";
    for (size_t i = 0; i + 1 < op.inputs.size(); ++i) out << "  inputs.push_back(&" << param_name(op.inputs[i].name) << ");\n";
    out << "  for (const Tensor& t : " << tail << ") inputs.push_back(&t);\n";
  } else if (!op.inputs.empty()) {
    out << "  const Tensor* inputs[] = {";
    for (size_t i = 0; i < op.inputs.size(); ++i) out << (i ? ", " : "") << "&" << param_name(op.inputs[i].name);
    out << "};\n";
  }
  const std::string inputs_arg = op.inputs.empty() ? "{}" : "inputs";
  const std::string device_arg = op.inputs.empty() ? "&device" : "nullptr";
  const std::string call = "(" + std::to_string(position) + ", " + attrs_arg + ", " + inputs_arg + ", " + device_arg;
  if (op.has_variadic_output()) {
    out << "  return detail::run_variadic" << call << ");\n}\n";
  } else if (op.outputs.size() == 1) {
    out << "  return detail::run_one" << call << ");\n}\n";
  } else {
    out << "  Tensor outputs[" << op.outputs.size() << "];\n";
    out << "  detail::run_fixed" << call << ", outputs);\n";
    out << "  return {";
    for (size_t i = 0; i < op.outputs.size(); ++i) out << (i ? ", " : "") << "::std::move(outputs[" << i << "])";
    out << "};\n}\n";
  }
}

}  // namespace

std::string emit_frontend_table(const Spec& spec) {
  Index index;
  index.global = &spec.global;
  int position = 0;
  for (const GroupDef& group : spec.groups) {
    for (const OpDef& op : group.ops) {
      index.defs[op.name] = &op;
      index.ops[op.name] = position++;
    }
  }
  for (size_t i = 0; i < spec.global.helpers.size(); ++i) index.helpers[spec.global.helpers[i].name] = static_cast<int>(i);

  std::ostringstream out;
  out << "// DO NOT EDIT: generated by keel-specgen (ir_spec/generator) from ir_spec/spec.yaml and ir_spec/ops/.\n";
  out << R"(// The front end's operator table (core/frontend/dispatch/op_table.h) and the keel::ops functions.
#include <cstddef>
#include <string_view>
#include <utility>

#include "dispatch/dispatch.h"
#include "dispatch/op_table.h"
#include "keel/keel_ops.h"
#include "keel/ops.hpp"

namespace keel::detail {
namespace {
)";
  std::vector<std::string> entries;
  TreeWriter trees(out, index);
  position = 0;
  for (const GroupDef& group : spec.groups) {
    for (const OpDef& op : group.ops) entries.push_back(write_entry(out, op, position++, trees));
  }
  out << "\nconst OpEntry kOps[] = {\n";
  for (const std::string& e : entries) out << "    " << e << ",\n";
  out << "};\n\nconstexpr const char* kHelpers[] = {";
  for (size_t i = 0; i < spec.global.helpers.size(); ++i) {
    out << (i ? ", " : "") << c_string_literal(spec.global.helpers[i].name);
  }
  out << "};\n\n}  // namespace\n\n";
  out << "std::span<const OpEntry> op_table() { return kOps; }\n";
  out << "std::span<const char* const> helper_names() { return kHelpers; }\n";
  out << "const char* spec_version() { return " << c_string_literal(spec.global.spec_version) << "; }\n";
  out << R"(
int32_t find_op_index(std::string_view name) {
  for (size_t i = 0; i < std::size(kOps); ++i) {
    if (name == kOps[i].name) return static_cast<int32_t>(i);
  }
  return -1;
}

}  // namespace keel::detail

namespace keel::ops {
)";
  position = 0;
  for (const GroupDef& group : spec.groups) {
    for (const OpDef& op : group.ops) {
      for (const FrontendSignature& sig : frontend_signatures(op)) write_function(out, op, position, sig);
      ++position;
    }
  }
  out << "\n}  // namespace keel::ops\n";
  return out.str();
}

}  // namespace keel::specgen
