// The operator standard as data: one OpSchema per spec operator. The tables are generated from ir_spec/ by
// keel-specgen (op_table.generated.cc in the build tree); predicates and shape rules are the hand-written
// functions in this directory that the spec names.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "keel/keel_types.h"

namespace keel::spec {

// ---- Shapes ---------------------------------------------------------------------------------------------

// dtype + shape, the part of a tensor the spec's rules look at.
struct TensorMeta {
  keel_dtype_t dtype = KEEL_DTYPE_INVALID;
  uint32_t rank = 0;
  int64_t dims[KEEL_MAX_RANK] = {};

  std::span<const int64_t> shape() const { return {dims, rank}; }
  int64_t element_count() const;
};

// ---- Dtypes ---------------------------------------------------------------------------------------------

// A dtype the spec declares (spec.yaml `dtypes`), with the profile that makes it mandatory.
struct DtypeInfo {
  const char* name; // "f32"
  keel_dtype_t dtype;
  uint32_t bytes;
  const char* profile; // "core", "fp16", ...
};

std::span<const DtypeInfo> all_dtypes(); // in spec order (generated)
const char* dtype_name(keel_dtype_t dtype); // "f32"; "invalid" for a value the spec does not declare
bool is_integer_dtype(keel_dtype_t dtype);  // i8, u8, i32, i64 (not bool)

// ---- Schema pieces --------------------------------------------------------------------------------------

enum class AttrType : uint8_t {
  kInt,   // int64_t
  kFloat, // double
  kBool,  // uint8_t
  kInts,  // const int64_t* + size_t <name>_count
  kDtype, // keel_dtype_t
  kEnum,  // uint32_t index into enum_values
};

struct AttrSchema {
  const char* name;
  AttrType type;
  uint32_t offset;       // byte offset of the field in keel_<op>_attrs_t
  uint32_t count_offset; // kInts: byte offset of <name>_count
  bool required;         // no default: the caller must set it
  int32_t type_var;      // kDtype: index of the type variable the attribute is `of`, else -1
  const char* const* enum_values; // kEnum: value names in order
  size_t enum_value_count;
  const char* default_text;       // the default as written in the spec ("" when required)
  const char* doc;
};

struct TypeVar {
  const char* name;
  const keel_dtype_t* dtypes; // every dtype the spec allows, in spec order
  size_t dtype_count;
};

struct TensorSchema {
  const char* name;
  int32_t type_var;         // index into type_vars, or -1 for a fixed dtype or attr(...)
  keel_dtype_t fixed_dtype; // when type_var == -1 and dtype_attr == -1
  int32_t dtype_attr;       // output typed "attr(name)": index of that kDtype attribute, else -1
  bool variadic;            // the last input may take one or more tensors
  const char* doc;
};

enum class ArgKind : uint8_t {
  kTensor,  // index = input position
  kTensors, // index = first input position; count = how many, or -1 for "the variadic tail"
  kAttr,    // index = attribute position
  kInt,     // literal
};

struct Arg {
  ArgKind kind;
  int32_t index;
  int32_t count;
  int64_t literal;
};

class CallView;

// A predicate returns true when the constraint holds; otherwise it may write a detail to *why (which names
// the offending argument and values; never required for correctness).
using PredicateFn = bool (*)(const CallView& call, std::span<const Arg> args, std::string* why);
// A shape rule writes one output shape; it may assume every constraint of the op holds.
using ShapeRuleFn = void (*)(const CallView& call, std::span<const Arg> args, TensorMeta* out);

struct ConstraintSchema {
  const char* id;    // "C0" (typing, implied by the spec) or "C1", "C2", ...
  const char* text;  // the constraint in words
  const char* check; // the predicate call as written in the spec
  keel_status_code_t code;
  PredicateFn predicate; // nullptr for C0, which the core checks from the type variables
  const Arg* args;
  size_t arg_count;
};

struct OutputRule {
  const char* text; // as written in the spec
  ShapeRuleFn rule;
  const Arg* args;
  size_t arg_count;
};

enum class ToleranceClass : uint8_t { kExact, kUlp, kAccumulation };
// kReductionSizePlusRange: elements along the axis plus the largest |x - max(x)| there (softmax: rounding
// x - max costs |x - max|·ε before exp amplifies it).
enum class ReductionSize : uint8_t { kNone, kReductionSize, kInnerDim, kReductionSizePlusRange };
enum class Magnitude : uint8_t { kNone, kOpOnAbs, kOutput };

// How close a result must be to the reference. Integer and bool results are always exact.
struct Tolerance {
  ToleranceClass cls;
  double ulp_f32, ulp_f16, ulp_bf16, ulp_f64; // kUlp: max |y - ref| / ulp(ref) in the output dtype
  double c;                                   // kAccumulation: |y - ref| <= c * K * eps * magnitude
  ReductionSize k;
  Magnitude magnitude;
};

// A negative example from the spec: inputs (dtype + shape) and attributes that violate one constraint.
struct NegativeExample {
  const char* constraint_id;
  const TensorMeta* inputs;
  size_t input_count;
  const void* attrs; // a keel_<op>_attrs_t, or nullptr for defaults
};

// One named formula of an operator's gradient, as written in the spec.
struct GradientFormula {
  const char* name;    // a let name, an input (vjp), an output (jvp) or an attribute (requires)
  const char* formula; // vjp: "none" for an input that is not differentiable; requires: the attribute value
};

struct GradientSchema {
  const GradientFormula* let; // named sub-expressions, in order
  size_t let_count;
  const GradientFormula* requires_attrs; // differentiable only with these attribute values
  size_t requires_count;
  const GradientFormula* vjp; // one per input, in input order
  size_t vjp_count;
  const GradientFormula* jvp; // one per output, in output order
  size_t jvp_count;
  const char* none_reason; // why the op is not differentiable ("" when it is)
};

// An ONNX operator (and opset range) this operator implements.
struct OnnxMapping {
  const char* op;
  int32_t since;
  int32_t until;
};

struct OpSchema {
  const char* name;
  const char* domain;
  uint32_t version;
  const char* group;
  const char* summary;
  const char* semantics;
  const TensorSchema* inputs;
  size_t input_count;
  const TensorSchema* outputs;
  size_t output_count;
  const OutputRule* output_rules; // one per output
  const TypeVar* type_vars; // the first is the primary one: kernels register dtypes for it
  size_t type_var_count;
  const AttrSchema* attrs;
  size_t attr_count;
  size_t attrs_size;           // sizeof(keel_<op>_attrs_t); 0 when the op has no attributes
  const void* default_attrs;   // a keel_<op>_attrs_t holding the defaults; nullptr without attributes
  const ConstraintSchema* constraints; // C0 first, then the spec's in order
  size_t constraint_count;
  const NegativeExample* negative_examples; // one per constraint that the spec (or C0) can violate
  size_t negative_example_count;
  Tolerance tolerance;
  bool deterministic;
  bool differentiable;
  const char* gradient_vjp; // the spec's formulas, for docs and the front end ("" when not differentiable)
  const char* gradient_jvp;
  GradientSchema gradient;  // the same formulas, one per input / output
  const OnnxMapping* onnx;
  size_t onnx_count;

