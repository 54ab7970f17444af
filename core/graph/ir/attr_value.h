// Attribute values of graph nodes. A node stores its attributes generically, by name; they are mapped onto
// the operator's keel_<op>_attrs_t through the spec's AttrSchema table (graph/ir/attr_pack.h). An attribute
// may also be bound to a graph value: its value is then that tensor's data (or one element of it), read when
// the node runs — how ONNX inputs such as Reshape's shape or Slice's starts reach spec attributes.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "keel/keel_types.h"

namespace keel::graph {

using ValueId = int32_t;
constexpr ValueId kNoValue = -1;  // an absent optional input

struct AttrValue {
  enum class Kind : uint8_t { kInt, kFloat, kBool, kInts, kFloats, kDtype, kEnum, kValueRef };

  Kind kind = Kind::kInt;
  int64_t i = 0;                 // kInt, kBool (0/1)
  double f = 0;                  // kFloat
  std::vector<int64_t> ints;     // kInts
  std::vector<double> floats;    // kFloats
  keel_dtype_t dtype = KEEL_DTYPE_INVALID;  // kDtype
  std::string text;              // kEnum: the value name
  ValueId ref = kNoValue;        // kValueRef: the value whose data is the attribute
  int64_t element = -1;          // kValueRef: -1 = the whole tensor, else that element (row-major)

  static AttrValue of_int(int64_t v);
  static AttrValue of_float(double v);
  static AttrValue of_bool(bool v);
  static AttrValue of_ints(std::vector<int64_t> v);
  static AttrValue of_floats(std::vector<double> v);
  static AttrValue of_dtype(keel_dtype_t v);
  static AttrValue of_enum(std::string v);
  static AttrValue of_ref(ValueId value, int64_t element = -1);

  bool is_ref() const { return kind == Kind::kValueRef; }
  // Exact equality (bitwise for floats, so NaN equals itself): what CSE needs.
  bool operator==(const AttrValue& other) const;
};

const char* attr_kind_name(AttrValue::Kind kind);

// Ordered by name, so printing, hashing and comparison are deterministic.
using AttrMap = std::map<std::string, AttrValue>;

}  // namespace keel::graph
