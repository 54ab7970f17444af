// op_table.generated.cc: the operator set as keel::spec::OpSchema data (core/spec/op_schema.h). Per
// operator, a namespace of constexpr arrays; then the table, the name index and the dtype table.
#include <algorithm>
#include <map>
#include <sstream>

#include "attrs_layout.h"
#include "c0_example.h"
#include "emit.h"
#include "emit_expr.h"
#include "names.h"
#include "spec_limits.h"

namespace keel::specgen {
namespace {

std::string arg_kind(ArgKind kind) {
  switch (kind) {
    case ArgKind::kTensor: return "ArgKind::kTensor";
    case ArgKind::kTensors: return "ArgKind::kTensors";
    case ArgKind::kAttr: return "ArgKind::kAttr";
    case ArgKind::kInt: return "ArgKind::kInt";
  }
  return "";
}

std::string attr_type(AttrType type) {
  switch (type) {
    case AttrType::kInt: return "AttrType::kInt";
    case AttrType::kFloat: return "AttrType::kFloat";
    case AttrType::kBool: return "AttrType::kBool";
    case AttrType::kInts: return "AttrType::kInts";
    case AttrType::kFloats: return "AttrType::kFloats";
    case AttrType::kDtype: return "AttrType::kDtype";
    case AttrType::kEnum: return "AttrType::kEnum";
  }
  return "";
}

// A string literal, split after each newline so multi-line text stays readable in the generated file.
std::string literal(const std::string& text, const std::string& indent = "        ") {
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    end = end == std::string::npos ? text.size() : end + 1;
    out += (start ? "\n" + indent : "") + c_string_literal(text.substr(start, end - start));
    start = end;
  }
  return out.empty() ? "\"\"" : out;
}

// kShapeArgs_<output>: the shape rule's arguments of one output.
std::string shape_args_name(const TensorDef& output) { return "kShapeArgs_" + output.name; }

// "name, count" for an array that may be empty (then nullptr, 0).
std::string array_ref(const std::string& name, size_t count) {
  return count ? name + ", " + std::to_string(count) : "nullptr, 0";
}

class OpEmitter {
 public:
  OpEmitter(std::ostringstream& out, const OpDef& op, const GlobalSpec& global) : out_(out), op_(op), global_(global) {}

  // Writes the operator's namespace of data; returns how many negative examples it holds.
  size_t emit() {
    out_ << "\n// ---- " << op_.name << " " << std::string(100 - op_.name.size(), '-') << "\n";
    out_ << "namespace op_" << op_.name << " {\n";
    emit_type_vars();
    emit_tensors("kInputs", op_.inputs);
    emit_tensors("kOutputs", op_.outputs);
    emit_output_rules();
    emit_attrs();
    emit_constraints();
    emit_examples();
    emit_gradient();
    emit_decomposition();
    emit_samples();
    emit_onnx();
    out_ << "}  // namespace op_" << op_.name << "\n";
    return example_count_;
  }

 private:
  std::string dtype_c(const std::string& name) const {
    const DtypeDef* d = global_.find_dtype(name);
    return d ? d->c_name : "KEEL_DTYPE_INVALID";
  }

  void emit_args(const std::string& name, const std::vector<CallArg>& args) {
    if (args.empty()) return;  // referenced as nullptr, 0
    out_ << "constexpr Arg " << name << "[] = {";
    for (size_t i = 0; i < args.size(); ++i) {
      const CallArg& a = args[i];
      out_ << (i ? ", " : "") << "{" << arg_kind(a.kind) << ", " << a.index << ", " << a.count << ", " << a.literal
           << "}";
    }
    out_ << "};\n";
  }

  void emit_type_vars() {
    if (op_.types.empty()) return;
    for (const TypeVarDef& var : op_.types) {
      out_ << "constexpr keel_dtype_t k" << var.name << "Dtypes[] = {";
      for (size_t i = 0; i < var.dtypes.size(); ++i) out_ << (i ? ", " : "") << dtype_c(var.dtypes[i]);
      out_ << "};\n";
    }
    out_ << "constexpr TypeVar kTypeVars[] = {\n";
    for (const TypeVarDef& var : op_.types) {
      out_ << "    {\"" << var.name << "\", k" << var.name << "Dtypes, " << var.dtypes.size() << "},\n";
    }
    out_ << "};\n";
  }

