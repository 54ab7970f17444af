#include "load_global.h"

#include <algorithm>
#include <set>

#include "names.h"
#include "yaml_reader.h"

namespace keel::specgen {
namespace {

std::optional<RuleArg> parse_arg_kind(const std::string& text) {
  if (text == "tensor") return RuleArg{ArgKind::kTensor, std::nullopt};
  if (text == "tensors") return RuleArg{ArgKind::kTensors, std::nullopt};
  if (text == "attr") return RuleArg{ArgKind::kAttr, std::nullopt};
  if (text == "int") return RuleArg{ArgKind::kInt, std::nullopt};
  const std::string prefix = "attr:";
  if (text.rfind(prefix, 0) != 0) return std::nullopt;
  const std::string type = text.substr(prefix.size());
  std::optional<AttrType> t = type == "int"      ? std::optional(AttrType::kInt)
                              : type == "float"  ? std::optional(AttrType::kFloat)
                              : type == "bool"   ? std::optional(AttrType::kBool)
                              : type == "ints"   ? std::optional(AttrType::kInts)
                              : type == "floats" ? std::optional(AttrType::kFloats)
                              : type == "dtype"  ? std::optional(AttrType::kDtype)
                              : type == "enum"   ? std::optional(AttrType::kEnum)
                                                 : std::nullopt;
  if (!t) return std::nullopt;
  return RuleArg{ArgKind::kAttr, t};
}

// `name` must be a fresh identifier within one namespace of spec.yaml.
bool check_new_name(const YamlFile& file, const YAML::Node& node, const std::string& name, std::string_view what,
                    std::set<std::string>& seen) {
  if (!is_identifier(name)) {
    file.error(node, std::string(what) + " name '" + name + "' is not an identifier");
    return false;
  }
  if (!seen.insert(name).second) {
    file.error(node, "duplicate " + std::string(what) + " '" + name + "'");
    return false;
  }
  return true;
}

void load_dtypes(const YamlFile& file, const YAML::Node& list, GlobalSpec& out) {
  if (!file.expect_sequence(list, "dtypes")) return;
  std::set<std::string> names;
  for (const YAML::Node& node : list) {
    if (!file.check_keys(node, "a dtype", {"name", "c", "bytes", "profile"}, {})) continue;
    DtypeDef d;
    d.where = file.at(node);
    d.name = file.get_string(node["name"], "dtype name").value_or("");
    d.c_name = file.get_string(node["c"], "dtype c").value_or("");
    d.bytes = static_cast<int>(file.get_int(node["bytes"], "dtype bytes").value_or(0));
    d.profile = file.get_string(node["profile"], "dtype profile").value_or("");
    if (!is_lower_identifier(d.name)) {
      file.error(node["name"], "dtype name '" + d.name + "' must match [a-z][a-z0-9_]*");
    } else if (!names.insert(d.name).second) {
      file.error(node["name"], "duplicate dtype '" + d.name + "'");
    }
    if (!is_dtype_constant(d.c_name)) {
      file.error(node["c"], "dtype c name '" + d.c_name + "' must be a KEEL_DTYPE_* constant");
    }
    if (d.bytes != 1 && d.bytes != 2 && d.bytes != 4 && d.bytes != 8) {
      file.error(node["bytes"], "dtype bytes must be 1, 2, 4 or 8");
    }
    out.dtypes.push_back(std::move(d));
  }
}

void load_profiles(const YamlFile& file, const YAML::Node& list, GlobalSpec& out) {
  if (!file.expect_sequence(list, "profiles")) return;
  std::set<std::string> names;
  for (const YAML::Node& node : list) {
    if (!file.check_keys(node, "a profile", {"name", "doc"}, {})) continue;
    ProfileDef p;
    p.name = file.get_string(node["name"], "profile name").value_or("");
    p.doc = file.get_string(node["doc"], "profile doc").value_or("");
    check_new_name(file, node["name"], p.name, "profile", names);
    out.profiles.push_back(std::move(p));
  }
}

void load_type_sets(const YamlFile& file, const YAML::Node& map, GlobalSpec& out) {
  if (!file.expect_map(map, "type_sets")) return;
  std::set<std::string> names;
  for (const auto& entry : map) {
    TypeSetDef set;
    set.name = scalar_of(entry.first);
    set.where = file.at(entry.first);
    if (!check_new_name(file, entry.first, set.name, "type set", names)) continue;
    set.dtypes = file.get_strings(entry.second, "type set '" + set.name + "'").value_or(std::vector<std::string>{});
    std::set<std::string> members;
    for (const std::string& dtype : set.dtypes) {
      if (!out.find_dtype(dtype))
        file.error(entry.second, "type set '" + set.name + "' names unknown dtype '" + dtype + "'");
      if (!members.insert(dtype).second)
        file.error(entry.second, "type set '" + set.name + "' lists '" + dtype + "' twice");
    }
    if (set.dtypes.empty()) file.error(entry.second, "type set '" + set.name + "' is empty");
    if (out.find_dtype(set.name)) file.error(entry.first, "type set '" + set.name + "' has the name of a dtype");
    out.type_sets.push_back(std::move(set));
  }
}

void load_rules(const YamlFile& file, const YAML::Node& map, std::string_view what, std::vector<RuleDef>& out) {
  if (!file.expect_map(map, what)) return;
  std::set<std::string> names;
  for (const auto& entry : map) {
    RuleDef rule;
    rule.name = scalar_of(entry.first);
    if (!check_new_name(file, entry.first, rule.name, what, names)) continue;
    const YAML::Node& body = entry.second;
    if (!file.check_keys(body, std::string(what) + " '" + rule.name + "'", {"args", "doc"}, {})) continue;
    rule.doc = file.get_string(body["doc"], "doc").value_or("");
    for (const std::string& kind : file.get_strings(body["args"], "args").value_or(std::vector<std::string>{})) {
      std::optional<RuleArg> k = parse_arg_kind(kind);
      if (!k) {
        file.error(body["args"],
                   "unknown argument kind '" + kind +
                       "' (expected tensor, tensors, attr, attr:<int|float|bool|ints|floats|dtype|enum> or int)");
        continue;
      }
      rule.args.push_back(*k);
    }
    // A `tensors` argument takes whatever the other arguments leave, so there can be only one.
    if (std::count_if(rule.args.begin(), rule.args.end(),
                      [](const RuleArg& a) { return a.kind == ArgKind::kTensors; }) > 1) {
      file.error(body["args"], std::string(what) + " '" + rule.name + "' has more than one tensors argument");
    }
    out.push_back(std::move(rule));
  }
}

void load_helpers(const YamlFile& file, const YAML::Node& map, GlobalSpec& out) {
  if (!file.expect_map(map, "gradient_helpers")) return;
  std::set<std::string> names;
  for (const auto& entry : map) {
    HelperDef helper;
    helper.name = scalar_of(entry.first);
    if (!check_new_name(file, entry.first, helper.name, "gradient helper", names)) continue;
    const YAML::Node& body = entry.second;
    if (!file.check_keys(body, "gradient helper '" + helper.name + "'", {"args", "doc"}, {"lowering"})) continue;
    helper.doc = file.get_string(body["doc"], "doc").value_or("");
    if (body["lowering"].IsDefined()) helper.lowering = file.get_bool(body["lowering"], "lowering").value_or(false);
    std::optional<int64_t> arity = file.get_int(body["args"], "args of gradient helper '" + helper.name + "'");
    if (arity && (*arity < 0 || *arity > 16)) file.error(body["args"], "args must be between 0 and 16");
    helper.arity = static_cast<int>(arity.value_or(0));
    out.helpers.push_back(std::move(helper));
  }
}

}  // namespace

bool load_global_spec(const std::string& path, Diagnostics& diag, GlobalSpec& out) {
  size_t errors_before = diag.error_count();
  YamlFile file(path, diag);
  if (!file.load()) return false;
  out.file = path;
  const YAML::Node& root = file.root();
  if (!file.check_keys(root, "spec.yaml",
                       {"spec_version", "domain", "dtypes", "profiles", "type_sets", "predicates", "shape_rules",
                        "gradient_helpers"},
                       {"count_rules", "data_domains"})) {
    return false;
  }
  out.spec_version = file.get_string(root["spec_version"], "spec_version").value_or("");
  if (!is_semantic_version(out.spec_version)) {
    file.error(root["spec_version"], "spec_version must be MAJOR.MINOR.PATCH, not '" + out.spec_version + "'");
  }
  out.domain = file.get_string(root["domain"], "domain").value_or("");
  if (!is_lower_identifier(out.domain)) file.error(root["domain"], "domain must match [a-z][a-z0-9_]*");

  load_dtypes(file, root["dtypes"], out);
  load_profiles(file, root["profiles"], out);
  for (const DtypeDef& d : out.dtypes) {
    bool known = false;
    for (const ProfileDef& p : out.profiles) known = known || p.name == d.profile;
    if (!known) diag.error(d.where, "dtype '" + d.name + "' names unknown profile '" + d.profile + "'");
  }
  load_type_sets(file, root["type_sets"], out);
  load_rules(file, root["predicates"], "predicate", out.predicates);
  load_rules(file, root["shape_rules"], "shape rule", out.shape_rules);
  if (root["count_rules"].IsDefined()) load_rules(file, root["count_rules"], "count rule", out.count_rules);
  if (root["data_domains"].IsDefined()) load_rules(file, root["data_domains"], "data domain", out.data_domains);
  if (!out.data_domains.empty() && !out.find_data_domain("any")) {
    file.error(root["data_domains"], "data_domains must define 'any', the domain of inputs a sample leaves unset");
  }
  load_helpers(file, root["gradient_helpers"], out);
  return diag.error_count() == errors_before;
}

}  // namespace keel::specgen
