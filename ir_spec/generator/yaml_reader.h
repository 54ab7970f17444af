// Typed access to one YAML spec file. Every accessor reports a problem as `file:line: reason` through
// Diagnostics and returns nullopt instead of throwing, so the loaders can keep going and report them all.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diagnostics.h"

namespace keel::specgen {

class YamlFile {
 public:
  YamlFile(std::string path, Diagnostics& diag) : path_(std::move(path)), diag_(diag) {}

  // Parses the file; reports a read or syntax error and returns false on failure.
  bool load();
  const YAML::Node& root() const { return root_; }
  const std::string& path() const { return path_; }

  Location at(const YAML::Node& node) const;
  void error(const YAML::Node& node, std::string message) const;
  void error(const Location& where, std::string message) const { diag_.error(where, std::move(message)); }

  // True when `node` is a mapping with unique keys, each one of `required` or `optional`, and has every
  // key of `required`. `what` names the node in messages ("operator 'add'").
  bool check_keys(const YAML::Node& node, std::string_view what, std::initializer_list<std::string_view> required,
                  std::initializer_list<std::string_view> optional) const;

  // Scalars. `what` names the value in messages ("version of operator 'add'").
  std::optional<std::string> get_string(const YAML::Node& node, std::string_view what) const;
  std::optional<int64_t> get_int(const YAML::Node& node, std::string_view what) const;
  std::optional<double> get_number(const YAML::Node& node, std::string_view what) const;
  std::optional<bool> get_bool(const YAML::Node& node, std::string_view what) const;
  // Sequences of scalars.
  std::optional<std::vector<int64_t>> get_ints(const YAML::Node& node, std::string_view what) const;
  std::optional<std::vector<std::string>> get_strings(const YAML::Node& node, std::string_view what) const;
  // A sequence (a flow `[...]` or block list); reports anything else.
  bool expect_sequence(const YAML::Node& node, std::string_view what) const;
  bool expect_map(const YAML::Node& node, std::string_view what) const;

 private:
  std::string path_;
  Diagnostics& diag_;
  YAML::Node root_;
};

// The scalar spelling of a node, or "" when it is not a scalar. Never throws.
std::string scalar_of(const YAML::Node& node);

// Parses a whole string as a number; nullopt when anything is left over.
std::optional<int64_t> parse_int(std::string_view text);
std::optional<double> parse_double(std::string_view text);

}  // namespace keel::specgen
