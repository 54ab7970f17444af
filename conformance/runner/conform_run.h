// The parent side of `keel conform`: resolve the plugin, ask a worker what it is, pick the profiles and
// cases, run them in workers, stream results to results.jsonl, then write report.json (the certificate)
// and report.md and print the summary. The plugin under test only ever runs in child processes.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "keel/keel.hpp"

namespace keel::conform {

struct ConformOptions {
  std::string plugin;                  // a library path or a plugin name
  std::string reference = "reference"; // the oracle: a library path or a plugin name
  std::vector<std::string> profiles;   // profile names; empty: every profile the plugin claims
  std::string filter;                  // ECMAScript regex over case ids; "" for all
  std::string out_dir;                 // "" for ./keel-conform-<plugin>
  int jobs = 2;
  bool quick = false;
  double case_timeout_s = 60;
  std::string waivers;                 // a waiver file, or ""
  size_t device_index = 0;
  bool progress = true;
  RuntimeOptions discovery;            // how names are looked up
  std::string command_line;            // recorded in the certificate
};

// Exit codes: 0 every requested profile passed; 1 a profile failed (or the plugin could not be tested);
// 2 bad arguments.
int run_conformance(const ConformOptions& options);

}  // namespace keel::conform
