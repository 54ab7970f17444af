#include "yaml_reader.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <set>

namespace keel::specgen {

std::string scalar_of(const YAML::Node& node) {
  return node.IsDefined() && node.IsScalar() ? node.Scalar() : std::string();
}

std::optional<int64_t> parse_int(std::string_view text) {
  int64_t value = 0;
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<double> parse_double(std::string_view text) {
  double value = 0;
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

bool YamlFile::load() {
  std::ifstream in(path_);
  if (!in) {
    diag_.error({path_, 0}, "cannot read the file");
    return false;
  }
  try {
    root_ = YAML::Load(in);
  } catch (const YAML::Exception& e) {
    diag_.error({path_, e.mark.line + 1}, "YAML syntax error: " + e.msg);
    return false;
  }
  return true;
}

Location YamlFile::at(const YAML::Node& node) const {
  // A missing key yields an invalid node, whose Mark() would throw.
  if (!node.IsDefined()) return {path_, 0};
  YAML::Mark mark = node.Mark();
  return {path_, mark.is_null() ? 0 : mark.line + 1};
}

void YamlFile::error(const YAML::Node& node, std::string message) const { diag_.error(at(node), std::move(message)); }

bool YamlFile::expect_sequence(const YAML::Node& node, std::string_view what) const {
  if (node.IsDefined() && node.IsSequence()) return true;
  error(node, std::string(what) + " must be a list");
  return false;
}

bool YamlFile::expect_map(const YAML::Node& node, std::string_view what) const {
  if (node.IsDefined() && node.IsMap()) return true;
  error(node, std::string(what) + " must be a mapping");
  return false;
}

namespace {

// In a flow mapping, `{shape: broadcast(a, b)}` is read as `shape: "broadcast(a"` plus a key `b)` without a
// value. Point the author at the quotes when an unknown key looks like such a fragment.
std::string split_value_hint(const std::string& key, const YAML::Node& value) {
  bool fragment = key.find_first_of(")]") != std::string::npos && key.find_first_of("([") == std::string::npos;
  if (!fragment || !value.IsNull()) return "";
  return " (a value holding ', ' inside {...} must be quoted, e.g. shape: \"broadcast(a, b)\")";
}

}  // namespace

bool YamlFile::check_keys(const YAML::Node& node, std::string_view what,
                          std::initializer_list<std::string_view> required,
                          std::initializer_list<std::string_view> optional) const {
  if (!expect_map(node, what)) return false;
  bool ok = true;
  std::set<std::string> seen;
  for (const auto& entry : node) {
    std::string key = scalar_of(entry.first);
    bool known = std::find(required.begin(), required.end(), key) != required.end() ||
                 std::find(optional.begin(), optional.end(), key) != optional.end();
    if (!known) {
      error(entry.first, "unknown key '" + key + "' in " + std::string(what) + split_value_hint(key, entry.second));
      ok = false;
    } else if (!seen.insert(key).second) {
      error(entry.first, "duplicate key '" + key + "' in " + std::string(what));
      ok = false;
    }
  }
  for (std::string_view key : required) {
    if (!seen.count(std::string(key))) {
      error(node, std::string(what) + " is missing the required key '" + std::string(key) + "'");
      ok = false;
    }
  }
  return ok;
}

std::optional<std::string> YamlFile::get_string(const YAML::Node& node, std::string_view what) const {
  if (!node.IsDefined() || !node.IsScalar()) {
    error(node, std::string(what) + " must be a string");
    return std::nullopt;
  }
  return node.Scalar();
}

std::optional<int64_t> YamlFile::get_int(const YAML::Node& node, std::string_view what) const {
  std::optional<int64_t> value = parse_int(scalar_of(node));
  if (!value) error(node, std::string(what) + " must be an integer, not '" + scalar_of(node) + "'");
  return value;
}

std::optional<double> YamlFile::get_number(const YAML::Node& node, std::string_view what) const {
  std::optional<double> value = parse_double(scalar_of(node));
  if (!value) error(node, std::string(what) + " must be a finite number, not '" + scalar_of(node) + "'");
  return value;
}

std::optional<bool> YamlFile::get_bool(const YAML::Node& node, std::string_view what) const {
  std::string text = scalar_of(node);
  if (text == "true") return true;
  if (text == "false") return false;
  error(node, std::string(what) + " must be true or false, not '" + text + "'");
  return std::nullopt;
}

std::optional<std::vector<int64_t>> YamlFile::get_ints(const YAML::Node& node, std::string_view what) const {
  if (!expect_sequence(node, what)) return std::nullopt;
  std::vector<int64_t> values;
  for (const YAML::Node& item : node) {
    std::optional<int64_t> v = get_int(item, "every entry of " + std::string(what));
    if (!v) return std::nullopt;
    values.push_back(*v);
  }
  return values;
}

std::optional<std::vector<std::string>> YamlFile::get_strings(const YAML::Node& node, std::string_view what) const {
  if (!expect_sequence(node, what)) return std::nullopt;
  std::vector<std::string> values;
  for (const YAML::Node& item : node) {
    std::optional<std::string> v = get_string(item, "every entry of " + std::string(what));
    if (!v) return std::nullopt;
    values.push_back(*v);
  }
  return values;
}

}  // namespace keel::specgen
