// keel: the Keel command-line tool.
//
//   keel [global options] <command> [--json] [-v]
//
// Commands: plugins, devices, ops, demo, conform, run. Global options: --plugin-path PATH (repeatable), --no-env,
// --no-manifests, --manifest-dir DIR, --version, --help.
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

#include "cli.h"
#include "cmd_conform.h"
#include "cmd_run.h"

namespace {

void print_usage(std::FILE* out) {
  std::fprintf(out,
               "usage: keel [options] <command> [--json] [-v]\n"
               "\n"
               "commands:\n"
               "  plugins   every plugin candidate the loader considered, and why it was accepted or rejected\n"
               "  devices   the devices of the loaded plugins (-v: attributes and memory spaces)\n"
               "  ops       the spec operators and which loaded plugins implement them\n"
               "  demo      run a short operator demo on every device and check the results\n"
               "  conform   run the conformance suite on a plugin and write its certificate (keel conform --help)\n"
               "  run       run a model (.onnx or a Keel graph) on a device, writing .npy outputs (keel run --help)\n"
               "\n"
               "options:\n"
               "  --plugin-path PATH   load plugins from PATH (a library or a directory) first; repeatable\n"
               "  --no-env             ignore KEEL_PLUGIN_PATH\n"
               "  --no-manifests       ignore the manifest directory\n"
               "  --manifest-dir DIR   read manifests from DIR\n"
               "  --json               machine-readable output\n"
               "  -v, --verbose        more detail\n"
               "  --version            print versions and exit\n"
               "  -h, --help           this text\n"
               "\n"
               "exit status: 0 success, 1 the command found a problem, 2 usage error\n");
}

int print_version() {
  std::printf("keel %s (ABI %s, operator spec %s)\n", keel_version_string(),
              keel::version_text(keel_abi_version()).c_str(), keel_spec_version_string());
  return keel::cli::kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  keel::cli::GlobalOptions options;
  std::string command;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&](const char* name) -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "keel: %s needs a value\n", name);
        return nullptr;
      }
      return argv[++i];
    };
    if (arg == "-h" || arg == "--help") {
      print_usage(stdout);
      return keel::cli::kExitOk;
    } else if (arg == "--version") {
      return print_version();
    } else if (arg == "--json") {
      options.json = true;
    } else if (arg == "-v" || arg == "--verbose") {
      options.verbose = true;
    } else if (arg == "--no-env") {
      options.runtime.use_env_path = false;
    } else if (arg == "--no-manifests") {
      options.runtime.use_manifests = false;
    } else if (arg == "--plugin-path") {
      const char* path = value("--plugin-path");
      if (path == nullptr) return keel::cli::kExitUsage;
      options.runtime.plugin_paths.emplace_back(path);
    } else if (arg == "--manifest-dir") {
      const char* dir = value("--manifest-dir");
      if (dir == nullptr) return keel::cli::kExitUsage;
      options.runtime.manifest_dir = dir;
    } else if (!arg.empty() && arg[0] == '-') {
      std::fprintf(stderr, "keel: unknown option '%s'\n\n", arg.c_str());
      print_usage(stderr);
      return keel::cli::kExitUsage;
    } else if (command.empty()) {
      command = arg;
      if (command == "conform") return keel::cli::run_conform(options, argc - i - 1, argv + i + 1);
      if (command == "run") return keel::cli::run_model(options, argc - i - 1, argv + i + 1);
    } else {
      std::fprintf(stderr, "keel: unexpected argument '%s'\n", arg.c_str());
      return keel::cli::kExitUsage;
    }
  }
  try {
    if (command == "plugins") return keel::cli::run_plugins(options);
    if (command == "devices") return keel::cli::run_devices(options);
    if (command == "ops") return keel::cli::run_ops(options);
    if (command == "demo") return keel::cli::run_demo(options);
  } catch (const keel::Error& error) {
    std::fprintf(stderr, "keel: %s (from %s)\n", error.what(), error.source().c_str());
    return keel::cli::kExitFailure;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "keel: %s\n", error.what());
    return keel::cli::kExitFailure;
  }
  if (command.empty()) {
    print_usage(stderr);
  } else {
    std::fprintf(stderr, "keel: unknown command '%s' (try keel --help)\n", command.c_str());
  }
  return keel::cli::kExitUsage;
}
