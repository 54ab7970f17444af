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
  // An absent optional input (dtype KEEL_DTYPE_INVALID).
  bool absent() const { return dtype == KEEL_DTYPE_INVALID; }
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
  kFloats, // const double* + size_t <name>_count
};

struct AttrSchema {
  const char* name;
  AttrType type;
  uint32_t offset;       // byte offset of the field in keel_<op>_attrs_t
  uint32_t count_offset; // kInts, kFloats: byte offset of <name>_count
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
  bool variadic;            // last input: one or more tensors; last output: as many as its count rule says
  bool optional;            // inputs only: may be absent (see "Optional inputs" below)
  const char* doc;
};

// Optional inputs. A call always passes every declared input, in order. An absent optional input is a
// tensor whose dtype is KEEL_DTYPE_INVALID (rank 0; a kernel sees a descriptor with that dtype and a NULL
// buffer). check() skips typing for it, skips every constraint that names it as a single `tensor`
// argument, and rules taking a `tensors` list ignore it. TensorMeta::absent() tells.

enum class ArgKind : uint8_t {
  kTensor,  // index = input position
  kTensors, // index = first input position; count = how many, or -1 for "the variadic tail"
  kAttr,    // index = attribute position (an `int` argument written as an attribute name is one too)
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
// A shape rule writes the shapes of one declared output: out.size() is 1, or for a variadic output the count
// its count rule gives. It may assume every constraint of the op holds, and writes rank and dims only.
using ShapeRuleFn = void (*)(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> out);
// A count rule gives how many tensors a variadic output holds; it may assume every constraint holds.
using CountRuleFn = int64_t (*)(const CallView& call, std::span<const Arg> args);

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
  // Variadic outputs only (else "", nullptr, nullptr, 0): how many tensors the output holds.
  const char* count_text;
  CountRuleFn count;
  const Arg* count_args;
  size_t count_arg_count;
};

enum class ToleranceClass : uint8_t { kExact, kUlp, kAccumulation };
// kReductionSizePlusRange: elements along the axis plus the largest |x - max(x)| there (softmax: rounding
// x - max costs |x - max|·ε before exp amplifies it).
// kStatisticSize: the input elements behind each normalization statistic (batch norm: numel / C; layer and
// rms norm: the product of the normalized axes; group norm: numel / (N · groups)), for every output of the
// operator, since each depends on the statistics.
enum class ReductionSize : uint8_t { kNone, kReductionSize, kInnerDim, kReductionSizePlusRange, kStatisticSize };
// kOutputPlusOne: |ref| + 1, for operators whose standard formula cancels near zero (elu's exp(x) - 1): the
// bound is absolute near zero and relative for large results.
// kInputsAndOutput: the largest of |ref| and |input| at the same element over the inputs shaped like the
// output, for elementwise steps that subtract (optimizer updates), where the op on |inputs| cancels too.
enum class Magnitude : uint8_t { kNone, kOpOnAbs, kOutput, kOutputPlusOne, kInputsAndOutput };

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

// ---- Formulas -------------------------------------------------------------------------------------------
//
// Gradient and decomposition formulas are expression trees. A node is one of:
//
//   kind         text            args                       index                       other fields
//   kOpCall      callee op name  inputs, then keyword attrs callee position in all_ops()  keys
//   kHelperCall  helper name     arguments (positional)     -1
//   kName        the name        none                       see NameKind                name_kind
//   kNumber      spelling        none                       -1                          number, integer, is_integer
//   kBool        "true"/"false"  none                       -1                          boolean
//   kList        ""              the items                  -1
//
// An op call's positional arguments are its inputs in order (a variadic input takes the rest; an argument
// that is a list-valued name, such as a variadic output's cotangent, spreads over it); its keyword arguments
// (keys[i] != "") set the callee's attributes, the others keep their defaults. A keyword value is a number,
// bool, list, a name of this operator's attributes or lets, a helper call computing an attribute value
// (inverse_permutation), or a constant: an enum value name (NameKind::kEnumValue, index = value position in
// the callee's attribute) or a dtype name (kDtype, index = position in all_dtypes()).
//
//   NameKind     refers to                                     index
//   kInput       an input of this operator (x)                 input position
//   kOutput      an output of the forward call (gradients)     output position
//   kAttr        an attribute of this operator                 attribute position
//   kLet         a let of the same formula set                 let position
//   kGrad        grad (= grad_<first output>), grad_<output>   output position
//   kTangent     d<input> (jvp)                                input position
//   kEnumValue   a value of an enum attribute                  value position
//   kDtype       a dtype name                                  position in all_dtypes()
//
// Helpers (spec.yaml `gradient_helpers`) are implemented by the front end; those marked `lowering` also by
// the core's composite lowering. Three of them are evaluated from attributes alone, before any tensor:
// if(c, a, b) evaluates only the chosen branch; present(x) is true unless optional input x is absent;
// is(attr, value) compares an enum attribute with one of its values (args: kAttr name, kEnumValue name).

enum class ExprKind : uint8_t { kOpCall, kHelperCall, kName, kNumber, kBool, kList };
enum class NameKind : uint8_t { kNone, kInput, kOutput, kAttr, kLet, kGrad, kTangent, kEnumValue, kDtype };

