#include "autograd/evaluator.h"

#include <cmath>
#include <string_view>

#include "dispatch/attrs.h"
#include "dispatch/dispatch.h"
#include "tensor/make.h"

namespace keel::detail {

// ---- AttrValue ----------------------------------------------------------------------------------------------

double AttrValue::as_double() const {
  switch (kind) {
    case Kind::kFloat: return f;
    case Kind::kInt:
    case Kind::kBool: return static_cast<double>(i);
    default: fail(KEEL_STATUS_INTERNAL, "formula: a list where a number is expected");
  }
}

int64_t AttrValue::as_int() const {
  switch (kind) {
    case Kind::kInt:
    case Kind::kBool: return i;
    case Kind::kFloat: return static_cast<int64_t>(f);
    default: fail(KEEL_STATUS_INTERNAL, "formula: a list where a number is expected");
  }
}

std::vector<int64_t> AttrValue::as_ints() const {
  if (kind == Kind::kInts) return ints;
  if (kind == Kind::kFloats) return std::vector<int64_t>(floats.begin(), floats.end());
  return {as_int()};
}

std::vector<double> AttrValue::as_floats() const {
  if (kind == Kind::kFloats) return floats;
  if (kind == Kind::kInts) return std::vector<double>(ints.begin(), ints.end());
  return {as_double()};
}

// ---- Evaluator ----------------------------------------------------------------------------------------------

Evaluator::Evaluator(const FormulaCall& call, FormulaSet set) : call_(call), op_(&op_table()[call.op]) {
  lets_ = set == FormulaSet::kGradient ? op_->lets : op_->decomposition_lets;
  let_count_ = set == FormulaSet::kGradient ? op_->let_count : op_->decomposition_let_count;
  let_values_.resize(let_count_);
}

std::pair<size_t, size_t> Evaluator::input_range(int32_t index) const {
  const size_t i = static_cast<size_t>(index);
  if (op_->variadic_input && i + 1 == op_->input_count) return {i, call_.inputs.size() - i};
  return {i, 1};
}

std::pair<size_t, size_t> Evaluator::output_range(int32_t index) const {
  const size_t i = static_cast<size_t>(index);
  const size_t total = !call_.output_info.empty() ? call_.output_info.size() : call_.outputs.size();
  if (op_->variadic_output && i + 1 == op_->output_count) return {i, total - i};
  return {i, 1};
}

Tensor Evaluator::cotangent(size_t position) const {
  if (position < call_.grads.size() && call_.grads[position].defined()) return call_.grads[position];
  const OutputInfo& info = call_.output_info[position];
  return full_on(*info.device, info.dtype, info.shape(), 0.0);
}

Value Evaluator::attribute(int32_t index) const {
  const AttrEntry& a = op_->attrs[index];
  switch (a.kind) {
    case AttrKind::kFloat: return Value::of(AttrValue::of_float(detail::attr_float(*op_, call_.attrs, index)));
    case AttrKind::kBool: return Value::of(AttrValue::of_bool(detail::attr_int(*op_, call_.attrs, index) != 0));
    case AttrKind::kInts: {
      std::span<const int64_t> v = detail::attr_ints(*op_, call_.attrs, index);
      return Value::of(AttrValue::of_ints({v.begin(), v.end()}));
    }
    case AttrKind::kFloats: {
      std::span<const double> v = detail::attr_floats(*op_, call_.attrs, index);
      AttrValue value;
      value.kind = AttrValue::Kind::kFloats;
      value.floats.assign(v.begin(), v.end());
      return Value::of(std::move(value));
    }
    default: return Value::of(AttrValue::of_int(detail::attr_int(*op_, call_.attrs, index)));
  }
}

Value Evaluator::name(const Expr& e) {
  switch (e.name_kind) {
    case NameKind::kInput:
    case NameKind::kTangent: {
      auto [first, count] = input_range(e.index);
      const bool tangent = e.name_kind == NameKind::kTangent;
      std::vector<Tensor> values;
      for (size_t i = first; i < first + count; ++i) {
        if (!tangent) {
          values.push_back(call_.inputs[i]);
        } else if (i < call_.tangents.size() && call_.tangents[i].defined()) {
          values.push_back(call_.tangents[i]);
        } else {
          values.push_back(zeros_like(call_.inputs[i]));
        }
      }
      if (op_->variadic_input && static_cast<uint32_t>(e.index) + 1 == op_->input_count) return Value::of(std::move(values));
      return Value::of(std::move(values[0]));
    }
    case NameKind::kOutput:
    case NameKind::kGrad: {
      auto [first, count] = output_range(e.index);
      std::vector<Tensor> values;
      for (size_t i = first; i < first + count; ++i) {
        values.push_back(e.name_kind == NameKind::kGrad ? cotangent(i) : call_.outputs[i]);
      }
      if (op_->variadic_output && static_cast<uint32_t>(e.index) + 1 == op_->output_count) {
        return Value::of(std::move(values));
      }
      return Value::of(std::move(values[0]));
    }
    case NameKind::kAttr: return attribute(e.index);
    case NameKind::kLet: {
      std::optional<Value>& slot = let_values_[static_cast<size_t>(e.index)];
      if (!slot) slot = eval(*lets_[e.index].expr);
      return *slot;
    }
    case NameKind::kEnumValue:
    case NameKind::kDtype: return Value::of(AttrValue::of_int(e.index));
    case NameKind::kNone: break;
  }
  fail(KEEL_STATUS_INTERNAL, std::string(op_->name) + ": formula name '" + e.text + "' is unresolved");
}

Value Evaluator::call_op(const Expr& e) {
  const int32_t callee_index = e.index;
  const OpEntry& callee = op_table()[callee_index];
  Attrs attrs(callee);
  std::vector<Tensor> inputs;
  for (uint32_t i = 0; i < e.arg_count; ++i) {
    const Expr& arg = e.args[i];
    const int32_t attr = e.arg_attrs != nullptr ? e.arg_attrs[i] : -1;
    if (attr < 0) {
      Value v = eval(arg);
      if (v.kind == Value::Kind::kList) {
        for (Tensor& t : v.list) inputs.push_back(std::move(t));
      } else if (v.kind == Value::Kind::kTensor) {
        inputs.push_back(std::move(v.tensor));
      } else {
        fail(KEEL_STATUS_INTERNAL, std::string(op_->name) + ": formula passes a number as input of " + callee.name);
      }
      continue;
    }
    const AttrValue v = eval(arg).attr;
    switch (callee.attrs[attr].kind) {
      case AttrKind::kFloat: attrs.set_float(static_cast<size_t>(attr), v.as_double()); break;
      case AttrKind::kInts: attrs.set_ints(static_cast<size_t>(attr), v.as_ints()); break;
      case AttrKind::kFloats: attrs.set_floats(static_cast<size_t>(attr), v.as_floats()); break;
      default: attrs.set_int(static_cast<size_t>(attr), v.as_int()); break;
    }
  }
  while (inputs.size() < callee.input_count) inputs.emplace_back();  // trailing optional inputs left out
  std::vector<const Tensor*> pointers;
  pointers.reserve(inputs.size());
  for (const Tensor& t : inputs) pointers.push_back(&t);
  std::vector<Tensor> outputs = run_op(callee_index, attrs.get(), pointers, nullptr);
  if (outputs.size() == 1 && !callee.variadic_output) return Value::of(std::move(outputs[0]));
  return Value::of(std::move(outputs));
}

Value Evaluator::eval(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kOpCall: return call_op(e);
    case ExprKind::kHelper: return helper_at(e.index)(*this, e);
    case ExprKind::kName: return name(e);
    case ExprKind::kNumber:
      return Value::of(e.is_integer ? AttrValue::of_int(e.integer) : AttrValue::of_float(e.number));
    case ExprKind::kBool: return Value::of(AttrValue::of_bool(e.boolean));
    case ExprKind::kList: {
      AttrValue list;
      list.kind = AttrValue::Kind::kInts;
      std::vector<AttrValue> items;
      for (uint32_t i = 0; i < e.arg_count; ++i) {
        items.push_back(eval(e.args[i]).attr);
        if (items.back().kind == AttrValue::Kind::kFloat) list.kind = AttrValue::Kind::kFloats;
      }
      for (const AttrValue& item : items) {
        list.ints.push_back(item.as_int());
        list.floats.push_back(item.as_double());
      }
      return Value::of(std::move(list));
    }
  }
  fail(KEEL_STATUS_INTERNAL, "formula: unknown node");
}

