// The expression language of the spec: constraint checks, shape rules, output types and gradient formulas.
//
//   expr := call | name | number | true | false | list
//   call := name '(' [arg {',' arg}] ')'      arg  := [name '='] expr
//   list := '[' [expr {',' expr}] ']'
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace keel::specgen {

struct Expr {
  enum class Kind { kName, kNumber, kBool, kList, kCall };

  Kind kind = Kind::kName;
  std::string text;  // kName: the name; kCall: the callee; kNumber: the spelling
  double number = 0;
  bool is_integer = false;        // kNumber written without '.' or exponent
  int64_t integer = 0;            // kNumber when is_integer
  bool boolean = false;           // kBool
  std::vector<Expr> args;         // kCall: arguments; kList: items
  std::vector<std::string> keys;  // kCall: per argument, "" (positional) or its keyword

  // What a name or call refers to. Set by check_spec() in gradient and decomposition formulas only.
  enum class Ref { kNone, kOp, kHelper, kInput, kOutput, kAttr, kLet, kGrad, kTangent, kEnumValue, kDtype };
  Ref ref = Ref::kNone;
  int ref_index = -1;  // kOp: position in the operator table; kInput, kOutput, kAttr, kLet: position in
                       // the operator's list; kGrad: the output; kTangent: the input; kEnumValue: the value;
                       // kDtype: the dtype's position in spec.yaml

  bool is_call() const { return kind == Kind::kCall; }
  bool is_name() const { return kind == Kind::kName; }
  size_t positional_count() const;
  // The expression in canonical spelling, e.g. "reduce_sum(dx, axes=[axis], keepdims=true)".
  std::string to_string() const;
};

// Parses `text` as one complete expression. On failure returns nullopt and sets *error to a reason that
// names the column, e.g. "expected ')' at column 12".
std::optional<Expr> parse_expr(std::string_view text, std::string* error);

}  // namespace keel::specgen
