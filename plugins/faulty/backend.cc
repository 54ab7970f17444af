#include "backend.h"

#include <dlfcn.h>

#include <algorithm>
#include <cstring>
#include <mutex>

#include "kernel_faults.h"

namespace keel::faulty {
namespace {

std::mutex library_mutex;
void* library = nullptr;  // kept open for the life of the process
keel_plugin_init_fn backend_init = nullptr;

const keel_host_api_t* real_host(void* host_ctx) { return static_cast<Instance*>(host_ctx)->host; }

// The proxy's slots: everything goes to the real host, with the real host's context.
keel_status_t proxy_status_create(void* host_ctx, keel_status_code_t code, const char* message) {
  const keel_host_api_t* host = real_host(host_ctx);
  return host->status_create(host->host_ctx, code, message);
}

void proxy_log(void* host_ctx, uint32_t level, const char* message) {
  const keel_host_api_t* host = real_host(host_ctx);
  if (KEEL_STRUCT_HAS(host->struct_size, keel_host_api_t, log) && host->log != nullptr) {
    host->log(host->host_ctx, level, message);
  }
}

keel_status_t proxy_kernel_register(void* host_ctx, const keel_kernel_registration_t* registration) {
  return register_wrapped(*static_cast<Instance*>(host_ctx), registration);
}

}  // namespace

Instance::Instance() = default;
Instance::~Instance() = default;

keel_status_t host_status(const keel_host_api_t* host, keel_status_code_t code, const std::string& message) {
  return host->status_create(host->host_ctx, code, ("faulty: " + message).c_str());
}

keel_status_t init_backend(const std::string& path, const keel_host_api_t* host, keel_plugin_init_args_t* args,
                           Instance* instance, const keel_plugin_api_t** out_api) {
  {
    std::lock_guard<std::mutex> lock(library_mutex);
    if (library == nullptr) {
      library = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (library == nullptr) {
        const char* error = dlerror();
        return host_status(host, KEEL_STATUS_UNAVAILABLE, "cannot open the backend: " + std::string(error ? error : path));
      }
      backend_init = reinterpret_cast<keel_plugin_init_fn>(dlsym(library, KEEL_PLUGIN_INIT_SYMBOL));
    }
  }
  if (backend_init == nullptr) return host_status(host, KEEL_STATUS_UNAVAILABLE, path + " has no keel_plugin_init");

  instance->host = host;
  const size_t size = std::min(host->struct_size, sizeof(keel_host_api_t));
  std::memcpy(&instance->proxy, host, size);
  instance->proxy.struct_size = size;
  instance->proxy.host_ctx = instance;
  instance->proxy.status_create = proxy_status_create;
  instance->proxy.log = proxy_log;
  instance->proxy.kernel_register = proxy_kernel_register;

  keel_plugin_init_args_t backend_args{};
  backend_args.struct_size = sizeof(backend_args);
  backend_args.host_abi_min = args->host_abi_min;
  backend_args.host_abi_max = args->host_abi_max;
  if (keel_status_t status = backend_init(&instance->proxy, &backend_args)) return status;
  if (backend_args.api == nullptr) return host_status(host, KEEL_STATUS_INTERNAL, "the backend's init left its table NULL");
  args->plugin_abi_version = backend_args.plugin_abi_version;
  instance->backend_ctx = backend_args.plugin_ctx;
  *out_api = backend_args.api;
  return nullptr;
}

}  // namespace keel::faulty
