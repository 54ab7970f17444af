// The two symbols the plugin exports. Everything else is reached through the table init hands back.
#include <memory>
#include <string>

#include "cl/info.h"
#include "host.h"
#include "keel/keel_plugin.h"
#include "plugin.h"
#include "plugin_api.h"

namespace keel::opencl {
namespace {

constexpr const char* kPluginName = "opencl";
constexpr const char* kPluginVersion = KEEL_OPENCL_VERSION;

std::string version_text(uint32_t version) {
  return concat(KEEL_VERSION_MAJOR(version), ".", KEEL_VERSION_MINOR(version));
}

bool args_have_api(const keel_plugin_init_args_t* args) {
  return args != nullptr && KEEL_STRUCT_HAS(args->struct_size, keel_plugin_init_args_t, api);
}

void initialize(const Host& host, keel_plugin_init_args_t* args) {
  if (args == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "args is NULL");
  if (!args_have_api(args)) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "args->struct_size is ", args->struct_size, "; ABI 1.0 needs at least ",
         KEEL_STRUCT_SIZE_UNTIL(keel_plugin_init_args_t, api));
  }
  args->api = nullptr;
  // Named first, so the loader can report who failed even when the rest of init does.
  args->plugin_abi_version = KEEL_ABI_VERSION;
  args->plugin_name = kPluginName;
  args->plugin_version = kPluginVersion;
  if (!keel_abi_compatible(args->host_abi_min, args->host_abi_max, KEEL_ABI_VERSION)) {
    fail(KEEL_STATUS_FAILED_PRECONDITION, "the host works with ABI ", version_text(args->host_abi_min), " to ",
         version_text(args->host_abi_max), " but this plugin implements ABI ", version_text(KEEL_ABI_VERSION));
  }
  if (host.kernel_register_slot() == nullptr) {
    fail(KEEL_STATUS_FAILED_PRECONDITION, "the host table has no kernel_register slot");
  }

  auto plugin = std::make_unique<Plugin>(host);  // UNAVAILABLE when there is no usable device
  plugin->register_kernels();
  args->plugin_ctx = plugin.release();  // deleted by opencl_shutdown
  args->api = plugin_api();
}

// True when some platform reports at least one device. Never throws.
bool any_device() noexcept {
  try {
    for (cl_platform_id platform : platforms()) {
      if (!devices_of(platform).empty()) return true;
    }
  } catch (...) {
    // A broken driver counts as no device.
  }
  return false;
}

}  // namespace
}  // namespace keel::opencl

extern "C" KEEL_PLUGIN_EXPORT int32_t keel_plugin_probe(void) {
  // 0 without an OpenCL device: the loader then reports "probe returned 0" and never calls init.
  return keel::opencl::any_device() ? 1 : 0;
}

extern "C" KEEL_PLUGIN_EXPORT keel_status_t keel_plugin_init(const keel_host_api_t* host_table,
                                                             keel_plugin_init_args_t* args) {
  using keel::opencl::Host;
  // Without a host that can create statuses nothing can be reported: leave args->api NULL, which the loader
  // treats as a failed init, and return NULL.
  if (!Host::can_report(host_table)) {
    if (keel::opencl::args_have_api(args)) args->api = nullptr;
    return nullptr;
  }
  const Host host(host_table);
  return host.guard("keel_plugin_init", [&] { keel::opencl::initialize(host, args); });
}
