// Turning `--plugin` and `--reference` arguments (a library path, or a plugin name found by the usual
// discovery: --plugin-path, KEEL_PLUGIN_PATH, manifests) into library paths. A name is looked up in a child
// process (`keel conform --worker-resolve`), since discovery loads plugins and the parent never does.
#pragma once

#include <string>
#include <vector>

#include "keel/keel.hpp"

namespace keel::conform {

struct ResolvedPlugins {
  std::string plugin;
  std::string reference;
};

// Throws std::runtime_error with the reason when either cannot be found.
ResolvedPlugins resolve_plugins(const std::string& self, const std::string& plugin, const std::string& reference,
                                const RuntimeOptions& discovery, const std::string& log_path);

// The child side: prints READY {"plugin": path, "reference": path} or FATAL on the result fd.
int run_resolver(const std::string& plugin, const std::string& reference, const RuntimeOptions& discovery);

// The arguments that reproduce `discovery` on a child's command line.
std::vector<std::string> discovery_arguments(const RuntimeOptions& discovery);

}  // namespace keel::conform
