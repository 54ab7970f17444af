// The C layout of an operator's keel_<op>_attrs_t: fields in spec order after struct_size.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "model.h"

namespace keel::specgen {

struct AttrField {
  std::string name;               // the C field name
  std::string c_type;             // "const int64_t*", "size_t", ...
  size_t offset = 0;              // on 64-bit targets (8-byte pointers and size_t)
  const AttrDef* attr = nullptr;  // nullptr for struct_size
  bool is_count = false;          // the <name>_count field of an ints attribute
};

// struct_size first, then one field per attribute (two for ints). Empty when the op has no attributes.
std::vector<AttrField> attrs_layout(const OpDef& op);

// The C expression of an attribute value as an initializer of its field(s): e.g. "KEEL_DTYPE_F32", "-1",
// "1.0"; an ints value yields "<array>, <count>" with `array` naming the static array holding it (NULL when
// the list is empty).
std::string c_value(const OpDef& op, const AttrDef& attr, const AttrValue& value, const GlobalSpec& global,
                    const std::string& array);

// An int64 as a C literal: "-1", "INT64_C(4294967296)", "INT64_MIN".
std::string c_int(int64_t value);

// A double as a C literal that reads back exactly and always looks like a double ("1.0", "1e+12").
std::string c_double(double value);

}  // namespace keel::specgen
