#include "loader/manifest.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "keel/keel_types.h"

namespace keel::loader {
namespace fs = std::filesystem;
namespace {

// "1.0" → major 1; -1 when malformed.
int parse_major(const std::string& version) {
  const size_t dot = version.find('.');
  const std::string major = version.substr(0, dot);
  if (major.empty() || major.find_first_not_of("0123456789") != std::string::npos || major.size() > 4) {
    return -1;
  }
  return std::stoi(major);
}

std::string string_field(const nlohmann::json& json, const char* key, std::string* error) {
  auto it = json.find(key);
  if (it == json.end()) {
    *error = std::string("missing \"") + key + "\"";
    return "";
  }
  if (!it->is_string() || it->get_ref<const std::string&>().empty()) {
    *error = std::string("\"") + key + "\" must be a non-empty string";
    return "";
  }
  return it->get<std::string>();
}

}  // namespace

Candidate read_manifest(const std::string& manifest_path) {
  Candidate candidate{manifest_path, "manifest " + fs::path(manifest_path).filename().string(), ""};
  std::ifstream file(manifest_path);
  if (!file) {
    candidate.error = "cannot read manifest";
    return candidate;
  }
  std::stringstream text;
  text << file.rdbuf();
  const nlohmann::json json = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) {
    candidate.error = "manifest is not a JSON object";
    return candidate;
  }
  std::string error;
  Manifest manifest;
  manifest.name = string_field(json, "name", &error);
  if (error.empty()) {
    manifest.library = string_field(json, "library", &error);
  }
  if (!error.empty()) {
    candidate.error = "malformed manifest: " + error;
    return candidate;
  }
  if (auto it = json.find("abi_version"); it != json.end()) {
    if (!it->is_string()) {
      candidate.error = "malformed manifest: \"abi_version\" must be a string like \"1.0\"";
      return candidate;
    }
    manifest.abi_version = it->get<std::string>();
    const int major = parse_major(manifest.abi_version);
    if (major < 0) {
      candidate.error = "malformed manifest: \"abi_version\" must look like \"1.0\"";
      return candidate;
    }
    if (major != KEEL_ABI_VERSION_MAJOR) {
      candidate.error = "manifest declares ABI " + manifest.abi_version + ", this host implements major " +
                        std::to_string(KEEL_ABI_VERSION_MAJOR);
      return candidate;
    }
  }
  fs::path library(manifest.library);
  if (library.is_relative()) {
    library = fs::path(manifest_path).parent_path() / library;
  }
  candidate.path = library.lexically_normal().string();
  std::error_code exists_error;
  if (!fs::exists(candidate.path, exists_error)) {
    candidate.error = "manifest names a library that does not exist: " + candidate.path;
  }
  return candidate;
}

}  // namespace keel::loader
