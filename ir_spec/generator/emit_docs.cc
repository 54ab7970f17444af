// docs/ops.md: the operator reference, one section per group and operator.
#include <map>
#include <sstream>

#include "c0_example.h"
#include "emit.h"
#include "names.h"

namespace keel::specgen {
namespace {

// Text inside a Markdown table cell: no line breaks, pipes escaped.
std::string cell(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else {
      out += c == '\n' ? ' ' : c;
    }
  }
  return out;
}

std::string code(const std::string& text) { return "`" + text + "`"; }

std::string group_anchor(const GroupDef& g) { return "group-" + g.name; }
std::string op_anchor(const std::string& op) { return "op-" + op; }

std::string format_number(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

class DocsWriter {
 public:
  DocsWriter(std::ostringstream& out, const Spec& spec) : out_(out), spec_(spec) {}

  void write() {
    write_intro();
    write_contents();
    write_profiles();
    for (const GroupDef& g : spec_.groups) {
      out_ << "\n<a id=\"" << group_anchor(g) << "\"></a>\n\n## " << g.title << "\n";
      for (const OpDef& op : g.ops) write_op(op);
    }
  }

 private:
  void write_intro() {
    size_t count = 0;
    for (const GroupDef& g : spec_.groups) count += g.ops.size();
    out_ << "# Keel operator reference\n\n";
    out_ << "Spec version " << spec_.global.spec_version << ", domain `" << spec_.global.domain << "`: " << count
         << " operators. The source is `ir_spec/` (format: `ir_spec/README.md`); the C attribute structs are in "
            "`keel/keel_ops.h`.\n\n";
    out_ << "Conventions used below:\n\n"
            "- **Types.** An input or output is typed by a type variable (every tensor bound to one variable has "
            "the same dtype), a fixed dtype, or a `dtype` attribute. Dtypes are listed by the profile that makes "
            "them mandatory for a plugin claiming it.\n"
            "- **Constraints.** A call is checked in order: the input count, then C0 (typing), then C1..Cn; the "
            "first violation is returned with its status code. Each constraint has a negative example (inputs "
            "written `dtype[d0,d1,...]`, attributes not listed keep their defaults) that violates it and no "
            "earlier one.\n"
            "- **Tolerance.** Integer and bool results are always exact. `ulp n`: `|y - ref| <= n * ulp(ref)` in "
            "the output dtype, against an f64 or better reference. `accumulation c`: `|y - ref| <= c * K * eps * "
            "M` plus the smallest normal number, with K the elements combined per output (or the contracted "
            "dimension) and M the operator on the inputs' absolute values (or `|ref|`, or `|ref| + 1` for "
            "operators whose standard formula cancels near zero).\n"
            "- **Gradients.** Formulas use spec operators and gradient helpers; `grad` is the incoming cotangent "
            "of the first output and `grad_<output>` that of any output (VJP), `d<input>` an input's tangent "
            "(JVP).\n"
            "- **Optional inputs** (written `x?`) may be absent: the caller passes a tensor of dtype "
            "`KEEL_DTYPE_INVALID` in their place. **Variadic outputs** (written `y...`) hold as many tensors as "
            "their count rule gives.\n"
            "- **Composite operators** carry a decomposition into other operators; a device without a kernel for "
            "one runs the decomposition.\n";
  }

  void write_contents() {
    out_ << "\n## Contents\n\n";
    out_ << "- [Profiles and dtypes](#profiles)\n";
    for (const GroupDef& g : spec_.groups) {
      out_ << "- [" << g.title << "](#" << group_anchor(g) << "): ";
      for (size_t i = 0; i < g.ops.size(); ++i) {
        out_ << (i ? ", " : "") << "[" << g.ops[i].name << "](#" << op_anchor(g.ops[i].name) << ")";
      }
      out_ << "\n";
    }
  }

  void write_profiles() {
    out_ << "\n<a id=\"profiles\"></a>\n\n## Profiles and dtypes\n\n";
    out_ << "| Profile | Dtypes | Meaning |\n|---|---|---|\n";
    for (const ProfileDef& p : spec_.global.profiles) {
      std::string dtypes;
      for (const DtypeDef& d : spec_.global.dtypes) {
        if (d.profile == p.name) dtypes += (dtypes.empty() ? "" : ", ") + code(d.name);
      }
      out_ << "| " << p.name << " | " << dtypes << " | " << cell(p.doc) << " |\n";
    }
    out_ << "\nType sets: ";
    for (size_t i = 0; i < spec_.global.type_sets.size(); ++i) {
      const TypeSetDef& s = spec_.global.type_sets[i];
      std::string members;
      for (const std::string& d : s.dtypes) members += (members.empty() ? "" : ", ") + d;
      out_ << (i ? "; " : "") << code(s.name) << " = {" << members << "}";
    }
    out_ << ".\n";
  }

  // "core: f32 · fp16: f16" for a list of dtypes, grouped by profile in profile order.
  std::string dtypes_by_profile(const std::vector<std::string>& dtypes) const {
    std::string out;
    for (const ProfileDef& p : spec_.global.profiles) {
      std::string names;
      for (const std::string& name : dtypes) {
        const DtypeDef* d = spec_.global.find_dtype(name);
        if (d && d->profile == p.name) names += (names.empty() ? "" : ", ") + name;
      }
      if (!names.empty()) out += (out.empty() ? "" : " · ") + p.name + ": " + names;
    }
    return out;
  }

  std::string tensor_dtypes(const OpDef& op, const TensorDef& t) const {
    switch (t.type_kind) {
      case TypeKind::kVar:
        return dtypes_by_profile(op.types[static_cast<size_t>(op.type_var_index(t.type_ref))].dtypes);
      case TypeKind::kFixed: return dtypes_by_profile({t.type_ref});
      case TypeKind::kAttr: {
        const AttrDef* a = op.find_attr(t.type_ref);
        return "attribute " + code(t.type_ref) + ": " +
               (a ? dtypes_by_profile(op.types[static_cast<size_t>(op.type_var_index(a->of))].dtypes) : "");
      }
    }
    return "";
  }

  std::string signature(const OpDef& op) const {
    std::string sig = op.name + "(";
    for (size_t i = 0; i < op.inputs.size(); ++i) {
      sig += (i ? ", " : "") + op.inputs[i].name + (op.inputs[i].variadic ? "..." : "") +
             (op.inputs[i].optional ? "?" : "") + ": " + op.inputs[i].type_text;
    }
    for (size_t i = 0; i < op.attrs.size(); ++i) sig += (i || !op.inputs.empty() ? ", " : "") + op.attrs[i].name;
    sig += ") -> ";
    for (size_t i = 0; i < op.outputs.size(); ++i)
      sig +=
          (i ? ", " : "") + op.outputs[i].name + (op.outputs[i].variadic ? "..." : "") + ": " + op.outputs[i].type_text;
    return sig;
  }

  void write_op(const OpDef& op) {
    out_ << "\n<a id=\"" << op_anchor(op.name) << "\"></a>\n\n### " << op.name << "\n\n";
    out_ << op.summary << "\n\n";
    out_ << "```\n" << signature(op) << "\n```\n\n";
    out_ << "Version " << op.version << " · " << (op.deterministic ? "deterministic" : "not deterministic")
         << " · C name " << code(op_macro(op.name)) << " · attributes "
         << (op.attrs.empty() ? std::string("none (pass NULL)") : code(attrs_type(op.name))) << "\n\n";
    out_ << op.semantics << "\n";
    write_tensors(op);
    write_attrs(op);
    write_constraints(op);
    write_tolerance(op);
    write_onnx(op);
    write_gradient(op);
    write_decomposition(op);
    write_samples(op);
  }

  void write_decomposition(const OpDef& op) {
    const DecompositionDef& d = op.decomposition;
    if (!d.present()) return;
    out_ << "\n**Decomposition** (a device without a kernel for " << code(op.name) << " runs this):\n\n";
    for (const FormulaDef& f : d.let) out_ << "- let " << code(f.name + " = " + f.text) << "\n";
    for (const TensorDef& t : op.outputs) {
      for (const FormulaDef& f : d.outputs) {
        if (f.name == t.name) out_ << "- " << code(t.name + " = " + f.text) << "\n";
      }
    }
  }

  void write_samples(const OpDef& op) {
    if (op.samples.empty()) return;
    out_ << "\n**Samples** (inputs without a dtype take every dtype allowed):";
    for (size_t i = 0; i < op.samples.size(); ++i) out_ << (i ? " · " : " ") << code(op.samples[i].text);
    out_ << "\n";
  }

  void write_tensors(const OpDef& op) {
    out_ << "\n| | Name | Type | Dtypes | Shape / notes |\n|---|---|---|---|---|\n";
    for (const TensorDef& t : op.inputs) {
      std::string notes = t.variadic ? "one or more tensors" : t.optional ? "optional (may be absent)" : "";
      if (!t.doc.empty()) notes += (notes.empty() ? "" : "; ") + t.doc;
      out_ << "| input | " << code(t.name) << " | " << code(t.type_text) << " | " << tensor_dtypes(op, t) << " | "
           << cell(notes) << " |\n";
    }
    for (const TensorDef& t : op.outputs) {
      const RuleDef* rule = spec_.global.find_shape_rule(t.shape.text);
      std::string notes = code(t.shape_text) + (rule ? ": " + rule->doc : "");
      if (t.variadic) {
        const RuleDef* count = spec_.global.find_count_rule(t.count.text);
        notes = "as many tensors as " + code(t.count_text) + (count ? " (" + count->doc + ")" : "") + "; each " + notes;
      }
      if (!t.doc.empty()) notes += " " + t.doc;
      out_ << "| output | " << code(t.name) << " | " << code(t.type_text) << " | " << tensor_dtypes(op, t) << " | "
           << cell(notes) << " |\n";
    }
  }

  void write_attrs(const OpDef& op) {
    if (op.attrs.empty()) return;
    out_ << "\n| Attribute | Type | Default | Meaning |\n|---|---|---|---|\n";
    for (const AttrDef& a : op.attrs) {
      std::string type = a.type == AttrType::kInt      ? "int"
                         : a.type == AttrType::kFloat  ? "float"
                         : a.type == AttrType::kBool   ? "bool"
                         : a.type == AttrType::kInts   ? "ints"
                         : a.type == AttrType::kFloats ? "floats"
                         : a.type == AttrType::kDtype  ? "dtype of " + a.of
                                                       : "enum";
      if (a.type == AttrType::kEnum) {
        std::string values;
        for (const std::string& v : a.enum_values) values += (values.empty() ? "" : ", ") + v;
        type += " {" + values + "}";
      }
      out_ << "| " << code(a.name) << " | " << type << " | "
           << (a.required ? std::string("required") : code(a.default_value.text)) << " | " << cell(a.doc) << " |\n";
    }
  }

  static std::string example_text(const OpDef& op, const ExampleDef& ex) {
    std::string text;
    for (size_t i = 0; i < ex.inputs.size(); ++i) {
      size_t decl = std::min(i, op.inputs.size() - 1);
      std::string name = op.inputs[decl].name;
      if (op.inputs[decl].variadic) name += "[" + std::to_string(i - decl) + "]";
      text += (text.empty() ? "" : ", ") + name + " = " + ex.inputs[i].text;
    }
    for (const ExampleAttr& a : ex.attrs) text += (text.empty() ? "" : ", ") + a.name + " = " + a.value.text;
    return text.empty() ? "(defaults)" : code(text);
  }

  void write_constraints(const OpDef& op) {
    out_ << "\n| Id | Check | Code | Constraint | Negative example |\n|---|---|---|---|---|\n";
    std::optional<ExampleDef> c0 = derive_c0_example(op, spec_.global);
    out_ << "| C0 | typing | INVALID_ARGUMENT | " << kC0Text << " | "
         << (c0                  ? example_text(op, *c0)
             : op.inputs.empty() ? "none (no inputs)"
                                 : "none (every dtype is accepted)")
         << " |\n";
    for (const ConstraintDef& c : op.constraints) {
      out_ << "| " << c.id << " | " << code(c.check_text) << " | " << c.code << " | " << cell(c.text) << " | "
           << (c.example ? example_text(op, *c.example) : "—") << " |\n";
    }
  }

  void write_tolerance(const OpDef& op) {
    const ToleranceDef& t = op.tolerance;
    out_ << "\n**Tolerance:** ";
    if (t.cls == "exact") {
      out_ << "exact.\n";
    } else if (t.cls == "ulp") {
      out_ << "ulp";
      for (size_t i = 0; i < t.ulp.size(); ++i) {
        out_ << (i ? ", " : " ") << t.ulp[i].first << " " << format_number(t.ulp[i].second);
      }
      out_ << ".\n";
    } else {
      out_ << "accumulation, c = " << format_number(t.c) << ", K = "
           << (t.k == "inner_dim"                   ? "the contracted dimension"
               : t.k == "reduction_size_plus_range" ? "elements along the axis plus the largest |x - max(x)| there"
               : t.k == "statistic_size"            ? "the elements behind each normalization statistic"
                                                    : "elements combined per output")
           << ", M = "
           << (t.magnitude == "output"            ? "|ref|"
               : t.magnitude == "output_plus_one" ? "|ref| + 1"
                                                  : "the operator on |inputs|")
           << ".\n";
    }
  }

  void write_onnx(const OpDef& op) {
    out_ << "\n**ONNX:** ";
    if (op.onnx.empty()) out_ << "none";
    for (size_t i = 0; i < op.onnx.size(); ++i) {
      out_ << (i ? ", " : "") << op.onnx[i].op << " (opsets " << op.onnx[i].since << "–" << op.onnx[i].until << ")";
    }
    out_ << ".\n";
  }

  void write_gradient(const OpDef& op) {
    const GradientDef& g = op.gradient;
    if (!g.differentiable) {
      out_ << "\n**Gradient:** none. " << g.none_reason << "\n";
      return;
    }
    out_ << "\n**Gradient:**\n\n";
    for (const auto& [attr, value] : g.requires_attrs) {
      out_ << "- Differentiable only with " << code(attr + " = " + value) << ".\n";
    }
    for (const FormulaDef& f : g.let) out_ << "- let " << code(f.name + " = " + f.text) << "\n";
    for (const TensorDef& t : op.inputs) {
      for (const FormulaDef& f : g.vjp) {
        if (f.name != t.name) continue;
        out_ << "- VJP " << code(t.name) << ": " << (f.text == "none" ? "not differentiable" : code(f.text)) << "\n";
      }
    }
    for (const TensorDef& t : op.outputs) {
      for (const FormulaDef& f : g.jvp) {
        if (f.name != t.name) continue;
        out_ << "- JVP " << code(t.name) << ": " << (f.text == "none" ? "not differentiable" : code(f.text)) << "\n";
      }
    }
  }

  std::ostringstream& out_;
  const Spec& spec_;
};

}  // namespace

std::string emit_docs(const Spec& spec) {
  std::ostringstream out;
  out << "<!-- DO NOT EDIT: generated by keel-specgen (ir_spec/generator) from ir_spec/. Regenerate with "
         "`cmake --build <build> --target keel_update_docs`. -->\n";
  DocsWriter(out, spec).write();
  return out.str();
}

}  // namespace keel::specgen