  void emit_tensors(const std::string& name, const std::vector<TensorDef>& tensors) {
    if (tensors.empty()) return;
    out_ << "constexpr TensorSchema " << name << "[] = {\n";
    for (const TensorDef& t : tensors) {
      int var = t.type_kind == TypeKind::kVar ? op_.type_var_index(t.type_ref) : -1;
      std::string fixed = t.type_kind == TypeKind::kFixed ? dtype_c(t.type_ref) : "KEEL_DTYPE_INVALID";
      int dtype_attr = t.type_kind == TypeKind::kAttr ? op_.attr_index(t.type_ref) : -1;
      out_ << "    {\"" << t.name << "\", " << var << ", " << fixed << ", " << dtype_attr << ", "
           << (t.variadic ? "true" : "false") << ", " << (t.optional ? "true" : "false") << ", "
           << c_string_literal(t.doc) << "},\n";
    }
    out_ << "};\n";
  }

  void emit_output_rules() {
    for (const TensorDef& t : op_.outputs) {
      emit_args(shape_args_name(t), t.shape_args);
      if (t.variadic) emit_args("kCountArgs_" + t.name, t.count_args);
    }
    out_ << "constexpr OutputRule kOutputRules[] = {\n";
    for (const TensorDef& t : op_.outputs) {
      out_ << "    {" << c_string_literal(t.shape_text) << ", shape_rules::" << t.shape.text << ", "
           << array_ref(shape_args_name(t), t.shape_args.size()) << ", ";
      if (t.variadic) {
        out_ << c_string_literal(t.count_text) << ", count_rules::" << t.count.text << ", "
             << array_ref("kCountArgs_" + t.name, t.count_args.size()) << "},\n";
      } else {
        out_ << "\"\", nullptr, nullptr, 0},\n";
      }
    }
    out_ << "};\n";
  }

  void emit_attrs() {
    if (op_.attrs.empty()) return;
    const std::string type = attrs_type(op_.name);
    for (const AttrDef& a : op_.attrs) {
      if (a.type != AttrType::kEnum) continue;
      out_ << "constexpr const char* k" << a.name << "Values[] = {";
      for (size_t i = 0; i < a.enum_values.size(); ++i) out_ << (i ? ", " : "") << "\"" << a.enum_values[i] << "\"";
      out_ << "};\n";
    }
    out_ << "constexpr AttrSchema kAttrs[] = {\n";
    for (const AttrDef& a : op_.attrs) {
      bool ints = a.type == AttrType::kInts || a.type == AttrType::kFloats;
      bool is_enum = a.type == AttrType::kEnum;
      out_ << "    {\"" << a.name << "\", " << attr_type(a.type) << ", offsetof(" << type << ", " << a.name << "), "
           << (ints ? "offsetof(" + type + ", " + a.name + "_count)" : "0") << ", " << (a.required ? "true" : "false")
           << ", " << (a.of.empty() ? -1 : op_.type_var_index(a.of)) << ", "
           << (is_enum ? array_ref("k" + a.name + "Values", a.enum_values.size()) : "nullptr, 0") << ", "
           << c_string_literal(a.required ? "" : a.default_value.text) << ", " << c_string_literal(a.doc) << "},\n";
    }
    out_ << "};\n";
    out_ << "constexpr " << type << " kDefaults = " << attrs_init_macro(op_.name) << ";\n";
    out_ << "static_assert(sizeof(" << type << ") <= kMaxAttrsSize);\n";
  }

  void emit_constraints() {
    for (const ConstraintDef& c : op_.constraints) emit_args("k" + c.id + "Args", c.args);
    out_ << "constexpr ConstraintSchema kConstraints[] = {\n";
    out_ << "    {\"C0\", kC0Text, \"typing\", KEEL_STATUS_INVALID_ARGUMENT, nullptr, nullptr, 0},\n";
    for (const ConstraintDef& c : op_.constraints) {
      out_ << "    {\"" << c.id << "\", " << c_string_literal(c.text) << ", " << c_string_literal(c.check_text)
           << ",\n     KEEL_STATUS_" << c.code << ", predicates::" << c.check.text << ", "
           << array_ref("k" + c.id + "Args", c.args.size()) << "},\n";
    }
    out_ << "};\n";
  }

