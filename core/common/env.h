// The documented KEEL_* environment variables, read in one place.
//
//   KEEL_PLUGIN_PATH   colon-separated plugin files or directories, searched after application paths
//   KEEL_MANIFEST_DIR  overrides the manifest directory (<prefix>/share/keel/plugins.d)
//   KEEL_VERBOSE       1: print loader decisions and, for every op, which kernel ran and why others were skipped
//   KEEL_LOG_LEVEL     error | warning (default) | info | debug
#pragma once

#include <optional>
#include <string>

namespace keel::env {

// The variable's value, or nullopt when unset or empty.
std::optional<std::string> get(const char* name);

// True for "1", "true", "yes", "on" (any case).
bool flag(const char* name);

}  // namespace keel::env
