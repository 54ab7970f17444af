// The operator spec as the generator sees it: spec.yaml's global definitions and the operators of
// ops/*.yaml. The loaders fill these from YAML; the checker resolves the cross references (the fields
// marked "resolved"); the emitters only read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "diagnostics.h"
#include "expr.h"

namespace keel::specgen {

// ---- spec.yaml ------------------------------------------------------------------------------------------

struct DtypeDef {
  std::string name;    // "f32"
  std::string c_name;  // "KEEL_DTYPE_F32"
  int bytes = 0;
  std::string profile;  // the profile that makes it mandatory
  Location where;
};

struct ProfileDef {
  std::string name;
  std::string doc;
};

struct TypeSetDef {
  std::string name;
  std::vector<std::string> dtypes;
  Location where;
};

enum class AttrType { kInt, kFloat, kBool, kInts, kDtype, kEnum, kFloats };

// Argument kinds of predicates, shape rules, count rules and data domains (spec.yaml): an input name, one or
// more input names (or a variadic input), an attribute name, an integer (a literal or an int attribute).
enum class ArgKind { kTensor, kTensors, kAttr, kInt };

// One declared argument: `tensor`, `tensors`, `attr`, `attr:<type>` (an attribute of that type) or `int`.
struct RuleArg {
  ArgKind kind = ArgKind::kTensor;
  std::optional<AttrType> attr_type;  // kAttr written attr:<type>
};

// A predicate, shape rule, count rule or data domain: implemented by hand in core/spec/ under the same name.
struct RuleDef {
  std::string name;
  std::vector<RuleArg> args;
  std::string doc;
};

// An argument of a predicate or shape rule call, resolved against the operator (mirrors keel::spec::Arg).
struct CallArg {
  ArgKind kind = ArgKind::kTensor;
  int index = 0;        // kTensor, kTensors: input position; kAttr: attribute position
  int count = 1;        // kTensors: how many inputs, or -1 for "through the variadic tail"
  int64_t literal = 0;  // kInt
};

struct HelperDef {
  std::string name;
  int arity = 0;
  bool lowering = false;  // the core's composite lowering implements it too: decompositions may call it
  std::string doc;
};

struct GlobalSpec {
  std::string file;
  std::string spec_version;
  std::string domain;
  std::vector<DtypeDef> dtypes;
  std::vector<ProfileDef> profiles;
  std::vector<TypeSetDef> type_sets;
  std::vector<RuleDef> predicates;
  std::vector<RuleDef> shape_rules;
  std::vector<RuleDef> count_rules;
  std::vector<RuleDef> data_domains;
  std::vector<HelperDef> helpers;

