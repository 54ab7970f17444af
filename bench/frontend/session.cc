#include "session.h"

namespace keel::bench {

void configure_runtime() {
  RuntimeOptions options;
  options.plugin_paths = {KEEL_BENCH_PLUGIN_DIR};
  options.use_env_path = false;
  options.use_manifests = false;
  configure(options);
}

std::optional<Device> find_device(std::string_view name, std::string& why) {
  try {
    return device(name);
  } catch (const Error& e) {
    why = std::string(name) + " is not available in this build or on this machine (" + e.what() + ")";
    return std::nullopt;
  }
}

}  // namespace keel::bench
