#include "attrs_layout.h"

#include <charconv>
#include <cstdint>

#include "names.h"

namespace keel::specgen {
namespace {

struct CType {
  const char* name;
  size_t size;  // also the alignment: every field type here is naturally aligned
};

CType c_type_of(AttrType type) {
  switch (type) {
    case AttrType::kInt: return {"int64_t", 8};
    case AttrType::kFloat: return {"double", 8};
    case AttrType::kBool: return {"uint8_t", 1};
    case AttrType::kInts: return {"const int64_t*", 8};
    case AttrType::kFloats: return {"const double*", 8};
    case AttrType::kDtype: return {"keel_dtype_t", 4};
    case AttrType::kEnum: return {"uint32_t", 4};
  }
  return {"?", 1};
}

size_t align_up(size_t offset, size_t alignment) { return (offset + alignment - 1) / alignment * alignment; }

}  // namespace

std::string c_int(int64_t value) {
  if (value == INT64_MIN) return "INT64_MIN";
  if (value > INT32_MAX || value < INT32_MIN) return "INT64_C(" + std::to_string(value) + ")";
  return std::to_string(value);
}

std::vector<AttrField> attrs_layout(const OpDef& op) {
  std::vector<AttrField> fields;
  if (op.attrs.empty()) return fields;
  fields.push_back({"struct_size", "size_t", 0, nullptr, false});
  size_t end = 8;
  for (const AttrDef& attr : op.attrs) {
    CType t = c_type_of(attr.type);
    size_t offset = align_up(end, t.size);
    fields.push_back({attr.name, t.name, offset, &attr, false});
    end = offset + t.size;
    if (attr.type == AttrType::kInts || attr.type == AttrType::kFloats) {
      fields.push_back({attr.name + "_count", "size_t", end, &attr, true});
      end += 8;
    }
  }
  return fields;
}

std::string c_double(double value) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  std::string text(buf, ec == std::errc() ? end : buf);
  if (text.find_first_of(".en") == std::string::npos) text += ".0";  // "1" → "1.0"; keeps "1e+12", "inf"
  return text;
}

std::string c_value(const OpDef& op, const AttrDef& attr, const AttrValue& value, const GlobalSpec& global,
                    const std::string& array) {
  switch (attr.type) {
    case AttrType::kInt: return c_int(value.i);
    case AttrType::kFloat: return c_double(value.f);
    case AttrType::kBool: return value.b ? "1" : "0";
    case AttrType::kInts: return value.ints.empty() ? "NULL, 0" : array + ", " + std::to_string(value.ints.size());
    case AttrType::kFloats:
      return value.floats.empty() ? "NULL, 0" : array + ", " + std::to_string(value.floats.size());
    case AttrType::kDtype: {
      const DtypeDef* d = global.find_dtype(value.name);
      return d ? d->c_name : "KEEL_DTYPE_INVALID";
    }
    case AttrType::kEnum: return enum_constant(op.name, attr.name, value.name);
  }
  return "0";
}

}  // namespace keel::specgen
