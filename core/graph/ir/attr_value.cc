#include "graph/ir/attr_value.h"

#include <bit>

namespace keel::graph {

AttrValue AttrValue::of_int(int64_t v) {
  AttrValue a;
  a.kind = Kind::kInt;
  a.i = v;
  return a;
}

AttrValue AttrValue::of_float(double v) {
  AttrValue a;
  a.kind = Kind::kFloat;
  a.f = v;
  return a;
}

AttrValue AttrValue::of_bool(bool v) {
  AttrValue a;
  a.kind = Kind::kBool;
  a.i = v ? 1 : 0;
  return a;
}

AttrValue AttrValue::of_ints(std::vector<int64_t> v) {
  AttrValue a;
  a.kind = Kind::kInts;
  a.ints = std::move(v);
  return a;
}

AttrValue AttrValue::of_floats(std::vector<double> v) {
  AttrValue a;
  a.kind = Kind::kFloats;
  a.floats = std::move(v);
  return a;
}

AttrValue AttrValue::of_dtype(keel_dtype_t v) {
  AttrValue a;
  a.kind = Kind::kDtype;
  a.dtype = v;
  return a;
}

AttrValue AttrValue::of_enum(std::string v) {
  AttrValue a;
  a.kind = Kind::kEnum;
  a.text = std::move(v);
  return a;
}

AttrValue AttrValue::of_ref(ValueId value, int64_t element) {
  AttrValue a;
  a.kind = Kind::kValueRef;
  a.ref = value;
  a.element = element;
  return a;
}

bool AttrValue::operator==(const AttrValue& other) const {
  if (kind != other.kind) return false;
  switch (kind) {
    case Kind::kInt:
    case Kind::kBool: return i == other.i;
    case Kind::kFloat: return std::bit_cast<uint64_t>(f) == std::bit_cast<uint64_t>(other.f);
    case Kind::kInts: return ints == other.ints;
    case Kind::kFloats:
      if (floats.size() != other.floats.size()) return false;
      for (size_t k = 0; k < floats.size(); ++k) {
        if (std::bit_cast<uint64_t>(floats[k]) != std::bit_cast<uint64_t>(other.floats[k])) return false;
      }
      return true;
    case Kind::kDtype: return dtype == other.dtype;
    case Kind::kEnum: return text == other.text;
    case Kind::kValueRef: return ref == other.ref && element == other.element;
  }
  return false;
}

const char* attr_kind_name(AttrValue::Kind kind) {
  switch (kind) {
    case AttrValue::Kind::kInt: return "int";
    case AttrValue::Kind::kFloat: return "float";
    case AttrValue::Kind::kBool: return "bool";
    case AttrValue::Kind::kInts: return "ints";
    case AttrValue::Kind::kFloats: return "floats";
    case AttrValue::Kind::kDtype: return "dtype";
    case AttrValue::Kind::kEnum: return "enum";
    case AttrValue::Kind::kValueRef: return "value";
  }
  return "?";
}

}  // namespace keel::graph
