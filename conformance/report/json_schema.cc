#include "report/json_schema.h"

#include <cmath>
#include <map>
#include <regex>

namespace keel::conform {
namespace {

class Validator {
 public:
  Validator(const nlohmann::json& root, size_t limit) : root_(root), limit_(limit) {}

  void check(const nlohmann::json& schema, const nlohmann::json& value, const std::string& where) {
    if (errors_.size() >= limit_ || !schema.is_object()) return;
    if (schema.contains("$ref")) {
      check(resolve(schema["$ref"].get<std::string>(), where), value, where);
      return;
    }
    if (schema.contains("type") && !type_matches(schema["type"], value)) {
      add(where, "is " + std::string(value.type_name()) + ", expected " + schema["type"].dump());
      return;
    }
    if (schema.contains("const") && value != schema["const"]) add(where, "must be " + schema["const"].dump());
    if (schema.contains("enum")) {
      bool found = false;
      for (const nlohmann::json& option : schema["enum"]) found = found || option == value;
      if (!found) add(where, value.dump() + " is not one of " + schema["enum"].dump());
    }
    if (value.is_number()) check_number(schema, value.get<double>(), where);
    if (value.is_string()) check_string(schema, value.get<std::string>(), where);
    if (value.is_array()) check_array(schema, value, where);
    if (value.is_object()) check_object(schema, value, where);
  }

  std::vector<std::string> errors() const { return errors_; }

 private:
  void add(const std::string& where, const std::string& what) {
    if (errors_.size() < limit_) errors_.push_back((where.empty() ? "/" : where) + ": " + what);
  }

  const nlohmann::json& resolve(const std::string& reference, const std::string& where) {
    static const nlohmann::json kNothing = nlohmann::json::object();
    const std::string prefix = "#/$defs/";
    if (reference.rfind(prefix, 0) != 0 || !root_.contains("$defs") ||
        !root_["$defs"].contains(reference.substr(prefix.size()))) {
      add(where, "the schema's $ref " + reference + " cannot be resolved");
      return kNothing;
    }
    return root_["$defs"][reference.substr(prefix.size())];
  }

  static bool one_type_matches(const std::string& type, const nlohmann::json& value) {
    if (type == "object") return value.is_object();
    if (type == "array") return value.is_array();
    if (type == "string") return value.is_string();
    if (type == "boolean") return value.is_boolean();
    if (type == "null") return value.is_null();
    if (type == "number") return value.is_number();
    if (type == "integer") {
      return value.is_number_integer() || (value.is_number_float() && std::trunc(value.get<double>()) == value.get<double>());
    }
    return false;
  }

  static bool type_matches(const nlohmann::json& type, const nlohmann::json& value) {
    if (type.is_string()) return one_type_matches(type.get<std::string>(), value);
    for (const nlohmann::json& option : type) {
      if (option.is_string() && one_type_matches(option.get<std::string>(), value)) return true;
    }
    return false;
  }

  void check_number(const nlohmann::json& schema, double number, const std::string& where) {
    if (schema.contains("minimum") && number < schema["minimum"].get<double>()) {
      add(where, std::to_string(number) + " is below the minimum " + schema["minimum"].dump());
    }
    if (schema.contains("maximum") && number > schema["maximum"].get<double>()) {
      add(where, std::to_string(number) + " is above the maximum " + schema["maximum"].dump());
    }
  }

  void check_string(const nlohmann::json& schema, const std::string& text, const std::string& where) {
    if (schema.contains("minLength") && text.size() < schema["minLength"].get<size_t>()) {
      add(where, "is shorter than " + schema["minLength"].dump() + " characters");
    }
    if (schema.contains("pattern") && !std::regex_search(text, compiled(schema["pattern"].get<std::string>()))) {
      add(where, "\"" + text + "\" does not match " + schema["pattern"].get<std::string>());
    }
  }

  void check_array(const nlohmann::json& schema, const nlohmann::json& array, const std::string& where) {
    if (schema.contains("minItems") && array.size() < schema["minItems"].get<size_t>()) {
      add(where, "has fewer than " + schema["minItems"].dump() + " items");
    }
    if (!schema.contains("items")) return;
    for (size_t i = 0; i < array.size(); ++i) check(schema["items"], array[i], where + "/" + std::to_string(i));
  }

  void check_object(const nlohmann::json& schema, const nlohmann::json& object, const std::string& where) {
    if (schema.contains("required")) {
      for (const nlohmann::json& key : schema["required"]) {
        if (!object.contains(key.get<std::string>())) add(where, "lacks the required member \"" + key.get<std::string>() + "\"");
      }
    }
    const nlohmann::json properties = schema.value("properties", nlohmann::json::object());
    for (const auto& [key, member] : object.items()) {
      const std::string path = where + "/" + key;
      if (properties.contains(key)) {
        check(properties[key], member, path);
      } else if (schema.contains("additionalProperties")) {
        const nlohmann::json& extra = schema["additionalProperties"];
        if (extra.is_boolean() && !extra.get<bool>()) {
          add(path, "is not allowed here");
        } else if (extra.is_object()) {
          check(extra, member, path);
        }
      }
    }
  }

  const std::regex& compiled(const std::string& pattern) {
    auto found = patterns_.find(pattern);
    if (found == patterns_.end()) found = patterns_.emplace(pattern, std::regex(pattern)).first;
    return found->second;
  }

  const nlohmann::json& root_;
  size_t limit_;
  std::map<std::string, std::regex> patterns_;
  std::vector<std::string> errors_;
};

}  // namespace

std::vector<std::string> validate_json_schema(const nlohmann::json& schema, const nlohmann::json& instance,
                                              size_t limit) {
  Validator validator(schema, limit);
  validator.check(schema, instance, "");
  return validator.errors();
}

}  // namespace keel::conform
