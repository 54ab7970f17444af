#include "graph/ir/attr_pack.h"

#include <cmath>
#include <cstring>

#include "graph/ir/value_type.h"
#include "keel/keel.hpp"

namespace keel::graph {
namespace {

const char* schema_type_name(spec::AttrType type) {
  switch (type) {
    case spec::AttrType::kInt: return "int";
    case spec::AttrType::kFloat: return "float";
    case spec::AttrType::kBool: return "bool";
    case spec::AttrType::kInts: return "ints";
    case spec::AttrType::kDtype: return "dtype";
    case spec::AttrType::kEnum: return "enum";
    case spec::AttrType::kFloats: return "floats";
  }
  return "?";
}

bool fits(spec::AttrType type, AttrValue::Kind kind) {
  using K = AttrValue::Kind;
  switch (type) {
    case spec::AttrType::kInt: return kind == K::kInt || kind == K::kBool;
    case spec::AttrType::kFloat: return kind == K::kFloat || kind == K::kInt;
    case spec::AttrType::kBool: return kind == K::kBool || kind == K::kInt;
    case spec::AttrType::kInts: return kind == K::kInts;
    case spec::AttrType::kFloats: return kind == K::kFloats || kind == K::kInts;
    case spec::AttrType::kDtype: return kind == K::kDtype;
    case spec::AttrType::kEnum: return kind == K::kEnum;
  }
  return false;
}

bool enum_has(const spec::AttrSchema& schema, std::string_view text, uint32_t* index) {
  for (size_t k = 0; k < schema.enum_value_count; ++k) {
    if (text == schema.enum_values[k]) {
      *index = static_cast<uint32_t>(k);
      return true;
    }
  }
  return false;
}

std::string enum_list(const spec::AttrSchema& schema) {
  std::string list;
  for (size_t k = 0; k < schema.enum_value_count; ++k) list += (k ? ", " : "") + std::string(schema.enum_values[k]);
  return list;
}

std::string check_one(const spec::AttrSchema& schema, const AttrValue& value) {
  const std::string label = std::string("attribute '") + schema.name + "'";
  if (value.is_ref()) {
    if (schema.type == spec::AttrType::kEnum || schema.type == spec::AttrType::kDtype) {
      return label + " (" + schema_type_name(schema.type) + ") cannot be bound to a value";
    }
    const bool list = schema.type == spec::AttrType::kInts || schema.type == spec::AttrType::kFloats;
    if (list && value.element >= 0) return label + " is a list: it binds a whole value, not one element";
    return "";
  }
  if (!fits(schema.type, value.kind)) {
    return label + " is " + attr_kind_name(value.kind) + ", expected " + schema_type_name(schema.type);
  }
  uint32_t index = 0;
  if (schema.type == spec::AttrType::kEnum && !enum_has(schema, value.text, &index)) {
    return label + " is '" + value.text + "', not one of " + enum_list(schema);
  }
  if (schema.type == spec::AttrType::kDtype && dtype_bytes(value.dtype) == 0) {
    return label + " names no dtype (" + std::to_string(value.dtype) + ")";
  }
  return "";
}

template <class T>
T read_field(const void* base, uint32_t offset) {
  T v;
  std::memcpy(&v, static_cast<const unsigned char*>(base) + offset, sizeof(T));
  return v;
}

template <class T>
void write_field(void* base, uint32_t offset, T v) {
  std::memcpy(static_cast<unsigned char*>(base) + offset, &v, sizeof(T));
}

}  // namespace

const spec::AttrSchema* find_attr(const spec::OpSchema& op, std::string_view name) {
  for (size_t k = 0; k < op.attr_count; ++k) {
    if (name == op.attrs[k].name) return &op.attrs[k];
  }
  return nullptr;
}

std::string check_attrs(const spec::OpSchema& op, const AttrMap& attrs) {
  for (const auto& [name, value] : attrs) {
    const spec::AttrSchema* schema = find_attr(op, name);
    if (schema == nullptr) {
      std::string known;
      for (size_t k = 0; k < op.attr_count; ++k) known += (k ? ", " : "") + std::string(op.attrs[k].name);
      return "unknown attribute '" + name + "' (" + op.name + " has " + (known.empty() ? "none" : known) + ")";
    }
    std::string problem = check_one(*schema, value);
    if (!problem.empty()) return problem;
  }
  for (size_t k = 0; k < op.attr_count; ++k) {
    if (op.attrs[k].required && attrs.find(op.attrs[k].name) == attrs.end()) {
      return std::string("required attribute '") + op.attrs[k].name + "' is missing";
    }
  }
  return "";
}

std::string attr_from_tensor(const spec::AttrSchema& schema, const HostTensor& tensor, int64_t element,
                             AttrValue* out) {
  const std::string label = std::string("attribute '") + schema.name + "'";
  if (element >= 0) {
    if (element >= tensor.numel()) {
      return label + ": element " + std::to_string(element) + " of a tensor with " + std::to_string(tensor.numel()) +
             " elements";
    }
  } else if ((schema.type == spec::AttrType::kInt || schema.type == spec::AttrType::kFloat ||
              schema.type == spec::AttrType::kBool) &&
             tensor.numel() != 1) {
    return label + " needs one element, the bound tensor " + format_type(tensor.type()) + " has " +
           std::to_string(tensor.numel());
  }
  const int64_t at = element < 0 ? 0 : element;
  switch (schema.type) {
    case spec::AttrType::kInt: *out = AttrValue::of_int(tensor.get_int(at)); return "";
    case spec::AttrType::kFloat: *out = AttrValue::of_float(tensor.get(at)); return "";
    case spec::AttrType::kBool: *out = AttrValue::of_bool(tensor.get(at) != 0); return "";
    case spec::AttrType::kInts:
      *out = AttrValue::of_ints(element < 0 ? tensor.to_ints() : std::vector<int64_t>{tensor.get_int(at)});
      return "";
    case spec::AttrType::kFloats:
      *out = AttrValue::of_floats(element < 0 ? tensor.to_doubles() : std::vector<double>{tensor.get(at)});
      return "";
    case spec::AttrType::kDtype:
    case spec::AttrType::kEnum: break;
  }
  return label + " (" + schema_type_name(schema.type) + ") cannot be read from a tensor";
}

PackedAttrs::PackedAttrs(const spec::OpSchema& op, const AttrMap& attrs, const RefResolver& resolve,
                         std::string_view context) {
  auto fail = [&](const std::string& problem) {
    throw Error(KEEL_STATUS_INVALID_ARGUMENT, std::string(context) + ": " + problem, "keel");
  };
  if (std::string problem = check_attrs(op, attrs); !problem.empty()) fail(problem);
  if (op.attr_count == 0 || op.attrs_size == 0) return;
  has_attrs_ = true;
  std::memcpy(buffer_.bytes, op.default_attrs, op.attrs_size);
  write_field<size_t>(buffer_.bytes, 0, op.attrs_size);
  for (const auto& [name, value] : attrs) {
    const spec::AttrSchema& schema = *find_attr(op, name);
    if (!value.is_ref()) {
      set(schema, value);
      continue;
    }
    const HostTensor* tensor = resolve ? resolve(value.ref) : nullptr;
    if (tensor == nullptr) fail("attribute '" + name + "' is bound to a value whose data is not available");
    AttrValue literal;
    if (std::string problem = attr_from_tensor(schema, *tensor, value.element, &literal); !problem.empty()) {
      fail(problem);
    }
    set(schema, literal);
    resolved_[name] = std::move(literal);
  }
}

void PackedAttrs::set(const spec::AttrSchema& schema, const AttrValue& value) {
  void* base = buffer_.bytes;
  switch (schema.type) {
    case spec::AttrType::kInt: write_field<int64_t>(base, schema.offset, value.i); break;
    case spec::AttrType::kFloat:
      write_field<double>(base, schema.offset,
                          value.kind == AttrValue::Kind::kInt ? static_cast<double>(value.i) : value.f);
      break;
    case spec::AttrType::kBool: write_field<uint8_t>(base, schema.offset, value.i != 0 ? 1 : 0); break;
    case spec::AttrType::kDtype: write_field<keel_dtype_t>(base, schema.offset, value.dtype); break;
    case spec::AttrType::kEnum: {
      uint32_t index = 0;
      enum_has(schema, value.text, &index);
      write_field<uint32_t>(base, schema.offset, index);
      break;
    }
    case spec::AttrType::kInts: {
      const std::vector<int64_t>& list = ints_.emplace_back(value.ints);
      write_field<const int64_t*>(base, schema.offset, list.empty() ? nullptr : list.data());
      write_field<size_t>(base, schema.count_offset, list.size());
      break;
    }
    case spec::AttrType::kFloats: {
      std::vector<double>& list = floats_.emplace_back(value.floats);
      if (value.kind == AttrValue::Kind::kInts) list.assign(value.ints.begin(), value.ints.end());
      write_field<const double*>(base, schema.offset, list.empty() ? nullptr : list.data());
      write_field<size_t>(base, schema.count_offset, list.size());
      break;
    }
  }
}

AttrValue attr_or_default(const spec::OpSchema& op, const AttrMap& attrs, std::string_view name) {
  if (auto it = attrs.find(std::string(name)); it != attrs.end()) return it->second;
  const spec::AttrSchema* schema = find_attr(op, name);
  if (schema == nullptr || op.default_attrs == nullptr) return AttrValue{};
  const void* base = op.default_attrs;
  switch (schema->type) {
    case spec::AttrType::kInt: return AttrValue::of_int(read_field<int64_t>(base, schema->offset));
    case spec::AttrType::kFloat: return AttrValue::of_float(read_field<double>(base, schema->offset));
    case spec::AttrType::kBool: return AttrValue::of_bool(read_field<uint8_t>(base, schema->offset) != 0);
    case spec::AttrType::kDtype: return AttrValue::of_dtype(read_field<keel_dtype_t>(base, schema->offset));
    case spec::AttrType::kEnum: {
      const uint32_t index = read_field<uint32_t>(base, schema->offset);
      return AttrValue::of_enum(index < schema->enum_value_count ? schema->enum_values[index] : "");
    }
    case spec::AttrType::kInts: {
      const auto* data = read_field<const int64_t*>(base, schema->offset);
      const auto count = read_field<size_t>(base, schema->count_offset);
      return AttrValue::of_ints(data == nullptr ? std::vector<int64_t>{} : std::vector<int64_t>(data, data + count));
    }
    case spec::AttrType::kFloats: {
      const auto* data = read_field<const double*>(base, schema->offset);
      const auto count = read_field<size_t>(base, schema->count_offset);
      return AttrValue::of_floats(data == nullptr ? std::vector<double>{} : std::vector<double>(data, data + count));
    }
  }
  return AttrValue{};
}

}  // namespace keel::graph
