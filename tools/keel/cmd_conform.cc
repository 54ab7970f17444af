// keel conform: run the conformance suite against one plugin and write its certificate, or verify one.
//
//   keel conform --plugin <path|name> [--profile P]... [--filter REGEX] [--out DIR] [--jobs N] [--quick]
//                [--reference <path|name>] [--device N] [--case-timeout SECONDS] [--waivers FILE] [--no-progress]
//   keel conform --verify report.json
//   keel conform --list [--profile P]... [--quick]     the case ids
//   keel conform --write-lists DIR                      regenerate the must-pass lists into DIR
//   keel conform --check-lists                          exit 1 when a committed must-pass list is stale
//   keel conform --list-plugins                         the plugins discovery finds, one name a line
// Internal (how the suite starts its child processes): --worker, --worker-resolve.
#include "cmd_conform.h"

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "runner/conform_run.h"
#include "runner/plugin_resolution.h"
#include "runner/worker_main.h"

namespace keel::cli {
namespace {

constexpr const char* kUsage =
    "usage: keel conform --plugin <path|name> [options]      run the suite, write a certificate\n"
    "       keel conform --verify <report.json>               check a certificate\n"
    "       keel conform --list [--profile P]... [--quick]     list the case ids\n"
    "       keel conform --write-lists <dir> | --check-lists   regenerate / check the must-pass lists\n"
    "       keel conform --list-plugins                       the plugins discovery finds\n"
    "\n"
    "options:\n"
    "  --profile P            Base, Core-Inference, Core-Training, FP16, BF16 or FP64; repeatable\n"
    "                         (default: every profile the plugin claims)\n"
    "  --filter REGEX         only cases whose id matches (a partial run: no certificate of conformance)\n"
    "  --quick                the fixed quick subset (docs/conformance.md)\n"
    "  --out DIR              where results.jsonl, report.json and report.md go (default ./keel-conform-<plugin>)\n"
    "  --jobs N               worker processes in parallel (default 2)\n"
    "  --reference <path|name>  the oracle (default: the plugin called reference)\n"
    "  --device N             which device of the plugin (default 0)\n"
    "  --case-timeout S       seconds a case may run before its worker is killed (default 60)\n"
    "  --waivers FILE         known failures of this plugin, with reasons (docs/conformance.md)\n"
    "  --no-progress          no progress lines on stderr\n"
    "  --plugin-path, --no-env, --no-manifests, --manifest-dir   as for every keel command\n"
    "\n"
    "exit status: 0 every requested profile passed (or the certificate verifies), 1 otherwise, 2 usage error\n";

struct Arguments {
  conform::ConformOptions run;
  std::optional<std::string> verify, write_lists;
  bool list = false, check_lists = false, list_plugins = false, worker = false, resolve = false;
};

int usage_error(const std::string& message) {
  std::fprintf(stderr, "keel conform: %s\n\n%s", message.c_str(), kUsage);
  return kExitUsage;
}

std::optional<int> parse_number(const std::string& text) {
  char* end = nullptr;
  const long value = std::strtol(text.c_str(), &end, 10);
  if (end == text.c_str() || *end != '\0' || value < 0 || value > 1'000'000) return std::nullopt;
  return static_cast<int>(value);
}

// Returns an exit code when parsing ends the command (help or an error).
std::optional<int> parse(int argc, char** args, Arguments* out) {
  conform::ConformOptions& run = out->run;
  for (int i = 0; i < argc; ++i) {
    const std::string arg = args[i];
    std::string value;
    const auto take = [&]() -> bool {
      if (i + 1 >= argc) return false;
      value = args[++i];
      return true;
    };
    const auto number = [&](int* target) -> bool {
      if (!take()) return false;
      const std::optional<int> parsed = parse_number(value);
      if (!parsed) return false;
      *target = *parsed;
      return true;
    };
    bool ok = true;
    int integer = 0;
    if (arg == "-h" || arg == "--help") {
      std::printf("%s", kUsage);
      return kExitOk;
    } else if (arg == "--plugin") {
      ok = take() && (run.plugin = value, true);
    } else if (arg == "--reference") {
      ok = take() && (run.reference = value, true);
    } else if (arg == "--profile") {
      ok = take() && (run.profiles.push_back(value), true);
    } else if (arg == "--filter") {
      ok = take() && (run.filter = value, true);
    } else if (arg == "--out") {
      ok = take() && (run.out_dir = value, true);
    } else if (arg == "--jobs") {
      ok = number(&run.jobs) && run.jobs >= 1;
    } else if (arg == "--device") {
      ok = number(&integer) && (run.device_index = static_cast<size_t>(integer), true);
    } else if (arg == "--case-timeout") {
      ok = number(&integer) && integer >= 1 && (run.case_timeout_s = integer, true);
    } else if (arg == "--waivers") {
      ok = take() && (run.waivers = value, true);
    } else if (arg == "--quick") {
      run.quick = true;
    } else if (arg == "--no-progress") {
      run.progress = false;
    } else if (arg == "--verify") {
      ok = take() && (out->verify = value, true);
    } else if (arg == "--list") {
      out->list = true;
    } else if (arg == "--write-lists") {
      ok = take() && (out->write_lists = value, true);
    } else if (arg == "--check-lists") {
      out->check_lists = true;
    } else if (arg == "--list-plugins") {
      out->list_plugins = true;
    } else if (arg == "--worker") {
      out->worker = true;
    } else if (arg == "--worker-resolve") {
      out->resolve = true;
    } else if (arg == "--plugin-path") {
      ok = take() && (run.discovery.plugin_paths.push_back(value), true);
    } else if (arg == "--no-env") {
      run.discovery.use_env_path = false;
    } else if (arg == "--no-manifests") {
      run.discovery.use_manifests = false;
    } else if (arg == "--manifest-dir") {
      ok = take() && (run.discovery.manifest_dir = value, true);
    } else {
      return usage_error("unknown argument '" + arg + "'");
    }
    if (!ok) return usage_error(arg + " needs a valid value");
  }
  return std::nullopt;
}

std::string command_line(int argc, char** args) {
  std::string text = "keel conform";
  for (int i = 0; i < argc; ++i) text += std::string(" ") + args[i];
  return text;
}

}  // namespace

int run_conform(const GlobalOptions& options, int argc, char** args) {
  Arguments arguments;
  arguments.run.discovery = options.runtime;
  if (const std::optional<int> done = parse(argc, args, &arguments)) return *done;
  conform::ConformOptions& run = arguments.run;
  if (arguments.worker) {
    conform::WorkerOptions worker;
    worker.plugin_path = run.plugin;
    worker.reference_path = run.reference;
    worker.device_index = run.device_index;
    worker.quick = run.quick;
    return conform::run_worker(worker);
  }
  if (arguments.resolve) return conform::run_resolver(run.plugin, run.reference, run.discovery);
  if (arguments.verify) return run_conform_verify(*arguments.verify);
  if (arguments.list) return run_conform_list(run.profiles, run.quick);
  if (arguments.write_lists) return run_conform_write_lists(*arguments.write_lists);
  if (arguments.check_lists) return run_conform_check_lists();
  if (arguments.list_plugins) {
    GlobalOptions discovery = options;
    discovery.runtime = run.discovery;
    return run_conform_list_plugins(discovery);
  }
  if (run.plugin.empty()) return usage_error("--plugin is required");
  run.command_line = command_line(argc, args);
  return conform::run_conformance(run);
}

}  // namespace keel::cli
