#include "loader/loader.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>

#include "common/log.h"
#include "loader/host_api.h"
#include "status/status.h"

namespace keel::loader {
namespace {

std::string version_text(uint32_t version) {
  return std::to_string(KEEL_VERSION_MAJOR(version)) + "." + std::to_string(KEEL_VERSION_MINOR(version));
}

bool valid_plugin_name(const char* name) {
  if (name == nullptr || *name == '\0') {
    return false;
  }
  for (const char* c = name; *c != '\0'; ++c) {
    if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_')) {
      return false;
    }
  }
  return true;
}

// The slots a plugin must fill; the others (device_attributes, buffer_import_host) are optional.
struct SlotInfo {
  const char* name;
  size_t offset;
};
#define KEEL_SLOT(field) SlotInfo{#field, offsetof(keel_plugin_api_t, field)}
constexpr SlotInfo kMandatorySlots[] = {
    KEEL_SLOT(shutdown),           KEEL_SLOT(device_count),      KEEL_SLOT(device_get),
    KEEL_SLOT(device_properties),  KEEL_SLOT(memory_space_properties), KEEL_SLOT(buffer_allocate),
    KEEL_SLOT(buffer_release),     KEEL_SLOT(buffer_write),      KEEL_SLOT(buffer_read),
    KEEL_SLOT(buffer_copy),        KEEL_SLOT(memory_stats),      KEEL_SLOT(memory_reset_peak),
    KEEL_SLOT(queue_create),       KEEL_SLOT(queue_release),     KEEL_SLOT(queue_write),
    KEEL_SLOT(queue_read),         KEEL_SLOT(queue_copy),        KEEL_SLOT(queue_fill),
    KEEL_SLOT(queue_host_callback), KEEL_SLOT(queue_signal),     KEEL_SLOT(queue_wait),
    KEEL_SLOT(queue_synchronize),  KEEL_SLOT(event_create),      KEEL_SLOT(event_release),
    KEEL_SLOT(event_signal),       KEEL_SLOT(event_query),       KEEL_SLOT(event_host_wait),
    KEEL_SLOT(event_fail),
};
#undef KEEL_SLOT

// Empty when every mandatory slot is present, else why not.
std::string check_mandatory_slots(const keel_plugin_api_t& api) {
  for (const SlotInfo& slot : kMandatorySlots) {
    if (api.struct_size < slot.offset + sizeof(void*)) {
      return "function table too small: struct_size " + std::to_string(api.struct_size) +
             " does not reach mandatory slot '" + slot.name + "'";
    }
    void* pointer = nullptr;
    std::memcpy(&pointer, reinterpret_cast<const char*>(&api) + slot.offset, sizeof(pointer));
    if (pointer == nullptr) {
      return std::string("mandatory slot '") + slot.name + "' is NULL";
    }
  }
  return "";
}

// Opens one candidate. On success returns the plugin (initialized, devices not yet read); on failure
// returns nullptr with entry.reason set.
std::unique_ptr<keel_plugin_s> open_plugin(LoaderEntry& entry) {
  std::string error;
  auto library = PluginLibrary::open(entry.real_path, &error);
  if (!library) {
    entry.reason = "dlopen failed: " + error;
    return nullptr;
  }
  auto probe = reinterpret_cast<keel_plugin_probe_fn>(library->symbol(KEEL_PLUGIN_PROBE_SYMBOL));
  auto init = reinterpret_cast<keel_plugin_init_fn>(library->symbol(KEEL_PLUGIN_INIT_SYMBOL));
  if (probe == nullptr || init == nullptr) {
    entry.reason = std::string("missing entry symbol ") +
                   (probe == nullptr ? KEEL_PLUGIN_PROBE_SYMBOL : KEEL_PLUGIN_INIT_SYMBOL);
    return nullptr;
  }
  try {
    entry.probe_score = probe();
  } catch (const std::exception& e) {
    entry.reason = std::string("keel_plugin_probe threw a C++ exception: ") + e.what();
    return nullptr;
  } catch (...) {
    entry.reason = "keel_plugin_probe threw a C++ exception";
    return nullptr;
  }
  if (entry.probe_score <= 0) {
    entry.reason = "probe returned " + std::to_string(entry.probe_score) + ": the plugin cannot run on this system";
    return nullptr;
  }

  auto plugin = std::make_unique<keel_plugin_s>();
  plugin->path = entry.real_path;
  plugin->probe_score = entry.probe_score;
  plugin->host = make_host_context(std::filesystem::path(entry.real_path).filename().string(), &plugin->kernels);

  keel_plugin_init_args_t args{};
  args.struct_size = sizeof(args);
  args.host_abi_min = host_abi_min();
  args.host_abi_max = host_abi_max();
  plugin->host->registration_open = true;
  keel_status_t status = nullptr;
  try {
    status = init(&plugin->host->table, &args);
  } catch (const std::exception& e) {
    entry.reason = std::string("keel_plugin_init threw a C++ exception: ") + e.what();
    return nullptr;
  } catch (...) {
    entry.reason = "keel_plugin_init threw a C++ exception";
    return nullptr;
  }
  plugin->host->registration_open = false;
  entry.plugin_abi_version = args.plugin_abi_version;
  if (args.plugin_name != nullptr) {
    entry.plugin_name = args.plugin_name;
  }
  if (args.plugin_version != nullptr) {
    entry.plugin_version = args.plugin_version;
  }
  if (status != nullptr) {
    entry.reason = "keel_plugin_init failed: " + describe(status);
    release_status(status);
    return nullptr;
  }
  if (args.api == nullptr) {
    entry.reason = "keel_plugin_init returned OK but left args->api NULL";
    return nullptr;
  }
  // From here on the plugin is initialized: a rejection must shut it down (the plugin's destructor does).
  plugin->api = args.api;
  plugin->ctx = args.plugin_ctx;
  plugin->library = std::move(library);
  if (KEEL_VERSION_MAJOR(args.plugin_abi_version) != KEEL_VERSION_MAJOR(host_abi_max())) {
    // Another major's function table has an unknown layout: nothing in it may be called, not even shutdown.
    plugin->api = nullptr;
    entry.reason = "plugin ABI " + version_text(args.plugin_abi_version) + " is incompatible with host ABI " +
                   version_text(args.host_abi_min) + "-" + version_text(args.host_abi_max) +
                   " (the major versions must match)";
    return nullptr;
  }
  if (!keel_abi_compatible(args.host_abi_min, args.host_abi_max, args.plugin_abi_version)) {
    entry.reason = "plugin ABI " + version_text(args.plugin_abi_version) + " is incompatible with host ABI " +
                   version_text(args.host_abi_min) + "-" + version_text(args.host_abi_max) +
                   " (older than the oldest version the host supports)";
    return nullptr;
  }
  if (!valid_plugin_name(args.plugin_name)) {
    entry.reason = "plugin name '" + entry.plugin_name + "' is not [a-z0-9_]+";
    return nullptr;
  }
  if (std::string missing = check_mandatory_slots(*args.api); !missing.empty()) {
    entry.reason = missing;
    return nullptr;
  }
  plugin->name = args.plugin_name;
  plugin->version = args.plugin_version != nullptr ? args.plugin_version : "";
  plugin->abi_version = args.plugin_abi_version;
  plugin->negotiated_abi_version = std::min(args.host_abi_max, args.plugin_abi_version);
  plugin->host->source = plugin->name;
  if (plugin->host->refused_registrations > 0) {
    log::write(KEEL_LOG_WARNING, plugin->name,
               std::to_string(plugin->host->refused_registrations) +
                   " kernel registration(s) were refused (KEEL_LOG_LEVEL=info shows why)");
  }
  plugin->index_kernels();
  return plugin;
}

// Reads the plugin's devices into the runtime; false with entry.reason on failure.
bool add_devices(keel_plugin_s& plugin, keel_runtime_s& runtime, LoaderEntry& entry) {
  size_t count = 0;
  if (keel_status_t status = plugin.api->device_count(plugin.ctx, &count)) {
    entry.reason = "device_count failed: " + describe(status);
    release_status(status);
    return false;
  }
  std::vector<std::unique_ptr<keel_device_s>> devices;
  for (size_t i = 0; i < count; ++i) {
    auto device = std::make_unique<keel_device_s>();
    device->runtime = &runtime;
    device->plugin = &plugin;
    device->index_in_plugin = i;
    device->name = plugin.name + ":" + std::to_string(i);
    keel_status_t status = plugin.api->device_get(plugin.ctx, i, &device->handle);
    if (status == nullptr && device->handle == nullptr) {
      status = make_status(KEEL_STATUS_INTERNAL, "returned OK with a NULL device");
    }
    if (status == nullptr) {
      status = describe_device(*device);
    }
    if (status != nullptr) {
      entry.reason = "device " + std::to_string(i) + ": " + describe(status);
      release_status(status);
      return false;
    }
    devices.push_back(std::move(device));
  }
  for (auto& device : devices) {
    plugin.devices.push_back(device.get());
    runtime.devices.push_back(std::move(device));
  }
  return true;
}

std::string resolve(const std::string& path, std::string* error) {
  char resolved[PATH_MAX];
  if (realpath(path.c_str(), resolved) == nullptr) {
    *error = std::string("cannot resolve path: ") + std::strerror(errno);
    return "";
  }
  return resolved;
}

// Several builds of one plugin: the highest probe score wins, the first loaded breaks ties.
void supersede_duplicates(keel_runtime_s& runtime, std::vector<size_t>& entry_of_plugin) {
  std::map<std::string, size_t> best;
  for (size_t i = 0; i < runtime.plugins.size(); ++i) {
    auto [it, inserted] = best.emplace(runtime.plugins[i]->name, i);
    if (!inserted && runtime.plugins[i]->probe_score > runtime.plugins[it->second]->probe_score) {
      it->second = i;
    }
  }
  // Reasons first: they name the winner, which is moved below.
  for (size_t i = 0; i < runtime.plugins.size(); ++i) {
    const size_t winner = best[runtime.plugins[i]->name];
    if (winner == i) {
      continue;
    }
    LoaderEntry& entry = runtime.report[entry_of_plugin[i]];
    entry.outcome = KEEL_LOADER_SUPERSEDED;
    entry.negotiated_abi_version = 0;
    entry.reason = "another build of plugin '" + runtime.plugins[i]->name + "' was chosen: " +
                   runtime.plugins[winner]->path + " (probe score " +
                   std::to_string(runtime.plugins[winner]->probe_score) + " vs " +
                   std::to_string(runtime.plugins[i]->probe_score) + ")";
  }
  std::vector<std::unique_ptr<keel_plugin_s>> kept;
  std::vector<size_t> kept_entries;
  for (size_t i = 0; i < runtime.plugins.size(); ++i) {
    if (best[runtime.plugins[i]->name] == i) {
      kept.push_back(std::move(runtime.plugins[i]));
      kept_entries.push_back(entry_of_plugin[i]);
    } else {
      runtime.plugins[i].reset();  // shuts the losing build down
    }
  }
  runtime.plugins = std::move(kept);
  entry_of_plugin = std::move(kept_entries);
}

}  // namespace

