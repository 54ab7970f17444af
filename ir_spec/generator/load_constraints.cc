// Constraints and their negative examples.
#include <set>

#include "names.h"
#include "op_loader.h"
#include "spec_limits.h"

namespace keel::specgen {
namespace {

// The closed set of keel_status_code_e names (api/keel/keel_status.h) a violation may return.
const std::set<std::string>& status_codes() {
  static const std::set<std::string> codes = {
      "CANCELLED",          "INVALID_ARGUMENT",    "NOT_FOUND",    "ALREADY_EXISTS", "PERMISSION_DENIED",
      "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "OUT_OF_RANGE", "UNIMPLEMENTED",  "INTERNAL",
      "UNAVAILABLE",        "DEVICE_LOST",         "DATA_LOSS"};
  return codes;
}

// "f32[2,3]" → dtype f32, dims {2, 3}; "f32[]" is 0-D.
std::optional<ExampleTensor> parse_example_tensor(const YamlFile& file, const YAML::Node& node,
                                                  const GlobalSpec& global) {
  ExampleTensor t;
  t.text = scalar_of(node);
  const auto malformed = [&] {
    file.error(node, "example tensor '" + t.text + "' must be written dtype[d0,d1,...] with non-negative integer dims");
    return std::nullopt;
  };
  const size_t open = t.text.find('[');
  if (open == std::string::npos || t.text.back() != ']') return malformed();  // an empty text has no '['
  t.dtype = t.text.substr(0, open);
  if (!is_lower_identifier(t.dtype)) return malformed();
  if (!global.find_dtype(t.dtype)) {
    file.error(node, "example tensor '" + t.text + "' has unknown dtype '" + t.dtype + "'");
    return std::nullopt;
  }
  const std::string dims = t.text.substr(open + 1, t.text.size() - open - 2);
  if (dims.find_first_not_of(" ") != std::string::npos) {
    for (size_t start = 0; start <= dims.size();) {
      size_t comma = dims.find(',', start);
      if (comma == std::string::npos) comma = dims.size();
      std::string dim = dims.substr(start, comma - start);
      dim.erase(0, dim.find_first_not_of(' '));
      dim.erase(dim.find_last_not_of(' ') + 1);
      if (!is_digits(dim)) return malformed();
      std::optional<int64_t> d = parse_int(dim);
      if (!d) {
        file.error(node, "example tensor '" + t.text + "' has a dimension that does not fit in 64 bits");
        return std::nullopt;
      }
      t.dims.push_back(*d);
      start = comma + 1;
    }
  }
  if (t.dims.size() > kMaxRank) {
    file.error(node, "example tensor '" + t.text + "' has rank above " + std::to_string(kMaxRank));
    return std::nullopt;
  }
  return t;
}

std::optional<ExampleDef> load_example(const YamlFile& file, const YAML::Node& node, const GlobalSpec& global,
                                       const OpDef& op, const std::string& id) {
  const std::string what = "the example of " + id + " of '" + op.name + "'";
  if (!file.check_keys(node, what, {}, {"inputs", "attrs"})) return std::nullopt;
  ExampleDef ex;
  ex.where = file.at(node);
  bool ok = true;
  if (node["inputs"].IsDefined()) {
    if (!file.expect_sequence(node["inputs"], "example inputs")) return std::nullopt;
    for (const YAML::Node& item : node["inputs"]) {
      std::optional<ExampleTensor> t = parse_example_tensor(file, item, global);
      ok = ok && t.has_value();
      if (t) ex.inputs.push_back(std::move(*t));
    }
  }
  size_t declared = op.inputs.size();
  size_t given = node["inputs"].IsDefined() ? node["inputs"].size() : 0;
  bool count_ok = op.has_variadic_input() ? given >= declared : given == declared;
  if (!count_ok) {
    file.error(node, what + " has " + std::to_string(given) + " inputs; '" + op.name + "' takes " +
                         (op.has_variadic_input() ? "at least " : "") + std::to_string(declared));
    ok = false;
  }
  std::set<std::string> given_attrs;
  if (node["attrs"].IsDefined()) {
    if (!file.expect_map(node["attrs"], "example attrs")) return std::nullopt;
    for (const auto& entry : node["attrs"]) {
      std::string name = scalar_of(entry.first);
      const AttrDef* attr = op.find_attr(name);
      if (!attr) {
        file.error(entry.first, what + " sets unknown attribute '" + name + "'");
        ok = false;
        continue;
      }
      if (!given_attrs.insert(name).second) {
        file.error(entry.first, what + " sets attribute '" + name + "' twice");
        ok = false;
        continue;
      }
      std::optional<AttrValue> value =
          read_attr_value(file, entry.second, *attr, global, "attribute '" + name + "' in " + what);
      ok = ok && value.has_value();
      if (value) ex.attrs.push_back({name, std::move(*value)});
    }
  }
  for (const AttrDef& attr : op.attrs) {
    if (attr.required && !given_attrs.count(attr.name)) {
      file.error(node, what + " must set the required attribute '" + attr.name + "'");
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return ex;
}

}  // namespace

void load_constraints(const YamlFile& file, const YAML::Node& list, const GlobalSpec& global, OpDef& op) {
  if (!file.expect_sequence(list, "constraints of '" + op.name + "'")) return;
  for (const YAML::Node& node : list) {
    std::string expected_id = "C" + std::to_string(op.constraints.size() + 1);
    std::string id = scalar_of(node["id"]);
    std::string what = "constraint " + (id.empty() ? expected_id : id) + " of '" + op.name + "'";
    if (!file.check_keys(node, what, {"id", "check", "code", "text"}, {"example"})) continue;
    ConstraintDef c;
    c.where = file.at(node);
    c.id = id;
    if (id != expected_id)
      file.error(node["id"], "constraint id '" + id + "' must be '" + expected_id + "' (C1..Cn in order)");
    c.check_text = scalar_of(node["check"]);
    if (std::optional<Expr> e = read_expr(file, node["check"], "check of " + what)) c.check = *e;
    c.code = file.get_string(node["code"], "code").value_or("");
    if (!status_codes().count(c.code)) file.error(node["code"], "unknown status code '" + c.code + "'");
    c.text = file.get_string(node["text"], "text").value_or("");
    if (node["example"].IsDefined()) c.example = load_example(file, node["example"], global, op, c.id);
    op.constraints.push_back(std::move(c));
  }
}

}  // namespace keel::specgen
