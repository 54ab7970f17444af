#include "model/must_pass.h"

#include <array>
#include <cctype>
#include <cstdlib>
#include <sstream>

#include "model/catalog.h"
#include "model/embedded_files.h"
#include "model/sha256.h"
#include "spec/op_schema.h"

namespace keel::conform {
namespace {

constexpr std::string_view kTitlePrefix = "# Keel conformance must-pass list: ";

bool header_value(std::string_view line, std::string_view key, std::string* out) {
  const std::string prefix = "# " + std::string(key) + ": ";
  if (!line.starts_with(prefix)) return false;
  *out = std::string(line.substr(prefix.size()));
  return true;
}

MustPassList load_committed(Profile profile) {
  const std::string file = must_pass_file_name(profile);
  MustPassList empty;
  empty.profile = profile;
  empty.file = file;
  const std::optional<std::string_view> contents = embedded_file(file);
  if (!contents) return empty;
  std::string error;
  std::optional<MustPassList> list = parse_must_pass_list(profile, *contents, &error);
  return list ? *list : empty;
}

}  // namespace

std::string must_pass_file_name(Profile profile) {
  return std::string("profiles/") + profile_info(profile).slug + ".txt";
}

std::optional<MustPassList> parse_must_pass_list(Profile profile, std::string_view contents, std::string* error) {
  MustPassList list;
  list.profile = profile;
  list.file = must_pass_file_name(profile);
  list.contents = std::string(contents);
  list.sha256 = sha256_hex(contents);
  std::istringstream stream{std::string(contents)};
  std::string line;
  size_t number = 0;
  std::string value;
  std::optional<size_t> declared_count;
  bool titled = false;
  while (std::getline(stream, line)) {
    ++number;
    if (line.empty()) continue;
    if (line[0] != '#') {
      list.case_ids.push_back(line);
      continue;
    }
    if (line.starts_with(kTitlePrefix)) {
      titled = line.substr(kTitlePrefix.size()) == profile_name(profile);
      if (!titled) {
        *error = list.file + ":" + std::to_string(number) + ": the title names another profile";
        return std::nullopt;
      }
    } else if (header_value(line, "list-version", &value)) {
      list.version = std::atoi(value.c_str());
    } else if (header_value(line, "spec-version", &value)) {
      list.spec_version = value;
    } else if (header_value(line, "cases", &value)) {
      declared_count = static_cast<size_t>(std::strtoull(value.c_str(), nullptr, 10));
    }
  }
  if (!titled || list.version <= 0 || !declared_count) {
    *error = list.file + ": the header lacks the title, a positive list-version or the case count";
    return std::nullopt;
  }
  if (*declared_count != list.case_ids.size()) {
    *error = list.file + ": the header says " + std::to_string(*declared_count) + " cases, the file lists " +
             std::to_string(list.case_ids.size());
    return std::nullopt;
  }
  return list;
}

const MustPassList& committed_list(Profile profile) {
  static const std::array<MustPassList, std::size(kAllProfiles)> kLists = [] {
    std::array<MustPassList, std::size(kAllProfiles)> lists;
    for (Profile p : kAllProfiles) lists[static_cast<size_t>(p)] = load_committed(p);
    return lists;
  }();
  return kLists[static_cast<size_t>(profile)];
}

std::vector<std::string> catalog_must_pass_ids(Profile profile) {
  std::vector<std::string> ids;
  for (const CaseSpec& spec : all_cases()) {
    if (spec.must_pass && spec.profile == profile) ids.push_back(spec.id);
  }
  return ids;
}

std::string render_must_pass_list(Profile profile, const std::vector<std::string>& ids) {
  const MustPassList& committed = committed_list(profile);
  if (committed.version > 0 && committed.case_ids == ids) return committed.contents;
  std::string text = std::string(kTitlePrefix) + profile_name(profile) + "\n";
  std::string summary = profile_info(profile).summary;
  summary[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(summary[0])));
  text += "# " + summary + ".\n";
  text += "# Generated from the case catalog; regenerate with the keel_update_conformance_lists target.\n";
  text += "# list-version: " + std::to_string(committed.version + 1) + "\n";
  text += "# spec-version: " + std::string(spec::spec_version()) + "\n";
  text += "# cases: " + std::to_string(ids.size()) + "\n";
  for (const std::string& id : ids) text += id + "\n";
  return text;
}

ListDrift list_drift(Profile profile) {
  const std::vector<std::string> catalog = catalog_must_pass_ids(profile);
  const MustPassList& committed = committed_list(profile);
  const std::set<std::string> in_catalog(catalog.begin(), catalog.end());
  const std::set<std::string> in_list(committed.case_ids.begin(), committed.case_ids.end());
  ListDrift drift;
  for (const std::string& id : catalog) {
    if (!in_list.count(id)) drift.missing_from_list.push_back(id);
  }
  for (const std::string& id : committed.case_ids) {
    if (!in_catalog.count(id)) drift.stale_in_list.push_back(id);
  }
  drift.file_missing = committed.version == 0;
  drift.reordered = drift.missing_from_list.empty() && drift.stale_in_list.empty() && committed.case_ids != catalog;
  return drift;
}

}  // namespace keel::conform