  // Writes a call's inputs (k<id>Inputs) and attribute struct (k<id>Attrs); returns "<inputs>, <count>,
  // <attrs>" for an initializer. A free or absent input gets KEEL_DTYPE_INVALID.
  std::string emit_call(const std::string& id, const ExampleDef& ex) {
    std::string inputs = "k" + id + "Inputs";
    if (!ex.inputs.empty()) {
      out_ << "constexpr TensorMeta " << inputs << "[] = {";
      for (size_t i = 0; i < ex.inputs.size(); ++i) {
        const ExampleTensor& t = ex.inputs[i];
        out_ << (i ? ", " : "") << "{" << (t.dtype.empty() ? "KEEL_DTYPE_INVALID" : dtype_c(t.dtype)) << ", "
             << t.dims.size() << ", {";
        for (size_t d = 0; d < t.dims.size(); ++d) out_ << (d ? ", " : "") << t.dims[d];
        out_ << "}}";
      }
      out_ << "};  // " << example_text(ex) << "\n";
    }
    std::string attrs = "nullptr";
    if (!ex.attrs.empty()) {
      attrs = "&k" + id + "Attrs";
      std::string init = "{sizeof(" + attrs_type(op_.name) + ")";
      for (const AttrDef& a : op_.attrs) {
        const AttrValue* value = a.required ? nullptr : &a.default_value;
        for (const ExampleAttr& ea : ex.attrs) value = ea.name == a.name ? &ea.value : value;
        std::string array = "k" + id + "_" + a.name;
        if (a.type == AttrType::kInts && value && !value->ints.empty()) {
          out_ << "constexpr int64_t " << array << "[] = {";
          for (size_t i = 0; i < value->ints.size(); ++i) out_ << (i ? ", " : "") << c_int(value->ints[i]);
          out_ << "};\n";
        }
        if (a.type == AttrType::kFloats && value && !value->floats.empty()) {
          out_ << "constexpr double " << array << "[] = {";
          for (size_t i = 0; i < value->floats.size(); ++i) out_ << (i ? ", " : "") << c_double(value->floats[i]);
          out_ << "};\n";
        }
        if (value) {
          init += ", " + c_value(op_, a, *value, global_, array);
        } else {
          init += a.type == AttrType::kInts || a.type == AttrType::kFloats ? ", nullptr, 0" : ", 0";
        }
      }
      out_ << "constexpr " << attrs_type(op_.name) << " k" << id << "Attrs = " << init << "};\n";
    }
    return array_ref(ex.inputs.empty() ? "" : inputs, ex.inputs.size()) + ", " + attrs;
  }

  std::string emit_example(const std::string& id, const ExampleDef& ex) {
    return "{\"" + id + "\", " + emit_call(id, ex) + "}";
  }

  static std::string example_text(const ExampleDef& ex) {
    std::string text;
    for (const ExampleTensor& t : ex.inputs) text += (text.empty() ? "" : ", ") + t.text;
    return text;
  }

  void emit_examples() {
    std::vector<std::string> entries;
    if (std::optional<ExampleDef> c0 = derive_c0_example(op_, global_)) entries.push_back(emit_example("C0", *c0));
    for (const ConstraintDef& c : op_.constraints) {
      if (c.example) entries.push_back(emit_example(c.id, *c.example));
    }
    if (entries.empty()) return;
    out_ << "constexpr NegativeExample kExamples[] = {\n";
    for (const std::string& e : entries) out_ << "    " << e << ",\n";
    out_ << "};\n";
    example_count_ = entries.size();
  }

  // Writes `items` as a Formula array, each with its tree (when it has one).
  void emit_formulas(const std::string& name, const std::vector<const FormulaDef*>& items) {
    if (items.empty()) return;
    std::vector<std::string> roots;
    for (const FormulaDef* f : items) roots.push_back(f->expr ? exprs_.write(*f->expr) : "nullptr");
    out_ << "constexpr Formula " << name << "[] = {\n";
    for (size_t i = 0; i < items.size(); ++i) {
      out_ << "    {\"" << items[i]->name << "\", " << c_string_literal(items[i]->text) << ", " << roots[i] << "},\n";
    }
    out_ << "};\n";
  }