  const DtypeDef* find_dtype(const std::string& name) const;
  const TypeSetDef* find_type_set(const std::string& name) const;
  const RuleDef* find_predicate(const std::string& name) const;
  const RuleDef* find_shape_rule(const std::string& name) const;
  const RuleDef* find_count_rule(const std::string& name) const;
  const RuleDef* find_data_domain(const std::string& name) const;
  const HelperDef* find_helper(const std::string& name) const;
};

// ---- Operators ------------------------------------------------------------------------------------------

// One attribute value (a default or an example's): the member that matches the attribute's type is set.
struct AttrValue {
  int64_t i = 0;               // kInt; kEnum: the value's index
  double f = 0;                // kFloat
  bool b = false;              // kBool
  std::vector<int64_t> ints;   // kInts
  std::vector<double> floats;  // kFloats
  std::string name;            // kDtype: a dtype name; kEnum: the value's name
  std::string text;            // as written in the spec, for docs
};

struct AttrDef {
  std::string name;
  AttrType type = AttrType::kInt;
  bool required = false;
  AttrValue default_value;  // when not required
  std::vector<std::string> enum_values;
  std::string of;  // kDtype: the type variable it selects a dtype of
  std::string doc;
  Location where;
};

struct TypeVarDef {
  std::string name;
  std::string set_name;             // "" when the dtypes were listed directly
  std::vector<std::string> dtypes;  // resolved from the set
  Location where;
};

enum class TypeKind { kVar, kFixed, kAttr };

struct TensorDef {
  std::string name;
  std::string type_text;  // as written: "T", "bool", "attr(to)"
  bool variadic = false;  // an input: one or more tensors; an output: as many as its count rule says
  bool optional = false;  // inputs only: the caller may pass it absent (dtype KEEL_DTYPE_INVALID)
  std::string doc;
  std::string shape_text;  // outputs only
  Expr shape;              // outputs only
  std::string count_text;  // variadic outputs only: the count rule call
  Expr count;
  Location where;
  std::vector<CallArg> shape_args;  // resolved: the shape rule's arguments
  std::vector<CallArg> count_args;  // resolved: the count rule's arguments
  // resolved
  TypeKind type_kind = TypeKind::kVar;
  std::string type_ref;  // kVar: the variable; kFixed: the dtype; kAttr: the attribute
};

struct ExampleTensor {
  std::string text;   // "f32[2,3]", "[2,3]" (a sample leaving the dtype free), "none" (an absent optional input)
  std::string dtype;  // "" when free or absent
  std::vector<int64_t> dims;
  bool absent = false;
};

struct ExampleAttr {
  std::string name;
  AttrValue value;
};

// Inputs and attributes that violate one constraint (and no earlier one).
struct ExampleDef {
  std::vector<ExampleTensor> inputs;
  std::vector<ExampleAttr> attrs;  // the others keep their defaults
  Location where;
};

// The data domain of one sample input (spec.yaml `data_domains`): a name or a call such as index(x, axis).
struct SampleDomain {
  std::string input;
  std::string text;
  Expr call;
  Location where;
  std::vector<CallArg> args;  // resolved
};

// A valid call (`samples:`): shapes, optionally dtypes, attributes and data domains.
struct SampleDef {
  ExampleDef call;                    // an input's dtype is "" where the sample leaves it free
  std::vector<SampleDomain> domains;  // only the inputs given a domain; the others are `any`
  std::string text;                   // the sample in one line, for reports
};

struct ConstraintDef {
  std::string id;          // "C1", ...
  std::string check_text;  // as written
  Expr check;
  std::string code;  // a keel_status_code_e name without the prefix, e.g. INVALID_ARGUMENT
  std::string text;
  std::optional<ExampleDef> example;
  Location where;
  std::vector<CallArg> args;  // resolved: the predicate's arguments
};

struct ToleranceDef {
  std::string cls;                                  // exact, ulp, accumulation
  std::vector<std::pair<std::string, double>> ulp;  // ulp: dtype → bound
  double c = 0;                                     // accumulation
  std::string k;                                    // reduction_size, inner_dim
  std::string magnitude;                            // op_on_abs, output, output_plus_one, inputs_and_output
};

struct OnnxDef {
  std::string op;
  int since = 0;
  int until = 0;
};

struct FormulaDef {
  std::string name;          // the let name, input (vjp) or output (jvp, decomposition)
  std::string text;          // as written; "none" marks a non-differentiable input (vjp) or output (jvp)
  std::optional<Expr> expr;  // unset for "none"; resolved by check_spec (Expr::ref)
  Location where;
};

struct GradientDef {
  bool differentiable = false;
  std::string none_reason;  // when not differentiable
  std::vector<FormulaDef> let;
  std::vector<std::pair<std::string, std::string>> requires_attrs;  // attribute → value
  std::vector<FormulaDef> vjp;
  std::vector<FormulaDef> jvp;
  Location where;
};

// decomposition: the operator as a formula over other operators, one per output.
struct DecompositionDef {
  std::vector<FormulaDef> let;
  std::vector<FormulaDef> outputs;
  Location where;
  bool present() const { return !outputs.empty(); }
};

struct OpDef {
  std::string name;
  int version = 0;
  std::string summary;
  std::string semantics;
  std::vector<TensorDef> inputs;
  std::vector<TensorDef> outputs;
  std::vector<TypeVarDef> types;
  std::vector<AttrDef> attrs;
  std::vector<ConstraintDef> constraints;
  ToleranceDef tolerance;
  bool deterministic = true;
  std::vector<OnnxDef> onnx;
  GradientDef gradient;
  DecompositionDef decomposition;
  std::vector<SampleDef> samples;
  std::string group;
  Location where;

  const AttrDef* find_attr(const std::string& attr_name) const;
  int attr_index(const std::string& attr_name) const;    // -1 when absent
  int input_index(const std::string& input_name) const;  // -1 when absent
  int output_index(const std::string& output_name) const;
  int type_var_index(const std::string& var_name) const;
  bool has_variadic_input() const { return !inputs.empty() && inputs.back().variadic; }
  bool has_variadic_output() const { return !outputs.empty() && outputs.back().variadic; }
};

struct GroupDef {
  std::string name;
  std::string title;
  std::string file;
  std::vector<OpDef> ops;
};

struct Spec {
  GlobalSpec global;
  std::vector<GroupDef> groups;  // in file-name order
};

}  // namespace keel::specgen
