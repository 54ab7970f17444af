// The helpers of spec.yaml that composite lowering implements (those marked `lowering: true`). Each
// evaluates its arguments through the evaluator and either computes an attribute value from shapes, or
// builds a small tensor, or runs spec operators.
#include <cmath>
#include <cstring>
#include <functional>
#include <numeric>
#include <string_view>

#include "lowering/evaluator.h"
#include "status/status.h"

namespace keel::lowering {
namespace {

using Args = std::span<const spec::ExprNode>;
using HelperFn = keel_status_t (*)(Evaluator& e, Args args, Value* out);

int64_t product(const keel_tensor_t& x, uint32_t from, uint32_t to) {
  int64_t count = 1;
  for (uint32_t i = from; i < to; ++i) count *= x.shape[i];
  return count;
}

// The tensor and the normalized axis of a helper called as f(x, axis).
keel_status_t tensor_and_axis(Evaluator& e, Args args, keel_tensor_t* x, uint32_t* axis) {
  int64_t raw = 0;
  KEEL_RETURN_IF_ERROR(e.eval_tensor(args[0], x));
  KEEL_RETURN_IF_ERROR(e.eval_int(args[1], &raw));
  const int64_t rank = x->rank;
  if (raw < -rank || raw >= std::max<int64_t>(rank, 1)) return e.error("axis " + std::to_string(raw) + " out of range");
  *axis = static_cast<uint32_t>(raw < 0 ? raw + rank : raw);
  return nullptr;
}

keel_status_t helper_if(Evaluator& e, Args args, Value* out) {
  Value condition;
  KEEL_RETURN_IF_ERROR(e.eval(args[0], &condition));
  if (condition.kind != Value::Kind::kBool) return e.error("if() needs a boolean condition");
  return e.eval(args[condition.boolean ? 1 : 2], out);
}

keel_status_t helper_present(Evaluator& e, Args args, Value* out) {
  Value value;
  KEEL_RETURN_IF_ERROR(e.eval(args[0], &value));
  *out = Value::of_bool(value.kind != Value::Kind::kAbsent);
  return nullptr;
}

keel_status_t helper_is(Evaluator& e, Args args, Value* out) {
  Value attr;
  Value wanted;
  KEEL_RETURN_IF_ERROR(e.eval(args[0], &attr));
  KEEL_RETURN_IF_ERROR(e.eval(args[1], &wanted));
  if (attr.kind != Value::Kind::kEnum || wanted.kind != Value::Kind::kEnum) return e.error("is() compares enum values");
  *out = Value::of_bool(std::strcmp(attr.text, wanted.text) == 0);
  return nullptr;
}

keel_status_t helper_zeros_like(Evaluator& e, Args args, Value* out) {
  keel_tensor_t x;
  KEEL_RETURN_IF_ERROR(e.eval_tensor(args[0], &x));
  keel_tensor_t zeros;
  KEEL_RETURN_IF_ERROR(e.zeros(x.dtype, {x.shape, x.rank}, &zeros));
  *out = Value::of_tensor(zeros);
  return nullptr;
}

// A numeric argument of a helper (a literal or an attribute); bool counts as 0/1 only where `bool_ok`.
keel_status_t number_arg(Evaluator& e, const spec::ExprNode& node, bool bool_ok, const char* message, double* out) {
  Value number;
  KEEL_RETURN_IF_ERROR(e.eval(node, &number));
  if (number.kind == Value::Kind::kBool && bool_ok) {
    *out = number.boolean ? 1.0 : 0.0;
    return nullptr;
  }
  if (number.kind != Value::Kind::kInt && number.kind != Value::Kind::kFloat) return e.error(message);
  *out = number.number;
  return nullptr;
}

// A 0-D tensor holding `value` converted to the dtype of the tensor argument `like`.
keel_status_t constant_like(Evaluator& e, double value, const spec::ExprNode& like, Value* out) {
  keel_tensor_t like_tensor;
  KEEL_RETURN_IF_ERROR(e.eval_tensor(like, &like_tensor));
  keel_tensor_t constant;
  KEEL_RETURN_IF_ERROR(e.constant(value, like_tensor.dtype, &constant));
  *out = Value::of_tensor(constant);
  return nullptr;
}

keel_status_t helper_scalar(Evaluator& e, Args args, Value* out) {
  double value = 0;
  KEEL_RETURN_IF_ERROR(number_arg(e, args[0], true, "scalar() needs a number", &value));
  return constant_like(e, value, args[1], out);
}

keel_status_t helper_one_minus(Evaluator& e, Args args, Value* out) {
  double value = 0;
  KEEL_RETURN_IF_ERROR(number_arg(e, args[0], false, "one_minus() needs a number", &value));
  return constant_like(e, 1.0 - value, args[1], out);
}

keel_status_t helper_one_minus_pow(Evaluator& e, Args args, Value* out) {
  double base = 0;
  double power = 0;
  KEEL_RETURN_IF_ERROR(number_arg(e, args[0], false, "one_minus_pow() needs numbers", &base));
  KEEL_RETURN_IF_ERROR(number_arg(e, args[1], false, "one_minus_pow() needs numbers", &power));
  return constant_like(e, 1.0 - std::pow(base, power), args[2], out);
}

keel_status_t helper_cast_like(Evaluator& e, Args args, Value* out) {
  keel_tensor_t g;
  keel_tensor_t like;
  KEEL_RETURN_IF_ERROR(e.eval_tensor(args[0], &g));
  KEEL_RETURN_IF_ERROR(e.eval_tensor(args[1], &like));
  Value to;
  to.kind = Value::Kind::kDtype;
  to.dtype = like.dtype;
  return e.call("cast", {&g, 1}, {{"to", to}}, out);
}

keel_status_t helper_reshape_like(Evaluator& e, Args args, Value* out) {
  keel_tensor_t g;
  keel_tensor_t like;
  KEEL_RETURN_IF_ERROR(e.eval_tensor(args[0], &g));
  KEEL_RETURN_IF_ERROR(e.eval_tensor(args[1], &like));
  return e.call("reshape", {&g, 1}, {{"shape", Value::of_ints({like.shape, like.shape + like.rank})}}, out);
}

keel_status_t helper_item(Evaluator& e, Args args, Value* out) {
  Value list;
  int64_t index = 0;
  KEEL_RETURN_IF_ERROR(e.eval(args[0], &list));
  KEEL_RETURN_IF_ERROR(e.eval_int(args[1], &index));
  if (list.kind != Value::Kind::kTensors || index < 0 || static_cast<size_t>(index) >= list.tensors.size()) {
    return e.error("item() index " + std::to_string(index) + " is out of range");
  }
  *out = Value::of_tensor(list.tensors[static_cast<size_t>(index)]);
  return nullptr;
}

// per_channel(v, x): a view of the 1-D v as [1, C, 1, ..., 1] with x's rank; no data moves.
keel_status_t helper_per_channel(Evaluator& e, Args args, Value* out) {
  keel_tensor_t v;
  keel_tensor_t x;
  KEEL_RETURN_IF_ERROR(e.eval_tensor(args[0], &v));
  KEEL_RETURN_IF_ERROR(e.eval_tensor(args[1], &x));
  if (v.rank != 1 || x.rank < 2 || v.shape[0] != x.shape[1]) return e.error("per_channel() needs a 1-D v of x's channels");
  keel_tensor_t view = v;
  view.rank = x.rank;
  for (uint32_t i = 0; i < x.rank; ++i) {
    view.shape[i] = i == 1 ? v.shape[0] : 1;
    view.strides[i] = i == 1 ? v.strides[0] : 0;
  }
  *out = Value::of_tensor(view);
  return nullptr;
}

keel_status_t helper_axes_except(Evaluator& e, Args args, Value* out) {
  keel_tensor_t x;
  uint32_t axis = 0;
  KEEL_RETURN_IF_ERROR(tensor_and_axis(e, args, &x, &axis));
  std::vector<int64_t> axes;
  for (uint32_t i = 0; i < x.rank; ++i) {
    if (i != axis) axes.push_back(i);
  }
  *out = Value::of_ints(std::move(axes));
  return nullptr;
}

keel_status_t helper_axes_from(Evaluator& e, Args args, Value* out) {
  keel_tensor_t x;
  uint32_t axis = 0;
  KEEL_RETURN_IF_ERROR(tensor_and_axis(e, args, &x, &axis));
  std::vector<int64_t> axes(x.rank - axis);
  std::iota(axes.begin(), axes.end(), static_cast<int64_t>(axis));
  *out = Value::of_ints(std::move(axes));
  return nullptr;
}

keel_status_t helper_axes_before(Evaluator& e, Args args, Value* out) {
  keel_tensor_t x;
  uint32_t axis = 0;
  KEEL_RETURN_IF_ERROR(tensor_and_axis(e, args, &x, &axis));
  std::vector<int64_t> axes(axis);
  std::iota(axes.begin(), axes.end(), int64_t{0});
  *out = Value::of_ints(std::move(axes));
  return nullptr;
}

keel_status_t helper_trailing_shape(Evaluator& e, Args args, Value* out) {
  keel_tensor_t x;
  uint32_t axis = 0;
  KEEL_RETURN_IF_ERROR(tensor_and_axis(e, args, &x, &axis));
  *out = Value::of_ints(std::vector<int64_t>(x.shape + axis, x.shape + x.rank));
  return nullptr;
}

keel_status_t count_tensor(Evaluator& e, int64_t count, keel_dtype_t dtype, Value* out) {
  keel_tensor_t constant;
  KEEL_RETURN_IF_ERROR(e.constant(static_cast<double>(count), dtype, &constant));
  *out = Value::of_tensor(constant);
  return nullptr;
}

keel_status_t helper_count_except(Evaluator& e, Args args, Value* out) {
  keel_tensor_t x;
  uint32_t axis = 0;
  KEEL_RETURN_IF_ERROR(tensor_and_axis(e, args, &x, &axis));
  return count_tensor(e, product(x, 0, axis) * product(x, axis + 1, x.rank), x.dtype, out);
}

keel_status_t helper_count_from(Evaluator& e, Args args, Value* out) {
  keel_tensor_t x;
  uint32_t axis = 0;
  KEEL_RETURN_IF_ERROR(tensor_and_axis(e, args, &x, &axis));
  return count_tensor(e, product(x, axis, x.rank), x.dtype, out);
}

keel_status_t helper_dim_size(Evaluator& e, Args args, Value* out) {
  keel_tensor_t x;
  uint32_t axis = 0;
  KEEL_RETURN_IF_ERROR(tensor_and_axis(e, args, &x, &axis));
  return count_tensor(e, x.shape[axis], x.dtype, out);
}

keel_status_t helper_flatten_shape(Evaluator& e, Args args, Value* out) {
  keel_tensor_t x;
  int64_t raw = 0;
  KEEL_RETURN_IF_ERROR(e.eval_tensor(args[0], &x));
  KEEL_RETURN_IF_ERROR(e.eval_int(args[1], &raw));
  const int64_t rank = x.rank;
  if (raw < -rank || raw > rank) return e.error("flatten axis " + std::to_string(raw) + " out of range");
  const uint32_t axis = static_cast<uint32_t>(raw < 0 ? raw + rank : raw);  // axis == rank is allowed here
  *out = Value::of_ints({product(x, 0, axis), product(x, axis, x.rank)});
  return nullptr;
}

keel_status_t helper_group_shape(Evaluator& e, Args args, Value* out) {
  keel_tensor_t x;
  int64_t groups = 0;
  KEEL_RETURN_IF_ERROR(e.eval_tensor(args[0], &x));
  KEEL_RETURN_IF_ERROR(e.eval_int(args[1], &groups));
  if (x.rank < 2 || groups <= 0 || x.shape[1] % groups != 0) return e.error("group_shape() needs C divisible by the groups");
  const int64_t n = x.shape[0];
  const int64_t per_group = n * groups == 0 ? 0 : product(x, 0, x.rank) / (n * groups);
  *out = Value::of_ints({n, groups, per_group});
  return nullptr;
}

struct HelperEntry {
  std::string_view name;
  size_t arg_count;
  HelperFn fn;
};

constexpr HelperEntry kHelpers[] = {
    {"if", 3, helper_if},
    {"present", 1, helper_present},
    {"is", 2, helper_is},
    {"zeros_like", 1, helper_zeros_like},
    {"scalar", 2, helper_scalar},
    {"one_minus", 2, helper_one_minus},
    {"one_minus_pow", 3, helper_one_minus_pow},
    {"cast_like", 2, helper_cast_like},
    {"reshape_like", 2, helper_reshape_like},
    {"item", 2, helper_item},
    {"per_channel", 2, helper_per_channel},
    {"axes_except", 2, helper_axes_except},
    {"axes_from", 2, helper_axes_from},
    {"axes_before", 2, helper_axes_before},
    {"trailing_shape", 2, helper_trailing_shape},
    {"count_except", 2, helper_count_except},
    {"count_from", 2, helper_count_from},
    {"dim_size", 2, helper_dim_size},
    {"flatten_shape", 2, helper_flatten_shape},
    {"group_shape", 2, helper_group_shape},
};

const HelperEntry* find_helper(const char* name) {
  for (const HelperEntry& entry : kHelpers) {
    if (entry.name == name) return &entry;
  }
  return nullptr;
}

}  // namespace

bool is_lowering_helper(const char* name) { return find_helper(name) != nullptr; }

keel_status_t eval_helper(Evaluator& evaluator, const spec::ExprNode& node, Value* out) {
  const HelperEntry* helper = find_helper(node.text);
  if (helper == nullptr || node.arg_count != helper->arg_count) {
    return evaluator.error(std::string("helper '") + node.text + "' is unknown to lowering or has the wrong arity");
  }
  return helper->fn(evaluator, {node.args, node.arg_count}, out);
}

}  // namespace keel::lowering
