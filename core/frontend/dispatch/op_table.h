// The operator standard as the front end sees it: one OpEntry per spec operator, generated from ir_spec/ by
// keel-specgen (--frontend-table) into ops.generated.cc. It carries what eager dispatch and autograd need:
// input and output arity, the attribute layout of keel_<op>_attrs_t, and the gradient and decomposition
// formulas as expression trees that autograd/ interprets over Tensors.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "keel/keel_types.h"

namespace keel::detail {

enum class AttrKind : uint8_t { kInt, kFloat, kBool, kInts, kDtype, kEnum, kFloats };

// One attribute: its field in keel_<op>_attrs_t (byte offsets; count_offset for the list kinds).
struct AttrEntry {
  const char* name;
  AttrKind kind;
  uint32_t offset;
  uint32_t count_offset;
  const char* const* enum_values;  // kEnum: the value names in order
  uint32_t enum_count;
};

// Formula trees. A node is one of:
//
//   kind        index                                   args                            arg_attrs
//   kOpCall     callee position in op_table()           inputs, then keyword attributes per arg: -1 positional,
//                                                                                       else callee attribute
//   kHelper     position in helper_names()              arguments                       nullptr
//   kName       see NameKind                            none                            nullptr
//   kNumber     -1                                      none (number / integer)         nullptr
//   kBool       -1                                      none (boolean)                  nullptr
//   kList       -1                                      the items                       nullptr
//
//   NameKind    refers to                               index
//   kInput      an input of the operator                input position
//   kOutput     an output of the forward call           output position
//   kAttr       an attribute of the operator            attribute position
//   kLet        a let of the same formula set           let position
//   kGrad       the cotangent of an output (vjp)        output position
//   kTangent    the tangent of an input (jvp)           input position
//   kEnumValue  a value of an enum attribute            value position (of the callee's attribute when the
//                                                       name is a keyword value, else of is()'s attribute)
//   kDtype      a dtype name                            the keel_dtype_t value
enum class ExprKind : uint8_t { kOpCall, kHelper, kName, kNumber, kBool, kList };
enum class NameKind : uint8_t { kNone, kInput, kOutput, kAttr, kLet, kGrad, kTangent, kEnumValue, kDtype };

struct Expr {
  ExprKind kind;
  NameKind name_kind;
  int32_t index;
  const Expr* args;
  const int32_t* arg_attrs;
  uint32_t arg_count;
  double number;
  int64_t integer;
  bool is_integer;
  bool boolean;
  const char* text;  // the callee, name or number as written
};

// A named formula: a let, a vjp (per input), a jvp (per output) or a decomposition output. expr is nullptr
// for `none`.
struct Formula {
  const char* name;
  const char* text;
  const Expr* expr;
};

// gradient.requires: differentiable only when attribute `attr` has `value` (an enum position, 0/1 for a
// bool, the integer for an int).
struct Requirement {
  int32_t attr;
  int64_t value;
  const char* text;
};

struct OpEntry {
  const char* name;
  uint32_t version;
  const char* const* input_names;
  uint32_t input_count;  // declared inputs (a variadic one counts once)
  const char* const* output_names;
  uint32_t output_count;  // declared outputs (a variadic one counts once)
  bool variadic_input;
  bool variadic_output;
  uint32_t optional_inputs;  // bit i: input i may be absent
  const AttrEntry* attrs;
  uint32_t attr_count;
  uint32_t attrs_size;        // sizeof(keel_<op>_attrs_t); 0 without attributes
  const void* default_attrs;  // a keel_<op>_attrs_t holding the spec defaults; nullptr without attributes
  // Gradient: either formulas, or none_reason.
  bool differentiable;
  const char* none_reason;
  const Formula* lets;
  uint32_t let_count;
  const Requirement* requirements;
  uint32_t requirement_count;
  const Formula* vjp;  // input_count entries
  const Formula* jvp;  // output_count entries
  uint32_t vjp_inputs;   // bit i: a vjp formula or let reads input i (saved for backward)
  uint32_t vjp_outputs;  // bit i: ... reads output i
  // Decomposition (composites): lets, then one formula per output.
  const Formula* decomposition_lets;
  uint32_t decomposition_let_count;
  const Formula* decomposition;
  uint32_t decomposition_count;
  // A variadic output: the count rule (spec.yaml count_rules) and its arguments (attribute positions).
  const char* count_rule;
  const int32_t* count_args;
  uint32_t count_arg_count;
};

// The generated table, in spec order (ops/*.yaml sorted by file name).
std::span<const OpEntry> op_table();
// The gradient helpers spec.yaml declares, in its order (kHelper nodes index into this list).
std::span<const char* const> helper_names();
// The spec version the table was generated from.
const char* spec_version();

// Position of the operator in op_table(), or -1.
int32_t find_op_index(std::string_view name);

}  // namespace keel::detail