  bool has_variadic_input() const { return input_count > 0 && inputs[input_count - 1].variadic; }
};

// The generated table.
std::span<const OpSchema> all_ops();
const OpSchema* find_op(std::string_view name);
const char* spec_version();

// ---- A call as the rules see it -------------------------------------------------------------------------

class CallView {
 public:
  // `attrs` must be a full-size keel_<op>_attrs_t (see normalize_attrs) or nullptr for an op without
  // attributes.
  CallView(const OpSchema& op, const void* attrs, std::span<const TensorMeta> inputs)
      : op_(op), attrs_(attrs), inputs_(inputs) {}

  const OpSchema& op() const { return op_; }
  std::span<const TensorMeta> inputs() const { return inputs_; }
  const TensorMeta& input(size_t i) const { return inputs_[i]; }
  // The tensors an Arg of kind kTensor/kTensors names.
  std::span<const TensorMeta> tensors(const Arg& arg) const;
  // Name of the input a tensor position belongs to, e.g. "x[2]" for the third tensor of variadic x.
  std::string tensor_name(size_t position) const;

  int64_t attr_int(const Arg& arg) const;   // kInt, kBool, kEnum, kDtype attributes, or an int literal
  double attr_float(const Arg& arg) const;  // kFloat (kInt widened)
  std::span<const int64_t> attr_ints(const Arg& arg) const;
  const char* attr_name(const Arg& arg) const { return op_.attrs[arg.index].name; }

 private:
  const OpSchema& op_;
  const void* attrs_;
  std::span<const TensorMeta> inputs_;
};

}  // namespace keel::spec
