// Finding plugin candidates: application paths, then KEEL_PLUGIN_PATH, then manifests. Nothing is loaded
// here; a candidate that is already known to be unusable carries the reason in `error`.
#pragma once

#include <string>
#include <vector>

namespace keel::loader {

struct Candidate {
  std::string path;   // library path as found
  std::string origin; // "application", "KEEL_PLUGIN_PATH" or "manifest <file>"
  std::string error;  // non-empty: rejected before loading (missing file, bad manifest, ...)
};

struct DiscoveryOptions {
  std::vector<std::string> application_paths; // files or directories
  bool use_env_path = true;
  bool use_manifests = true;
  std::string manifest_dir; // empty: default_manifest_dir()
};

std::vector<Candidate> discover(const DiscoveryOptions& options);

// KEEL_MANIFEST_DIR when set, else the plugins.d directory of the tree libkeel was loaded from.
std::string default_manifest_dir();

}  // namespace keel::loader