Tensor Evaluator::eval_tensor(const Expr& e) {
  Value v = eval(e);
  if (v.kind != Value::Kind::kTensor) {
    fail(KEEL_STATUS_INTERNAL, std::string(op_->name) + ": formula '" + e.text + "' does not give a tensor");
  }
  return std::move(v.tensor);
}

std::vector<Tensor> Evaluator::eval_list(const Expr& e) {
  Value v = eval(e);
  if (v.kind == Value::Kind::kList) return std::move(v.list);
  if (v.kind == Value::Kind::kTensor) return {std::move(v.tensor)};
  fail(KEEL_STATUS_INTERNAL, std::string(op_->name) + ": formula '" + e.text + "' does not give tensors");
}

bool Evaluator::input_present(int32_t index) const {
  const size_t first = input_range(index).first;
  return first < call_.input_info.size() && call_.input_info[first].dtype != Dtype::invalid;
}

bool Evaluator::has_attr(const char* attr_name) const { return attr_index(*op_, attr_name) >= 0; }

namespace {
int32_t require_attr(const OpEntry& op, const char* name) {
  const int32_t index = attr_index(op, name);
  if (index < 0) {
    fail(KEEL_STATUS_INTERNAL, std::string(op.name) + ": a gradient helper needs attribute '" + name +
                                   "', which the operator lacks");
  }
  return index;
}
}  // namespace

int64_t Evaluator::attr_int(const char* attr_name) const {
  return detail::attr_int(*op_, call_.attrs, require_attr(*op_, attr_name));
}
double Evaluator::attr_float(const char* attr_name) const {
  return detail::attr_float(*op_, call_.attrs, require_attr(*op_, attr_name));
}
std::vector<int64_t> Evaluator::attr_ints(const char* attr_name) const {
  std::span<const int64_t> v = detail::attr_ints(*op_, call_.attrs, require_attr(*op_, attr_name));
  return {v.begin(), v.end()};
}
std::vector<double> Evaluator::attr_floats(const char* attr_name) const {
  std::span<const double> v = detail::attr_floats(*op_, call_.attrs, require_attr(*op_, attr_name));
  return {v.begin(), v.end()};
}

}  // namespace keel::detail
