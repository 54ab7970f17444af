// The wrapped plugin (the backend): opened once with dlopen, initialized once per faulty instance through a
// host table whose calls are forwarded to the real host, kernel registrations excepted (they are wrapped).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "keel/keel_plugin.h"

namespace keel::faulty {

struct WrappedKernel;

// One keel_plugin_init of the faulty plugin.
struct Instance {
  keel_host_api_t proxy{};              // the host table the backend sees (host_ctx points here)
  const keel_host_api_t* host = nullptr; // the real host
  void* backend_ctx = nullptr;
  std::vector<std::unique_ptr<WrappedKernel>> kernels;  // live until shutdown
  Instance();
  ~Instance();
};

// Opens the backend (first call only) and initializes it for `instance`. Returns the backend's status (a
// status of the real host) or NULL; on success *out_api is the backend's table.
keel_status_t init_backend(const std::string& path, const keel_host_api_t* host, keel_plugin_init_args_t* args,
                           Instance* instance, const keel_plugin_api_t** out_api);

// A status from the real host.
keel_status_t host_status(const keel_host_api_t* host, keel_status_code_t code, const std::string& message);

}  // namespace keel::faulty
