#include "runner/plugin_resolution.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "runner/child_process.h"
#include "runner/protocol.h"

namespace keel::conform {
namespace {

bool looks_like_path(const std::string& text) { return text.find('/') != std::string::npos; }

std::string absolute(const std::string& path) {
  std::error_code error;
  const std::filesystem::path resolved = std::filesystem::canonical(path, error);
  return error ? path : resolved.string();
}

void send(std::string_view kind, const std::string& payload) {
  const std::string line = std::string(kind) + payload + "\n";
  if (write(kResultFd, line.data(), line.size()) < 0) _exit(2);
}

// The accepted plugin called `name` (or at `path`), or "" with the loader's reason in *why.
std::string find(const Runtime& runtime, const std::string& spec, std::string* why) {
  for (keel_plugin_t* plugin : runtime.plugins()) {
    const keel_plugin_info_t info = plugin_info(plugin);
    if (looks_like_path(spec) ? absolute(info.path) == absolute(spec) : spec == info.name) return info.path;
  }
  *why = std::string("no loaded plugin is ") + (looks_like_path(spec) ? "at " : "called ") + spec;
  for (const keel_loader_entry_t& entry : runtime.loader_report()) {
    const bool same = looks_like_path(spec) ? absolute(entry.path) == absolute(spec) : spec == entry.plugin_name;
    if (same && entry.outcome != KEEL_LOADER_ACCEPTED) *why = std::string(entry.path) + " was not loaded: " + entry.reason;
  }
  return "";
}

}  // namespace

std::vector<std::string> discovery_arguments(const RuntimeOptions& discovery) {
  std::vector<std::string> args;
  for (const std::string& path : discovery.plugin_paths) args.insert(args.end(), {"--plugin-path", path});
  if (!discovery.use_env_path) args.emplace_back("--no-env");
  if (!discovery.use_manifests) args.emplace_back("--no-manifests");
  if (!discovery.manifest_dir.empty()) args.insert(args.end(), {"--manifest-dir", discovery.manifest_dir});
  return args;
}

ResolvedPlugins resolve_plugins(const std::string& self, const std::string& plugin, const std::string& reference,
                                const RuntimeOptions& discovery, const std::string& log_path) {
  if (looks_like_path(plugin) && looks_like_path(reference)) {
    for (const std::string& path : {plugin, reference}) {
      if (!std::filesystem::is_regular_file(path)) throw std::runtime_error(path + " is not a file");
    }
    return {absolute(plugin), absolute(reference)};
  }
  std::vector<std::string> argv = {self, "conform", "--worker-resolve", "--plugin", plugin, "--reference", reference};
  const std::vector<std::string> extra = discovery_arguments(discovery);
  argv.insert(argv.end(), extra.begin(), extra.end());
  std::string error;
  std::unique_ptr<ChildProcess> child = ChildProcess::spawn(argv, log_path, &error);
  if (!child) throw std::runtime_error("cannot start the plugin lookup: " + error);
  child->close_input();
  std::vector<std::string> lines;
  pollfd fd = {child->result_fd(), POLLIN, 0};
  while (lines.empty() && poll(&fd, 1, 60000) > 0 && child->read_lines(&lines)) {
  }
  const std::string ending = child->wait(5.0);
  for (const std::string& line : lines) {
    if (line.starts_with(kFatalMessage)) throw std::runtime_error(line.substr(kFatalMessage.size()));
    if (!line.starts_with(kReadyMessage)) continue;
    const nlohmann::json json = nlohmann::json::parse(line.substr(kReadyMessage.size()), nullptr, false);
    if (json.is_object()) return {json.value("plugin", ""), json.value("reference", "")};
  }
  throw std::runtime_error("the plugin lookup " + ending + " without an answer (see " + log_path + ")");
}

int run_resolver(const std::string& plugin, const std::string& reference, const RuntimeOptions& discovery) {
  try {
    RuntimeOptions options = discovery;
    for (const std::string& spec : {plugin, reference}) {
      if (looks_like_path(spec)) options.plugin_paths.push_back(spec);
    }
    const Runtime runtime = Runtime::create(options);
    std::string why;
    const std::string plugin_path = find(runtime, plugin, &why);
    if (plugin_path.empty()) throw std::runtime_error("the plugin to test: " + why);
    const std::string reference_path = find(runtime, reference, &why);
    if (reference_path.empty()) throw std::runtime_error("the reference plugin: " + why);
    send(kReadyMessage, json_line({{"plugin", plugin_path}, {"reference", reference_path}}));
    return 0;
  } catch (const std::exception& error) {
    send(kFatalMessage, error.what());
    return 1;
  }
}

}  // namespace keel::conform