  // The formulas of `list` in the order of `tensors` (vjp in input order, jvp and decompositions in output
  // order), whatever order the spec lists them in.
  static std::vector<const FormulaDef*> ordered(const std::vector<FormulaDef>& list,
                                                const std::vector<TensorDef>& tensors) {
    std::vector<const FormulaDef*> out;
    for (const TensorDef& t : tensors) {
      for (const FormulaDef& f : list) {
        if (f.name == t.name) out.push_back(&f);
      }
    }
    return out;
  }

  static std::vector<const FormulaDef*> all_of(const std::vector<FormulaDef>& list) {
    std::vector<const FormulaDef*> out;
    for (const FormulaDef& f : list) out.push_back(&f);
    return out;
  }

  void emit_gradient() {
    const GradientDef& g = op_.gradient;
    emit_formulas("kLet", all_of(g.let));
    if (!g.requires_attrs.empty()) {
      out_ << "constexpr Formula kRequires[] = {\n";
      for (const auto& [attr, value] : g.requires_attrs) {
        out_ << "    {\"" << attr << "\", " << c_string_literal(value) << ", nullptr},\n";
      }
      out_ << "};\n";
    }
    emit_formulas("kVjp", ordered(g.vjp, op_.inputs));
    emit_formulas("kJvp", ordered(g.jvp, op_.outputs));
  }

  void emit_decomposition() {
    emit_formulas("kDecompositionLet", all_of(op_.decomposition.let));
    emit_formulas("kDecomposition", ordered(op_.decomposition.outputs, op_.outputs));
  }

  void emit_samples() {
    std::vector<std::string> entries;
    for (size_t i = 0; i < op_.samples.size(); ++i) {
      const SampleDef& s = op_.samples[i];
      const std::string id = "S" + std::to_string(i + 1);
      std::string call = emit_call(id, s.call);
      std::string domains = "nullptr, nullptr";
      uint32_t absent = 0;
      if (!s.call.inputs.empty()) {
        std::vector<std::string> texts, inits;
        for (size_t p = 0; p < s.call.inputs.size(); ++p) {
          if (s.call.inputs[p].absent) absent |= 1u << p;
          const std::string& input = op_.inputs[std::min(p, op_.inputs.size() - 1)].name;
          const SampleDomain* d = nullptr;
          for (const SampleDomain& sd : s.domains) d = sd.input == input ? &sd : d;
          std::string text = d ? d->text : "any";
          std::string fn = d ? d->call.text : "any";
          std::string args = "nullptr, 0";
          if (d && !d->args.empty()) {
            std::string name = "k" + id + "D" + std::to_string(p) + "Args";
            emit_args(name, d->args);
            args = name + ", " + std::to_string(d->args.size());
          }
          texts.push_back(c_string_literal(text));
          inits.push_back("{" + c_string_literal(text) + ", domains::" + fn + ", " + args + "}");
        }
        out_ << "constexpr const char* k" << id << "DomainText[] = {";
        for (size_t p = 0; p < texts.size(); ++p) out_ << (p ? ", " : "") << texts[p];
        out_ << "};\n";
        out_ << "constexpr SampleDomain k" << id << "Domains[] = {";
        for (size_t p = 0; p < inits.size(); ++p) out_ << (p ? ", " : "") << inits[p];
        out_ << "};\n";
        domains = "k" + id + "DomainText, k" + id + "Domains";
      }
      entries.push_back("{" + c_string_literal(s.text) + ", " + call + ", " + domains + ", " + std::to_string(absent) +
                        "u}");
    }
    if (entries.empty()) return;
    out_ << "constexpr SampleCall kSamples[] = {\n";
    for (const std::string& e : entries) out_ << "    " << e << ",\n";
    out_ << "};\n";
  }

  void emit_onnx() {
    if (op_.onnx.empty()) return;
    out_ << "constexpr OnnxMapping kOnnx[] = {";
    for (size_t i = 0; i < op_.onnx.size(); ++i) {
      const OnnxDef& o = op_.onnx[i];
      out_ << (i ? ", " : "") << "{\"" << o.op << "\", " << o.since << ", " << o.until << "}";
    }
    out_ << "};\n";
  }

