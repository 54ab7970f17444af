#include "spec/validate.h"

#include <algorithm>
#include <cstring>

#include "spec/format.h"

namespace keel::spec {
namespace {

// Larger than any attribute struct could plausibly grow; a bigger struct_size means the caller passed
// something that is not an attribute struct.
constexpr size_t kMaxCallerStructSize = 4096;

const TensorSchema& input_schema(const OpSchema& op, size_t position) {
  return op.inputs[std::min(position, op.input_count - 1)];  // the variadic tail repeats the last input
}

size_t field_size(AttrType type) {
  switch (type) {
    case AttrType::kBool: return sizeof(uint8_t);
    case AttrType::kEnum:
    case AttrType::kDtype: return sizeof(uint32_t);
    case AttrType::kInt: return sizeof(int64_t);
    case AttrType::kFloat: return sizeof(double);
    case AttrType::kInts: return sizeof(const int64_t*);
    case AttrType::kFloats: return sizeof(const double*);
  }
  return 0;
}

bool input_count_ok(const OpSchema& op, size_t count) {
  return op.has_variadic_input() ? count >= op.input_count : count == op.input_count;
}

std::string input_count_message(const OpSchema& op, size_t count) {
  std::string names;
  for (size_t i = 0; i < op.input_count; ++i) {
    names += (i ? ", " : "") + std::string(op.inputs[i].name) + (op.inputs[i].variadic ? "..." : "");
  }
  std::string expected = (op.has_variadic_input() ? "at least " : "") + std::to_string(op.input_count);
  return std::string(op.name) + ": expects " + expected + " input" + (op.input_count == 1 ? "" : "s") + " (" + names +
         "), got " + std::to_string(count);
}

Violation violation(const OpSchema& op, const ConstraintSchema& c, const std::string& detail) {
  return {c.code, std::string(op.name) + ": constraint " + c.id + " violated (" + c.text + "): " + detail};
}

// Position of the first input of the call bound to `type_var` and present, or -1.
int64_t first_input_of(const OpSchema& op, std::span<const TensorMeta> inputs, int32_t type_var) {
  for (size_t p = 0; p < inputs.size(); ++p) {
    if (input_schema(op, p).type_var == type_var && !(input_schema(op, p).optional && inputs[p].absent())) {
      return static_cast<int64_t>(p);
    }
  }
  return -1;
}

// An optional input passed absent: no dtype, no shape, and the constraints naming it alone are skipped.
bool skipped(const OpSchema& op, std::span<const TensorMeta> inputs, size_t position) {
  return input_schema(op, position).optional && inputs[position].absent();
}

bool allows(const TypeVar& var, keel_dtype_t dtype) {
  for (size_t i = 0; i < var.dtype_count; ++i) {
    if (var.dtypes[i] == dtype) return true;
  }
  return false;
}

// C0: every input's dtype is allowed by its type variable (or is its fixed dtype), and inputs bound to one
// type variable share a dtype.
std::optional<Violation> check_typing(const OpSchema& op, std::span<const TensorMeta> inputs) {
  const ConstraintSchema& c0 = op.constraints[0];
  CallView call(op, nullptr, inputs);
  for (size_t p = 0; p < inputs.size(); ++p) {
    const TensorSchema& schema = input_schema(op, p);
    keel_dtype_t dtype = inputs[p].dtype;
    if (skipped(op, inputs, p)) continue;
    auto label = [&] { return "input '" + call.tensor_name(p) + "' is " + dtype_name(dtype); };
    if (schema.type_var < 0) {
      if (dtype != schema.fixed_dtype) {
        return violation(op, c0, label() + "; it must be " + dtype_name(schema.fixed_dtype));
      }
      continue;
    }
    const TypeVar& var = op.type_vars[schema.type_var];
    if (!allows(var, dtype)) {
      return violation(op, c0, label() + "; " + var.name + " allows " + format_dtypes(var));
    }
    auto first = static_cast<size_t>(first_input_of(op, inputs, schema.type_var));
    if (first < p && inputs[first].dtype != dtype) {
      return violation(op, c0,
                       label() + ", but input '" + call.tensor_name(first) + "' is " + dtype_name(inputs[first].dtype) +
                           "; both are bound to " + var.name);
    }
  }
  return std::nullopt;
}

// Shapes every rule may rely on: a rank the descriptor can hold and no negative dimension.
std::optional<Violation> check_shapes(const OpSchema& op, std::span<const TensorMeta> inputs) {
  CallView call(op, nullptr, inputs);
  for (size_t p = 0; p < inputs.size(); ++p) {
    const TensorMeta& t = inputs[p];
    if (skipped(op, inputs, p)) continue;
    if (t.rank > KEEL_MAX_RANK) {
      std::string detail = "has rank " + std::to_string(t.rank) + "; the limit is " + std::to_string(KEEL_MAX_RANK);
      return Violation{KEEL_STATUS_INVALID_ARGUMENT,
                       std::string(op.name) + ": input '" + call.tensor_name(p) + "' " + detail};
    }
    for (uint32_t d = 0; d < t.rank; ++d) {
      if (t.dims[d] < 0) {
        std::string detail = "has the negative shape " + format_shape(t);
        return Violation{KEEL_STATUS_INVALID_ARGUMENT,
                         std::string(op.name) + ": input '" + call.tensor_name(p) + "' " + detail};
      }
    }
  }
  return std::nullopt;
}

// Starts from the defaults and copies each field that lies wholly inside the caller's struct (an ints
// attribute needs both its pointer and its count); sets struct_size to ours.
void copy_caller_fields(const OpSchema& op, const unsigned char* in, size_t caller_size, unsigned char* out) {
  std::memcpy(out, op.default_attrs, op.attrs_size);
  for (size_t i = 0; i < op.attr_count; ++i) {
    const AttrSchema& attr = op.attrs[i];
    bool ints = attr.type == AttrType::kInts || attr.type == AttrType::kFloats;
    size_t size = field_size(attr.type);
    size_t end = ints ? attr.count_offset + sizeof(size_t) : attr.offset + size;
    if (end > caller_size) continue;
    std::memcpy(out + attr.offset, in + attr.offset, size);
    if (ints) std::memcpy(out + attr.count_offset, in + attr.count_offset, sizeof(size_t));
  }
  size_t own_size = op.attrs_size;
  std::memcpy(out, &own_size, sizeof own_size);
}

// A value no predicate or shape rule could read safely: an ints attribute with entries but no pointer, or an
// enum index beyond its values.
std::optional<std::string> unreadable_value(const OpSchema& op, const unsigned char* attrs) {
  CallView call(op, attrs, {});
  for (size_t i = 0; i < op.attr_count; ++i) {
    const AttrSchema& attr = op.attrs[i];
    if (attr.type == AttrType::kInts || attr.type == AttrType::kFloats) {
      const void* data;
      size_t count;
      std::memcpy(&data, attrs + attr.offset, sizeof data);
      std::memcpy(&count, attrs + attr.count_offset, sizeof count);
      if (count > 0 && !data) {
        return "attribute '" + std::string(attr.name) + "' has " + std::to_string(count) +
               " entries but a NULL pointer";
      }
    }
    int64_t value = call.attr_int(Arg{ArgKind::kAttr, static_cast<int32_t>(i), 1, 0});
    if (attr.type == AttrType::kEnum && static_cast<uint64_t>(value) >= attr.enum_value_count) {
      std::string values;
      for (size_t v = 0; v < attr.enum_value_count; ++v) {
        values += (v ? ", " : "") + std::string(attr.enum_values[v]) + " = " + std::to_string(v);
      }
      return "attribute '" + std::string(attr.name) + "' is " + std::to_string(value) + ", not one of its values (" +
             values + ")";
    }
  }
  return std::nullopt;
}

// A constraint that names an absent optional input as a single tensor argument does not apply.
bool names_absent_input(const OpSchema& op, std::span<const TensorMeta> inputs, std::span<const Arg> args) {
  for (const Arg& a : args) {
    auto p = static_cast<size_t>(a.index);
    if (a.kind == ArgKind::kTensor && p < inputs.size() && skipped(op, inputs, p)) return true;
  }
  return false;
}

}  // namespace

bool normalize_attrs(const OpSchema& op, const void* caller_attrs, void* out_full, std::string* why) {
  auto fail = [&](std::string detail) {
    if (why) *why = std::move(detail);
    return false;
  };
  size_t caller_size = 0;
  if (caller_attrs) {
    std::memcpy(&caller_size, caller_attrs, sizeof caller_size);
    if (caller_size < sizeof(size_t) || caller_size > kMaxCallerStructSize) {
      std::string expected =
          op.attrs_size ? "sizeof(keel_" + std::string(op.name) + "_attrs_t) is " + std::to_string(op.attrs_size)
                        : std::string("the operator has no attributes; pass NULL");
      return fail("struct_size " + std::to_string(caller_size) + " is not the size of an attribute struct (" +
                  expected + ")");
    }
  }
  if (op.attrs_size == 0) return true;

  auto* out = static_cast<unsigned char*>(out_full);
  copy_caller_fields(op, static_cast<const unsigned char*>(caller_attrs), caller_size, out);
  std::optional<std::string> bad = unreadable_value(op, out);
  return bad ? fail(*bad) : true;
}

std::optional<Violation> check(const OpSchema& op, const void* full_attrs, std::span<const TensorMeta> inputs) {
  if (!input_count_ok(op, inputs.size())) {
    return Violation{KEEL_STATUS_INVALID_ARGUMENT, input_count_message(op, inputs.size())};
  }
  if (std::optional<Violation> v = check_shapes(op, inputs)) return v;
  if (std::optional<Violation> v = check_typing(op, inputs)) return v;
  CallView call(op, full_attrs, inputs);
  for (size_t i = 0; i < op.constraint_count; ++i) {
    const ConstraintSchema& c = op.constraints[i];
    if (!c.predicate) continue;  // C0, checked above
    if (names_absent_input(op, inputs, {c.args, c.arg_count})) continue;
    std::string why;  // stays empty, without allocating, unless the predicate fails
    if (!c.predicate(call, {c.args, c.arg_count}, &why)) return violation(op, c, why);
  }
  return std::nullopt;
}

keel_dtype_t bound_dtype(const OpSchema& op, const void* full_attrs, std::span<const TensorMeta> inputs,
                         int32_t type_var) {
  int64_t first = first_input_of(op, inputs, type_var);
  if (first >= 0) return inputs[static_cast<size_t>(first)].dtype;
  CallView call(op, full_attrs, inputs);
  for (size_t i = 0; i < op.attr_count; ++i) {
    if (op.attrs[i].type == AttrType::kDtype && op.attrs[i].type_var == type_var) {
      return static_cast<keel_dtype_t>(call.attr_int(Arg{ArgKind::kAttr, static_cast<int32_t>(i), 1, 0}));
    }
  }
  return KEEL_DTYPE_INVALID;
}

size_t output_count(const OpSchema& op, const void* full_attrs, std::span<const TensorMeta> inputs) {
  if (!op.has_variadic_output()) return op.output_count;
  const OutputRule& rule = op.output_rules[op.output_count - 1];
  CallView call(op, full_attrs, inputs);
  int64_t tail = rule.count(call, {rule.count_args, rule.count_arg_count});
  return op.output_count - 1 + static_cast<size_t>(std::max<int64_t>(tail, 0));
}

void infer(const OpSchema& op, const void* full_attrs, std::span<const TensorMeta> inputs,
           std::span<TensorMeta> outputs) {
  CallView call(op, full_attrs, inputs);
  for (size_t i = 0; i < op.output_count && i < outputs.size(); ++i) {
    const TensorSchema& schema = op.outputs[i];
    const OutputRule& rule = op.output_rules[i];
    // A variadic (last) output fills the rest of `outputs`.
    std::span<TensorMeta> out = schema.variadic ? outputs.subspan(i) : outputs.subspan(i, 1);
    keel_dtype_t dtype = KEEL_DTYPE_INVALID;
    if (schema.type_var >= 0) {
      dtype = bound_dtype(op, full_attrs, inputs, schema.type_var);
    } else if (schema.dtype_attr >= 0) {
      dtype = static_cast<keel_dtype_t>(call.attr_int(Arg{ArgKind::kAttr, schema.dtype_attr, 1, 0}));
    } else {
      dtype = schema.fixed_dtype;
    }
    for (TensorMeta& t : out) t = TensorMeta{};
    rule.rule(call, {rule.args, rule.arg_count}, out);
    for (TensorMeta& t : out) t.dtype = dtype;
  }
}

}  // namespace keel::spec
