// Attributes: declarations, defaults, and reading a value of a declared attribute.
#include <algorithm>
#include <set>

#include "names.h"
#include "op_loader.h"

namespace keel::specgen {
namespace {

std::optional<AttrType> parse_attr_type(const std::string& text) {
  if (text == "int") return AttrType::kInt;
  if (text == "float") return AttrType::kFloat;
  if (text == "bool") return AttrType::kBool;
  if (text == "ints") return AttrType::kInts;
  if (text == "floats") return AttrType::kFloats;
  if (text == "dtype") return AttrType::kDtype;
  if (text == "enum") return AttrType::kEnum;
  return std::nullopt;
}

std::string join_ints(const std::vector<int64_t>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + std::to_string(values[i]);
  return out + "]";
}

void load_attribute(const YamlFile& file, const YAML::Node& node, const GlobalSpec& global, OpDef& op,
                    std::set<std::string>& names) {
  std::string name = scalar_of(node["name"]);
  std::string what = "attribute '" + name + "' of '" + op.name + "'";
  if (!file.check_keys(node, what, {"name", "type"}, {"default", "required", "doc", "values", "of"})) return;
  AttrDef attr;
  attr.name = name;
  attr.where = file.at(node);
  if (!is_lower_identifier(name) || is_reserved_word(name) || name == "struct_size") {
    file.error(node["name"],
               "attribute name '" + name + "' must match [a-z][a-z0-9_]* and not be a C keyword or struct_size");
    return;
  }
  if (!names.insert(name).second || names.count(name + "_count")) {
    file.error(node["name"], "attribute '" + name + "' clashes with another field of " + attrs_type(op.name));
    return;
  }
  std::string type_text = scalar_of(node["type"]);
  std::optional<AttrType> type = parse_attr_type(type_text);
  if (!type) {
    file.error(node["type"],
               "unknown attribute type '" + type_text + "' (expected int, float, bool, ints, floats, dtype or enum)");
    return;
  }
  attr.type = *type;
  if (attr.type == AttrType::kInts || attr.type == AttrType::kFloats) names.insert(name + "_count");
  if (node["doc"].IsDefined()) attr.doc = file.get_string(node["doc"], "doc").value_or("");

  bool has_values = node["values"].IsDefined();
  if (has_values != (attr.type == AttrType::kEnum)) {
    file.error(node, what + (has_values ? " has values but is not an enum" : " is an enum without values"));
    return;
  }
  if (has_values) {
    attr.enum_values = file.get_strings(node["values"], "values").value_or(std::vector<std::string>{});
    std::set<std::string> seen;
    for (const std::string& v : attr.enum_values) {
      if (!is_lower_identifier(v)) file.error(node["values"], "enum value '" + v + "' must match [a-z][a-z0-9_]*");
      if (!seen.insert(v).second) file.error(node["values"], "enum value '" + v + "' is listed twice");
    }
    if (attr.enum_values.empty()) file.error(node["values"], what + " has no values");
  }
  bool has_of = node["of"].IsDefined();
  if (has_of != (attr.type == AttrType::kDtype)) {
    file.error(node, what + (has_of ? " has `of` but is not a dtype" : " is a dtype without `of: <type variable>`"));
    return;
  }
  if (has_of) {
    attr.of = scalar_of(node["of"]);
    if (op.type_var_index(attr.of) < 0) file.error(node["of"], "unknown type variable '" + attr.of + "' in `of`");
  }

  bool required = node["required"].IsDefined() && file.get_bool(node["required"], "required").value_or(false);
  bool has_default = node["default"].IsDefined();
  if (required == has_default) {
    file.error(node, what + " needs exactly one of `default:` and `required: true`");
    return;
  }
  attr.required = required;
  if (has_default) {
    std::optional<AttrValue> value = read_attr_value(file, node["default"], attr, global, "default of " + what);
    if (value) attr.default_value = *value;
    int var = op.type_var_index(attr.of);
    if (value && attr.type == AttrType::kDtype && var >= 0) {
      const std::vector<std::string>& allowed = op.types[static_cast<size_t>(var)].dtypes;
      if (std::find(allowed.begin(), allowed.end(), value->name) == allowed.end()) {
        file.error(node["default"],
                   "default '" + value->name + "' of " + what + " is not a dtype of '" + attr.of + "'");
      }
    }
  }
  op.attrs.push_back(std::move(attr));
}

}  // namespace

std::optional<AttrValue> read_attr_value(const YamlFile& file, const YAML::Node& node, const AttrDef& attr,
                                         const GlobalSpec& global, const std::string& what) {
  AttrValue v;
  v.text = scalar_of(node);
  switch (attr.type) {
    case AttrType::kInt: {
      std::optional<int64_t> i = file.get_int(node, what);
      if (!i) return std::nullopt;
      v.i = *i;
      return v;
    }
    case AttrType::kFloat: {
      std::optional<double> f = file.get_number(node, what);
      if (!f) return std::nullopt;
      v.f = *f;
      return v;
    }
    case AttrType::kBool: {
      std::optional<bool> b = file.get_bool(node, what);
      if (!b) return std::nullopt;
      v.b = *b;
      v.i = *b ? 1 : 0;
      return v;
    }
    case AttrType::kInts: {
      std::optional<std::vector<int64_t>> ints = file.get_ints(node, what);
      if (!ints) return std::nullopt;
      v.ints = *ints;
      v.text = join_ints(v.ints);
      return v;
    }
    case AttrType::kFloats: {
      if (!file.expect_sequence(node, what)) return std::nullopt;
      v.text = "[";
      for (const YAML::Node& item : node) {
        std::optional<double> f = file.get_number(item, "every entry of " + what);
        if (!f) return std::nullopt;
        v.text += (v.floats.empty() ? "" : ", ") + scalar_of(item);
        v.floats.push_back(*f);
      }
      v.text += "]";
      return v;
    }
    case AttrType::kDtype:
      if (!global.find_dtype(v.text)) {
        file.error(node, what + " must be a dtype, not '" + v.text + "'");
        return std::nullopt;
      }
      v.name = v.text;
      return v;
    case AttrType::kEnum: {
      auto it = std::find(attr.enum_values.begin(), attr.enum_values.end(), v.text);
      if (it == attr.enum_values.end()) {
        std::string values;
        for (const std::string& e : attr.enum_values) values += (values.empty() ? "" : ", ") + e;
        file.error(node, what + " must be one of " + values + ", not '" + v.text + "'");
        return std::nullopt;
      }
      v.name = v.text;
      v.i = it - attr.enum_values.begin();
      return v;
    }
  }
  return std::nullopt;
}

void load_attributes(const YamlFile& file, const YAML::Node& list, const GlobalSpec& global, OpDef& op) {
  if (!file.expect_sequence(list, "attributes of '" + op.name + "'")) return;
  std::set<std::string> names;
  for (const YAML::Node& node : list) load_attribute(file, node, global, op, names);
}

}  // namespace keel::specgen
