// keel plugins: the loader report.
#include <cstdio>

#include "cli.h"

namespace keel::cli {

int run_plugins(const GlobalOptions& options) {
  Runtime runtime = Runtime::create(options.runtime);
  const std::vector<keel_loader_entry_t> report = runtime.loader_report();
  if (options.json) {
    nlohmann::json entries = nlohmann::json::array();
    for (const keel_loader_entry_t& entry : report) {
      entries.push_back({{"path", entry.path},
                         {"real_path", entry.real_path},
                         {"origin", entry.origin},
                         {"outcome", outcome_name(entry.outcome)},
                         {"reason", entry.reason},
                         {"plugin", entry.plugin_name},
                         {"version", entry.plugin_version},
                         {"abi_version", entry.plugin_abi_version ? version_text(entry.plugin_abi_version) : ""},
                         {"negotiated_abi_version",
                          entry.negotiated_abi_version ? version_text(entry.negotiated_abi_version) : ""},
                         {"probe_score", entry.probe_score},
                         {"load_time_ms", static_cast<double>(entry.load_time_ns) / 1e6}});
    }
    print_json({{"host_abi_version", version_text(keel_abi_version())}, {"candidates", entries}});
    return kExitOk;
  }
  if (report.empty()) {
    std::printf("No plugin candidates found. Searched: --plugin-path, KEEL_PLUGIN_PATH and the manifest directory.\n");
    return kExitOk;
  }
  Table table({"outcome", "plugin", "version", "abi", "probe", "load ms", "origin", "path"});
  for (const keel_loader_entry_t& entry : report) {
    char load_ms[32];
    std::snprintf(load_ms, sizeof(load_ms), "%.2f", static_cast<double>(entry.load_time_ns) / 1e6);
    table.add({outcome_name(entry.outcome), *entry.plugin_name ? entry.plugin_name : "-",
               *entry.plugin_version ? entry.plugin_version : "-",
               entry.plugin_abi_version ? version_text(entry.plugin_abi_version) : "-",
               entry.probe_score >= 0 ? std::to_string(entry.probe_score) : "-", load_ms, entry.origin, entry.path});
  }
  table.print();
  bool any_reason = false;
  for (const keel_loader_entry_t& entry : report) {
    if (entry.outcome != KEEL_LOADER_ACCEPTED) {
      if (!any_reason) std::printf("\nNot loaded:\n");
      any_reason = true;
      std::printf("  %s\n    %s: %s\n", entry.path, outcome_name(entry.outcome).c_str(), entry.reason);
    }
  }
  std::printf("\nHost ABI %s; %zu plugin(s) loaded of %zu candidate(s).\n", version_text(keel_abi_version()).c_str(),
              runtime.plugins().size(), report.size());
  return kExitOk;
}

}  // namespace keel::cli
