// The two exported symbols of the fault-injection plugin, and its plugin-level slots.
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>

#include "backend.h"
#include "faults.h"
#include "keel/keel_plugin.h"
#include "runtime_faults.h"

namespace keel::faulty {
namespace {

constexpr const char* kPluginName = "faulty";
constexpr const char* kPluginVersion = "1.0.0";

std::mutex table_mutex;
keel_plugin_api_t table{};  // the backend's table with the faulty slots; the same for every instance
const keel_plugin_api_t* backend = nullptr;

Instance* instance_of(void* plugin_ctx) { return static_cast<Instance*>(plugin_ctx); }

extern "C" {

static void faulty_shutdown(void* plugin_ctx) {
  Instance* instance = instance_of(plugin_ctx);
  backend->shutdown(instance->backend_ctx);
  delete instance;
}

static keel_status_t faulty_device_count(void* plugin_ctx, size_t* out_count) {
  return backend->device_count(instance_of(plugin_ctx)->backend_ctx, out_count);
}

static keel_status_t faulty_device_get(void* plugin_ctx, size_t index, keel_plugin_device_t** out_device) {
  return backend->device_get(instance_of(plugin_ctx)->backend_ctx, index, out_device);
}

}  // extern "C"

void build_table(const keel_plugin_api_t* backend_api) {
  std::lock_guard<std::mutex> lock(table_mutex);
  if (backend != nullptr) return;
  backend = backend_api;
  std::memcpy(&table, backend_api, std::min(backend_api->struct_size, sizeof(keel_plugin_api_t)));
  table.struct_size = std::min(backend_api->struct_size, sizeof(keel_plugin_api_t));
  table.shutdown = faulty_shutdown;
  table.device_count = faulty_device_count;
  table.device_get = faulty_device_get;
  install_runtime_faults(&table, backend_api);
}

keel_status_t initialize(const keel_host_api_t* host, keel_plugin_init_args_t* args) {
  args->api = nullptr;
  args->plugin_abi_version = KEEL_ABI_VERSION;
  args->plugin_name = kPluginName;
  args->plugin_version = kPluginVersion;
  const std::string problem = load_config();
  if (!problem.empty()) return host_status(host, KEEL_STATUS_INVALID_ARGUMENT, problem);
  auto instance = std::unique_ptr<Instance>(new (std::nothrow) Instance());
  if (!instance) return host_status(host, KEEL_STATUS_RESOURCE_EXHAUSTED, "out of memory");
  const keel_plugin_api_t* backend_api = nullptr;
  if (keel_status_t status = init_backend(config()->backend, host, args, instance.get(), &backend_api)) return status;
  build_table(backend_api);
  args->plugin_ctx = instance.release();
  args->api = &table;
  return nullptr;
}

}  // namespace
}  // namespace keel::faulty

extern "C" KEEL_PLUGIN_EXPORT int32_t keel_plugin_probe(void) {
  const char* config = std::getenv("KEEL_FAULTY_CONFIG");
  return config != nullptr && *config != '\0' ? 1 : 0;  // only where a test asked for it
}

extern "C" KEEL_PLUGIN_EXPORT keel_status_t keel_plugin_init(const keel_host_api_t* host,
                                                             keel_plugin_init_args_t* args) {
  if (host == nullptr || args == nullptr || !KEEL_STRUCT_HAS(args->struct_size, keel_plugin_init_args_t, api) ||
      !KEEL_STRUCT_HAS(host->struct_size, keel_host_api_t, status_release) || host->status_create == nullptr) {
    if (args != nullptr && KEEL_STRUCT_HAS(args->struct_size, keel_plugin_init_args_t, api)) args->api = nullptr;
    return nullptr;  // nothing can be reported without a host that creates statuses
  }
  try {
    return keel::faulty::initialize(host, args);
  } catch (...) {
    args->api = nullptr;
    return host->status_create(host->host_ctx, KEEL_STATUS_INTERNAL, "faulty: unexpected exception in init");
  }
}