  std::ostringstream& out_;
  const OpDef& op_;
  const GlobalSpec& global_;
  ExprWriter exprs_{out_};
  size_t example_count_ = 0;
};

std::string joined_formulas(const std::vector<FormulaDef>& formulas, const std::vector<TensorDef>& order) {
  std::string out;
  for (const TensorDef& t : order) {
    for (const FormulaDef& f : formulas) {
      if (f.name == t.name) out += (out.empty() ? "" : "; ") + f.name + ": " + f.text;
    }
  }
  return out;
}

std::string tolerance_init(const ToleranceDef& tol) {
  std::map<std::string, double> ulp(tol.ulp.begin(), tol.ulp.end());
  auto ulp_of = [&](const char* d) { return c_double(ulp.count(d) ? ulp[d] : 0.0); };
  std::string cls = tol.cls == "ulp" ? "kUlp" : tol.cls == "accumulation" ? "kAccumulation" : "kExact";
  std::string k = tol.k == "reduction_size"              ? "kReductionSize"
                  : tol.k == "inner_dim"                 ? "kInnerDim"
                  : tol.k == "reduction_size_plus_range" ? "kReductionSizePlusRange"
                  : tol.k == "statistic_size"            ? "kStatisticSize"
                                                         : "kNone";
  std::string m = tol.magnitude == "op_on_abs"         ? "kOpOnAbs"
                  : tol.magnitude == "output"          ? "kOutput"
                  : tol.magnitude == "output_plus_one" ? "kOutputPlusOne"
                  : tol.magnitude == "inputs_and_output" ? "kInputsAndOutput"
                                                         : "kNone";
  return "{ToleranceClass::" + cls + ", " + ulp_of("f32") + ", " + ulp_of("f16") + ", " + ulp_of("bf16") + ", " +
         ulp_of("f64") + ", " + c_double(tol.c) + ", ReductionSize::" + k + ", Magnitude::" + m + "}";
}

void emit_schema(std::ostringstream& out, const OpDef& op, const GlobalSpec& global, size_t example_count) {
  const std::string ns = "op_" + op.name + "::";
  const GradientDef& g = op.gradient;
  auto ref = [&](const std::string& name, size_t count) {
    return count ? ns + name + ", " + std::to_string(count) : "nullptr, 0";
  };
  out << "    {\n";
  out << "        .name = \"" << op.name << "\",\n";
  out << "        .domain = \"" << global.domain << "\",\n";
  out << "        .version = " << op.version << ",\n";
  out << "        .group = \"" << op.group << "\",\n";
  out << "        .summary = " << c_string_literal(op.summary) << ",\n";
  out << "        .semantics = " << literal(op.semantics, "                     ") << ",\n";
  out << "        .inputs = " << (op.inputs.empty() ? "nullptr" : ns + "kInputs") << ",\n";
  out << "        .input_count = " << op.inputs.size() << ",\n";
  out << "        .outputs = " << ns << "kOutputs,\n";
  out << "        .output_count = " << op.outputs.size() << ",\n";
  out << "        .output_rules = " << ns << "kOutputRules,\n";
  out << "        .type_vars = " << (op.types.empty() ? "nullptr" : ns + "kTypeVars") << ",\n";
  out << "        .type_var_count = " << op.types.size() << ",\n";
  out << "        .attrs = " << (op.attrs.empty() ? "nullptr" : ns + "kAttrs") << ",\n";
  out << "        .attr_count = " << op.attrs.size() << ",\n";
  out << "        .attrs_size = " << (op.attrs.empty() ? "0" : "sizeof(" + attrs_type(op.name) + ")") << ",\n";
  out << "        .default_attrs = " << (op.attrs.empty() ? "nullptr" : "&" + ns + "kDefaults") << ",\n";
  out << "        .constraints = " << ns << "kConstraints,\n";
  out << "        .constraint_count = " << op.constraints.size() + 1 << ",\n";
  out << "        .negative_examples = " << (example_count ? ns + "kExamples" : "nullptr") << ",\n";
  out << "        .negative_example_count = " << example_count << ",\n";
  out << "        .tolerance = " << tolerance_init(op.tolerance) << ",\n";
  out << "        .deterministic = " << (op.deterministic ? "true" : "false") << ",\n";
  out << "        .differentiable = " << (g.differentiable ? "true" : "false") << ",\n";
  out << "        .gradient_vjp = " << c_string_literal(joined_formulas(g.vjp, op.inputs)) << ",\n";
  out << "        .gradient_jvp = " << c_string_literal(joined_formulas(g.jvp, op.outputs)) << ",\n";
  out << "        .gradient = {" << ref("kLet", g.let.size()) << ", " << ref("kRequires", g.requires_attrs.size())
      << ", " << ref("kVjp", g.vjp.size()) << ", " << ref("kJvp", g.jvp.size()) << ", "
      << c_string_literal(g.none_reason) << "},\n";
  out << "        .onnx = " << (op.onnx.empty() ? "nullptr" : ns + "kOnnx") << ",\n";
  out << "        .onnx_count = " << op.onnx.size() << ",\n";
  out << "        .samples = " << (op.samples.empty() ? "nullptr" : ns + "kSamples") << ",\n";
  out << "        .sample_count = " << op.samples.size() << ",\n";
  out << "        .decomposition = {" << ref("kDecompositionLet", op.decomposition.let.size()) << ", "
      << ref("kDecomposition", op.decomposition.outputs.size()) << "},\n";
  out << "    },\n";
}

}  // namespace

