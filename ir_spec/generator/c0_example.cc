#include "c0_example.h"

#include <algorithm>

namespace keel::specgen {
namespace {

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

const TypeVarDef& var_of(const OpDef& op, const TensorDef& t) {
  return op.types[static_cast<size_t>(op.type_var_index(t.type_ref))];
}

// The dtype a valid call would use for a variable: f32 when allowed (the most familiar), else its first.
std::string valid_dtype(const TypeVarDef& var) { return contains(var.dtypes, "f32") ? "f32" : var.dtypes.front(); }

}  // namespace

std::optional<ExampleDef> derive_c0_example(const OpDef& op, const GlobalSpec& global) {
  if (op.inputs.empty()) return std::nullopt;
  ExampleDef ex;
  ex.where = op.where;
  for (const TensorDef& t : op.inputs) {
    std::string dtype = t.type_kind == TypeKind::kVar ? valid_dtype(var_of(op, t)) : t.type_ref;
    ex.inputs.push_back({dtype + "[2]", dtype, {2}});
  }
  auto set_dtype = [](ExampleTensor& t, const std::string& dtype) {
    t.dtype = dtype;
    t.text = dtype + "[2]";
  };

  // 1. A dtype the input's variable does not allow.
  for (size_t i = 0; i < op.inputs.size(); ++i) {
    if (op.inputs[i].type_kind != TypeKind::kVar) continue;
    const TypeVarDef& var = var_of(op, op.inputs[i]);
    for (const DtypeDef& d : global.dtypes) {
      if (!contains(var.dtypes, d.name)) {
        set_dtype(ex.inputs[i], d.name);
        return ex;
      }
    }
  }
  // 2. Two tensors of one variable with different dtypes.
  for (size_t i = 0; i < op.inputs.size(); ++i) {
    const TensorDef& t = op.inputs[i];
    if (t.type_kind != TypeKind::kVar) continue;
    const TypeVarDef& var = var_of(op, t);
    auto other =
        std::find_if(var.dtypes.begin(), var.dtypes.end(), [&](const std::string& d) { return d != valid_dtype(var); });
    if (other == var.dtypes.end()) continue;
    if (t.variadic) {
      ex.inputs.push_back({*other + "[2]", *other, {2}});
      return ex;
    }
    for (size_t j = i + 1; j < op.inputs.size(); ++j) {
      if (op.inputs[j].type_kind == TypeKind::kVar && op.inputs[j].type_ref == t.type_ref) {
        set_dtype(ex.inputs[j], *other);
        return ex;
      }
    }
  }
  // 3. Another dtype for a fixed-dtype input.
  for (size_t i = 0; i < op.inputs.size(); ++i) {
    if (op.inputs[i].type_kind != TypeKind::kFixed) continue;
    for (const DtypeDef& d : global.dtypes) {
      if (d.name != op.inputs[i].type_ref) {
        set_dtype(ex.inputs[i], d.name);
        return ex;
      }
    }
  }
  return std::nullopt;
}

}  // namespace keel::specgen
