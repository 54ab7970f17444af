// Interprets the spec's formula trees (op_table.h) over Tensors: the VJP and JVP formulas of a recorded call,
// and decompositions. Every operator call in a formula is an eager keel::ops call, so it is itself recorded
// (create_graph) and propagates tangents: higher-order derivatives need nothing else.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "autograd/graph.h"
#include "dispatch/op_table.h"
#include "keel/tensor.hpp"

namespace keel::detail {

// A formula value that is not a tensor: a number, bool, enum value, dtype or list (attribute values).
struct AttrValue {
  enum class Kind : uint8_t { kInt, kFloat, kBool, kInts, kFloats };
  Kind kind = Kind::kInt;
  int64_t i = 0;
  double f = 0;
  std::vector<int64_t> ints;
  std::vector<double> floats;

  double as_double() const;
  int64_t as_int() const;
  bool as_bool() const { return as_int() != 0; }
  std::vector<int64_t> as_ints() const;
  std::vector<double> as_floats() const;
  static AttrValue of_int(int64_t v) { return {Kind::kInt, v, 0, {}, {}}; }
  static AttrValue of_float(double v) { return {Kind::kFloat, 0, v, {}, {}}; }
  static AttrValue of_bool(bool v) { return {Kind::kBool, v ? 1 : 0, 0, {}, {}}; }
  static AttrValue of_ints(std::vector<int64_t> v) { return {Kind::kInts, 0, 0, std::move(v), {}}; }
};

struct Value {
  enum class Kind : uint8_t { kNone, kTensor, kList, kAttr };
  Kind kind = Kind::kNone;
  Tensor tensor;
  std::vector<Tensor> list;
  AttrValue attr;

  static Value of(Tensor t) { return {Kind::kTensor, std::move(t), {}, {}}; }
  static Value of(std::vector<Tensor> l) { return {Kind::kList, {}, std::move(l), {}}; }
  static Value of(AttrValue a) { return {Kind::kAttr, {}, {}, std::move(a)}; }
};

// The forward call a formula set belongs to. Tensors are flattened: a variadic input or output contributes
// one entry per tensor. Undefined entries: absent optional inputs; unsaved or missing values.
struct FormulaCall {
  int32_t op = -1;
  const void* attrs = nullptr;
  std::span<const Tensor> inputs;
  std::span<const OutputInfo> input_info;   // per input: dtype (invalid when absent) and shape
  std::span<const Tensor> outputs;
  std::span<const OutputInfo> output_info;  // vjp: for zero cotangents
  std::span<const Tensor> grads;            // vjp: per output (undefined: zeros)
  std::span<const Tensor> tangents;         // jvp: per input (undefined: zeros)
};

enum class FormulaSet : uint8_t { kGradient, kDecomposition };

class Evaluator {
 public:
  Evaluator(const FormulaCall& call, FormulaSet set);

  Value eval(const Expr& e);
  Tensor eval_tensor(const Expr& e);
  std::vector<Tensor> eval_list(const Expr& e);  // a list value, or one tensor as a list of one

  const OpEntry& op() const { return *op_; }
  const void* attrs() const { return call_.attrs; }
  // This operator's attribute `name` (helpers read the attributes of the call they differentiate).
  int64_t attr_int(const char* name) const;
  double attr_float(const char* name) const;
  std::vector<int64_t> attr_ints(const char* name) const;
  std::vector<double> attr_floats(const char* name) const;
  bool has_attr(const char* name) const;
  // Declared input `index` was passed (not an absent optional input).
  bool input_present(int32_t index) const;
  // Shapes of the flattened inputs (also of inputs the call did not keep).
  std::span<const OutputInfo> input_info() const { return call_.input_info; }

 private:
  // Positions of declared input / output `index` among the flattened tensors.
  std::pair<size_t, size_t> input_range(int32_t index) const;
  std::pair<size_t, size_t> output_range(int32_t index) const;
  Value name(const Expr& e);
  Value call_op(const Expr& e);
  Value attribute(int32_t index) const;
  Tensor cotangent(size_t position) const;

  FormulaCall call_;
  const OpEntry* op_;
  const Formula* lets_;
  uint32_t let_count_;
  std::vector<std::optional<Value>> let_values_;
};

// Gradient helpers of spec.yaml: name → implementation (autograd/helpers*.cc).
using HelperFn = Value (*)(Evaluator& ev, const Expr& call);
HelperFn find_helper(const char* name);  // nullptr when the front end lacks it
// The helper at position `index` of helper_names(); raises UNIMPLEMENTED when the front end lacks it.
HelperFn helper_at(int32_t index);

}  // namespace keel::detail
