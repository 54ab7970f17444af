#include "graph/trace/attr_unpack.h"

#include <cstring>
#include <vector>

namespace keel::graph {
namespace {

template <class T>
T field(const void* attrs, uint32_t offset) {
  T value;
  std::memcpy(&value, static_cast<const unsigned char*>(attrs) + offset, sizeof(T));
  return value;
}

template <class T>
std::vector<T> array_field(const void* attrs, const spec::AttrSchema& schema) {
  const T* data = field<const T*>(attrs, schema.offset);
  const size_t count = field<size_t>(attrs, schema.count_offset);
  return data == nullptr ? std::vector<T>() : std::vector<T>(data, data + count);
}

}  // namespace

AttrMap unpack_attrs(const spec::OpSchema& op, const void* attrs) {
  AttrMap map;
  const void* source = attrs != nullptr ? attrs : op.default_attrs;
  if (source == nullptr) return map;
  for (size_t a = 0; a < op.attr_count; ++a) {
    const spec::AttrSchema& schema = op.attrs[a];
    switch (schema.type) {
      case spec::AttrType::kInt: map[schema.name] = AttrValue::of_int(field<int64_t>(source, schema.offset)); break;
      case spec::AttrType::kFloat: map[schema.name] = AttrValue::of_float(field<double>(source, schema.offset)); break;
      case spec::AttrType::kBool: map[schema.name] = AttrValue::of_bool(field<uint8_t>(source, schema.offset) != 0); break;
      case spec::AttrType::kInts: map[schema.name] = AttrValue::of_ints(array_field<int64_t>(source, schema)); break;
      case spec::AttrType::kFloats: map[schema.name] = AttrValue::of_floats(array_field<double>(source, schema)); break;
      case spec::AttrType::kDtype:
        map[schema.name] = AttrValue::of_dtype(field<keel_dtype_t>(source, schema.offset));
        break;
      case spec::AttrType::kEnum: {
        const uint32_t index = field<uint32_t>(source, schema.offset);
        if (index < schema.enum_value_count) map[schema.name] = AttrValue::of_enum(schema.enum_values[index]);
        break;
      }
    }
  }
  return map;
}

}  // namespace keel::graph