void load_plugins(const DiscoveryOptions& options, keel_runtime_s& runtime) {
  std::map<std::string, std::string> seen;  // real path -> first path that reached it
  std::vector<size_t> entry_of_plugin;
  for (const Candidate& candidate : discover(options)) {
    LoaderEntry entry;
    entry.path = candidate.path;
    entry.origin = candidate.origin;
    const auto start = std::chrono::steady_clock::now();
    std::unique_ptr<keel_plugin_s> plugin;
    if (!candidate.error.empty()) {
      entry.reason = candidate.error;
    } else if (entry.real_path = resolve(candidate.path, &entry.reason); !entry.real_path.empty()) {
      if (auto it = seen.find(entry.real_path); it != seen.end()) {
        entry.outcome = KEEL_LOADER_DUPLICATE;
        entry.reason = "same library as " + it->second + " (already considered)";
      } else {
        seen.emplace(entry.real_path, candidate.path);
        plugin = open_plugin(entry);
      }
    }
    entry.load_time_ns = static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count());
    if (plugin) {
      entry.outcome = KEEL_LOADER_ACCEPTED;
      entry.negotiated_abi_version = plugin->negotiated_abi_version;
      entry_of_plugin.push_back(runtime.report.size());
      runtime.plugins.push_back(std::move(plugin));
    }
    log::trace("loader", entry.path + ": " +
                             (entry.outcome == KEEL_LOADER_ACCEPTED ? std::string("accepted") : entry.reason));
    runtime.report.push_back(std::move(entry));
  }
  supersede_duplicates(runtime, entry_of_plugin);

  // Devices are read after superseding so that losing builds never expose devices.
  std::vector<std::unique_ptr<keel_plugin_s>> usable;
  for (size_t i = 0; i < runtime.plugins.size(); ++i) {
    LoaderEntry& entry = runtime.report[entry_of_plugin[i]];
    if (add_devices(*runtime.plugins[i], runtime, entry)) {
      usable.push_back(std::move(runtime.plugins[i]));
    } else {
      entry.outcome = KEEL_LOADER_REJECTED;
      entry.negotiated_abi_version = 0;
      runtime.plugins[i].reset();
    }
  }
  runtime.plugins = std::move(usable);
}

}  // namespace keel::loader
