#include "loader/discovery.h"

#include <dlfcn.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "common/env.h"
#include "loader/manifest.h"

namespace keel::loader {
namespace fs = std::filesystem;
namespace {

bool looks_like_plugin(const fs::path& path) {
  const std::string name = path.filename().string();
  return name.starts_with("libkeel_") && name.ends_with(".so");
}

// A file is a candidate as given; a directory contributes its libkeel_*.so files in name order.
void add_path(const std::string& path, const std::string& origin, std::vector<Candidate>& out) {
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (error || !fs::exists(status)) {
    out.push_back({path, origin, "no such file or directory"});
    return;
  }
  if (!fs::is_directory(status)) {
    out.push_back({path, origin, ""});
    return;
  }
  std::vector<std::string> found;
  for (const fs::directory_entry& entry : fs::directory_iterator(path, error)) {
    if (looks_like_plugin(entry.path())) {
      found.push_back(entry.path().string());
    }
  }
  if (error) {
    out.push_back({path, origin, "cannot read directory: " + error.message()});
    return;
  }
  std::sort(found.begin(), found.end());
  for (std::string& file : found) {
    out.push_back({std::move(file), origin, ""});
  }
}

std::vector<std::string> split_path_list(const std::string& list) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= list.size()) {
    size_t end = list.find(':', start);
    if (end == std::string::npos) {
      end = list.size();
    }
    if (end > start) {
      parts.push_back(list.substr(start, end - start));
    }
    start = end + 1;
  }
  return parts;
}

void add_manifests(const std::string& dir, std::vector<Candidate>& out) {
  std::error_code error;
  if (!fs::is_directory(dir, error)) {
    return;  // No manifest directory is a normal state (e.g. nothing installed), not an error.
  }
  std::vector<std::string> manifests;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, error)) {
    if (entry.path().extension() == ".json") {
      manifests.push_back(entry.path().string());
    }
  }
  std::sort(manifests.begin(), manifests.end());
  for (const std::string& manifest : manifests) {
    out.push_back(read_manifest(manifest));
  }
}

}  // namespace

std::string default_manifest_dir() {
  if (std::optional<std::string> dir = env::get("KEEL_MANIFEST_DIR")) {
    return *dir;
  }
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&default_manifest_dir), &info) == 0 || info.dli_fname == nullptr) {
    return "";
  }
  const fs::path library_dir = fs::path(info.dli_fname).parent_path();
  return (library_dir / KEEL_MANIFEST_DIR_FROM_LIBDIR).lexically_normal().string();
}

std::vector<Candidate> discover(const DiscoveryOptions& options) {
  std::vector<Candidate> candidates;
  for (const std::string& path : options.application_paths) {
    add_path(path, "application", candidates);
  }
  if (options.use_env_path) {
    if (std::optional<std::string> list = env::get("KEEL_PLUGIN_PATH")) {
      for (const std::string& path : split_path_list(*list)) {
        add_path(path, "KEEL_PLUGIN_PATH", candidates);
      }
    }
  }
  if (options.use_manifests) {
    add_manifests(options.manifest_dir.empty() ? default_manifest_dir() : options.manifest_dir, candidates);
  }
  return candidates;
}

}  // namespace keel::loader