std::string emit_op_table(const Spec& spec) {
  std::ostringstream out;
  out << "// DO NOT EDIT: generated by keel-specgen (ir_spec/generator) from ir_spec/spec.yaml and ir_spec/ops/.\n";
  out << "// The operator table of spec " << spec.global.spec_version
      << ": one keel::spec::OpSchema per operator (core/spec/op_schema.h).\n";
  out << R"(#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string_view>

#include "keel/keel_ops.h"
#include "spec/op_schema.h"
#include "spec/count_rules.h"
#include "spec/domains.h"
#include "spec/predicates.h"
#include "spec/shape_rules.h"
#include "spec/validate.h"

namespace keel::spec {
namespace {

)";
  out << "static_assert(KEEL_MAX_RANK == " << kMaxRank
      << ", \"keel-specgen writes example shapes for this rank\");\n\n";
  out << "constexpr const char* kC0Text =\n    " << c_string_literal(kC0Text) << ";\n";

  std::vector<const OpDef*> ops;
  std::vector<size_t> example_counts;
  for (const GroupDef& group : spec.groups) {
    for (const OpDef& op : group.ops) {
      ops.push_back(&op);
      example_counts.push_back(OpEmitter(out, op, spec.global).emit());
    }
  }

  out << "\n// ---- The table " << std::string(93, '-') << "\n\n";
  out << "constexpr OpSchema kOps[] = {\n";
  for (size_t i = 0; i < ops.size(); ++i) emit_schema(out, *ops[i], spec.global, example_counts[i]);
  out << "};\n\n";

  std::vector<size_t> by_name(ops.size());
  for (size_t i = 0; i < ops.size(); ++i) by_name[i] = i;
  std::sort(by_name.begin(), by_name.end(), [&](size_t a, size_t b) { return ops[a]->name < ops[b]->name; });
  out << "// Positions in kOps, sorted by name, for find_op.\n";
  out << "constexpr uint16_t kByName[] = {";
  for (size_t i = 0; i < by_name.size(); ++i) out << (i ? ", " : "") << by_name[i];
  out << "};\n\n";

  out << "constexpr DtypeInfo kDtypes[] = {\n";
  for (const DtypeDef& d : spec.global.dtypes) {
    out << "    {\"" << d.name << "\", " << d.c_name << ", " << d.bytes << ", \"" << d.profile << "\"},\n";
  }
  out << "};\n\n";

  out << R"(}  // namespace

std::span<const OpSchema> all_ops() { return kOps; }

const OpSchema* find_op(std::string_view name) {
  auto it = std::lower_bound(std::begin(kByName), std::end(kByName), name,
                             [](uint16_t index, std::string_view key) { return kOps[index].name < key; });
  return it != std::end(kByName) && kOps[*it].name == name ? &kOps[*it] : nullptr;
}

std::span<const DtypeInfo> all_dtypes() { return kDtypes; }

)";
  out << "const char* spec_version() { return \"" << spec.global.spec_version << "\"; }\n\n";
  out << "}  // namespace keel::spec\n";
  return out.str();
}

}  // namespace keel::specgen
