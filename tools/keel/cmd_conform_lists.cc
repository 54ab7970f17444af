// keel conform --list / --write-lists / --check-lists: the case catalog and the must-pass lists; and
// --list-plugins: the plugins discovery finds, one name a line (what tools/setup.sh certifies).
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "cmd_conform.h"
#include "model/catalog.h"
#include "model/must_pass.h"

namespace keel::cli {
namespace {

std::optional<std::vector<conform::Profile>> profiles_named(const std::vector<std::string>& names) {
  std::vector<conform::Profile> profiles;
  for (const std::string& name : names) {
    const std::optional<conform::Profile> profile = conform::parse_profile(name);
    if (!profile) return std::nullopt;
    profiles.push_back(*profile);
  }
  if (profiles.empty()) profiles.assign(std::begin(conform::kAllProfiles), std::end(conform::kAllProfiles));
  return profiles;
}

}  // namespace

int run_conform_list(const std::vector<std::string>& names, bool quick) {
  const std::optional<std::vector<conform::Profile>> profiles = profiles_named(names);
  if (!profiles) {
    std::fprintf(stderr, "keel conform: unknown profile\n");
    return kExitUsage;
  }
  for (const conform::CaseSpec& spec : conform::all_cases()) {
    if (std::find(profiles->begin(), profiles->end(), spec.profile) == profiles->end()) continue;
    if (quick && !spec.quick) continue;
    std::printf("%s\t%s\t%s\t%s\n", spec.id.c_str(), conform::profile_name(spec.profile),
                conform::layer_name(spec.layer), spec.must_pass ? "must-pass" : "informational");
  }
  return kExitOk;
}

int run_conform_write_lists(const std::string& directory) {
  for (conform::Profile profile : conform::kAllProfiles) {
    const std::filesystem::path path =
        std::filesystem::path(directory) / std::filesystem::path(conform::must_pass_file_name(profile)).filename();
    const std::string text = conform::render_must_pass_list(profile, conform::catalog_must_pass_ids(profile));
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file << text;
    if (!file) {
      std::fprintf(stderr, "keel conform: cannot write %s\n", path.c_str());
      return kExitFailure;
    }
    std::printf("%s: %s\n", path.c_str(),
                text == conform::committed_list(profile).contents ? "unchanged" : "written (new list version)");
  }
  return kExitOk;
}

int run_conform_check_lists() {
  int stale = 0;
  for (conform::Profile profile : conform::kAllProfiles) {
    const conform::ListDrift drift = conform::list_drift(profile);
    if (drift.empty()) continue;
    ++stale;
    std::printf("%s is stale:%s %zu case(s) missing from it, %zu no longer generated%s\n",
                conform::must_pass_file_name(profile).c_str(), drift.file_missing ? " (not committed)" : "",
                drift.missing_from_list.size(), drift.stale_in_list.size(), drift.reordered ? ", order changed" : "");
    for (size_t i = 0; i < drift.missing_from_list.size() && i < 5; ++i) {
      std::printf("  + %s\n", drift.missing_from_list[i].c_str());
    }
    for (size_t i = 0; i < drift.stale_in_list.size() && i < 5; ++i) std::printf("  - %s\n", drift.stale_in_list[i].c_str());
  }
  if (stale > 0) {
    std::printf("Regenerate with: cmake --build <build> --target keel_update_conformance_lists\n");
    return kExitFailure;
  }
  std::printf("Every must-pass list matches the case catalog.\n");
  return kExitOk;
}

int run_conform_list_plugins(const GlobalOptions& options) {
  const Runtime runtime = Runtime::create(options.runtime);
  for (keel_plugin_t* plugin : runtime.plugins()) std::printf("%s\n", plugin_info(plugin).name);
  return kExitOk;
}

}  // namespace keel::cli