struct ExprNode {
  ExprKind kind;
  NameKind name_kind;      // kName only; kNone otherwise
  int32_t index;           // see the tables above; -1 when none applies
  const char* text;
  const ExprNode* args;    // arg_count nodes (calls and lists); nullptr when none
  const char* const* keys; // calls: per argument, "" (positional) or the attribute it sets; nullptr when all
                           // arguments are positional
  uint32_t arg_count;
  double number;           // kNumber
  int64_t integer;         // kNumber written as an integer
  bool is_integer;
  bool boolean;            // kBool
};

// One named formula, as written in the spec and as a tree.
struct Formula {
  const char* name;    // a let name, an input (vjp), an output (jvp, decomposition) or an attribute (requires)
  const char* formula; // the text; vjp/jvp: "none" for an input or output that is not differentiable;
                       // requires: the attribute value
  const ExprNode* expr; // the tree; nullptr for "none" and for requires
};
using GradientFormula = Formula;

struct GradientSchema {
  const Formula* let; // named sub-expressions, in order; each may use the ones before it
  size_t let_count;
  const Formula* requires_attrs; // differentiable only with these attribute values
  size_t requires_count;
  const Formula* vjp; // one per input, in input order
  size_t vjp_count;
  const Formula* jvp; // one per output, in output order
  size_t jvp_count;
  const char* none_reason; // why the op is not differentiable ("" when it is)
};

// A composite operator's definition in terms of other operators: the core lowers a call into these when a
// device has no kernel for it. Names are the operator's inputs, attributes and lets.
struct DecompositionSchema {
  const Formula* let;
  size_t let_count;
  const Formula* outputs; // one per output, in output order (empty: the operator is a primitive)
  size_t output_count;
};

// An ONNX operator (and opset range) this operator implements.
struct OnnxMapping {
  const char* op;
  int32_t since;
  int32_t until;
};

// ---- Samples --------------------------------------------------------------------------------------------

// The values a data generator may write into one element of a sample input (spec.yaml `data_domains`).
// Pick uniformly-ish from [lo, hi] honouring the open ends; for integral ranges pick integers.
struct ValueRange {
  double lo;              // -inf when unbounded below
  double hi;              // +inf when unbounded above
  bool lo_open;
  bool hi_open;
  bool exclude_zero;
  bool integral;          // only integers (index domains)
  bool special_values;    // NaN, ±inf, -0 and subnormals may appear too (the domain `any`)
  bool empty() const;     // no value fits (an index domain over an axis of size 0)
};

// A data domain evaluates against the call's shapes and attributes, for the input at position `input`;
// `element` is the flat (row-major) position in that input, which only the nd_index domains use (the bound
// of an entry depends on its position along the input's last axis).
using DomainFn = ValueRange (*)(const CallView& call, std::span<const Arg> args, size_t input, int64_t element);

struct SampleDomain {
  const char* text;  // as written: "positive", "index(x, axis)"; "any" for an input the sample leaves unset
  DomainFn domain;
  const Arg* args;
  size_t arg_count;
};

// A valid call from the spec's `samples`: what numeric tests and the conformance suite run. Input dtypes are
// KEEL_DTYPE_INVALID where the sample leaves them to the type variables (the suite runs every allowed dtype:
// see expand_sample in spec/samples.h); an absent optional input has its bit set in absent_inputs.
struct SampleCall {
  const char* text;          // the sample in one line, for reports
  const TensorMeta* inputs;  // input_count entries (variadic inputs expanded)
  size_t input_count;
  const void* attrs;         // a keel_<op>_attrs_t, or nullptr for defaults
  const char* const* domains; // one per input: the data domain as written ("any", "positive", ...)
  const SampleDomain* value_domains; // one per input: the same domains, evaluable
  uint32_t absent_inputs;    // bit i: input i is an absent optional input
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
  size_t output_count;            // declared outputs; a variadic last one counts once (validate.h: output_count)
  const OutputRule* output_rules; // one per declared output
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
  GradientSchema gradient;  // the same formulas (with trees), one per input / output
  const OnnxMapping* onnx;
  size_t onnx_count;

  const SampleCall* samples; // valid calls (the spec's `samples`), for numeric tests and conformance
  size_t sample_count;
  DecompositionSchema decomposition; // composite operators only

  bool has_variadic_input() const { return input_count > 0 && inputs[input_count - 1].variadic; }
  bool has_variadic_output() const { return output_count > 0 && outputs[output_count - 1].variadic; }
  bool composite() const { return decomposition.output_count > 0; }
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

  // The input at `position` is an absent optional input.
  bool absent(size_t position) const { return position < inputs_.size() && inputs_[position].absent(); }

  int64_t attr_int(const Arg& arg) const;   // kInt, kBool, kEnum, kDtype attributes, or an int literal
  double attr_float(const Arg& arg) const;  // kFloat (kInt widened)
  std::span<const int64_t> attr_ints(const Arg& arg) const;
  std::span<const double> attr_floats(const Arg& arg) const;
  const char* attr_name(const Arg& arg) const { return op_.attrs[arg.index].name; }

 private:
  const OpSchema& op_;
  const void* attrs_;
  std::span<const TensorMeta> inputs_;
};

}  // namespace keel::spec
