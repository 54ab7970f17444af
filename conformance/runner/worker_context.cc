#include "runner/worker_context.h"

#include <cstdlib>
#include <stdexcept>

namespace keel::conform {
namespace {

std::string real_path(const std::string& path) {
  char* resolved = realpath(path.c_str(), nullptr);
  if (resolved == nullptr) return path;
  std::string text = resolved;
  std::free(resolved);
  return text;
}

Runtime load(const WorkerOptions& options) {
  RuntimeOptions runtime_options;
  runtime_options.plugin_paths = {options.plugin_path, options.reference_path};
  runtime_options.use_env_path = false;
  runtime_options.use_manifests = false;
  return Runtime::create(runtime_options);
}

// The accepted plugin whose library is `path`; throws with the loader's reason when it was not accepted.
keel_plugin_t* find_plugin(const Runtime& runtime, const std::string& path, const char* role) {
  const std::string wanted = real_path(path);
  for (keel_plugin_t* plugin : runtime.plugins()) {
    if (real_path(plugin_info(plugin).path) == wanted) return plugin;
  }
  std::string reason = "not found by the loader";
  for (const keel_loader_entry_t& entry : runtime.loader_report()) {
    if (real_path(entry.path) == wanted && entry.outcome != KEEL_LOADER_ACCEPTED) reason = entry.reason;
  }
  throw std::runtime_error(std::string("the ") + role + " plugin " + path + " did not load: " + reason);
}

keel_device_t* device_of(const Runtime& runtime, keel_plugin_t* plugin, size_t index, const char* role) {
  size_t seen = 0;
  for (const Device& device : runtime.devices()) {
    if (keel_device_plugin(device.get()) != plugin) continue;
    if (seen++ == index) return device.get();
  }
  throw std::runtime_error(std::string("the ") + role + " plugin has " + std::to_string(seen) +
                           " device(s); device " + std::to_string(index) + " does not exist");
}

}  // namespace

WorkerContext::WorkerContext(WorkerOptions options) : options_(std::move(options)), runtime_(load(options_)) {
  dut_plugin_ = find_plugin(runtime_, options_.plugin_path, "tested");
  reference_plugin_ = find_plugin(runtime_, options_.reference_path, "reference");
  dut_device_ = device_of(runtime_, dut_plugin_, options_.device_index, "tested");
  reference_device_ = device_of(runtime_, reference_plugin_, 0, "reference");
  dut_real_path_ = real_path(plugin_info(dut_plugin_).path);
}

std::shared_ptr<void>& WorkerContext::group_slot(const std::string& group) {
  if (group != group_) {
    group_ = group;
    group_data_.reset();
  }
  return group_data_;
}

}  // namespace keel::conform
