// The two symbols the plugin exports. Everything else is reached through the table init hands back.
//
// probe never touches the driver (it must be cheap and free of side effects) and always returns 1. Whether
// this machine can run the plugin is init's question: it opens the driver and answers UNAVAILABLE naming
// the cause (no driver library, a driver too old, no device, no device this build has code for), which the
// loader report and `keel plugins` show.
#include <memory>
#include <string>

#include "keel/keel_plugin.h"
#include "runtime/host.h"
#include "runtime/plugin.h"
#include "runtime/plugin_api.h"

namespace keel::cuda {
namespace {

constexpr const char* kPluginName = "cuda";
constexpr const char* kPluginVersion = KEEL_CUDA_PLUGIN_VERSION;

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
  // Name and version first, so a refusal below is still attributed in the loader report.
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

  auto plugin = std::make_unique<Plugin>(host);
  plugin->register_kernels();
  host.log(KEEL_LOG_INFO, plugin->summary());

  args->plugin_ctx = plugin.release();  // deleted by keel_cuda_shutdown
  args->api = plugin_api();
}

}  // namespace
}  // namespace keel::cuda

extern "C" KEEL_PLUGIN_EXPORT int32_t keel_plugin_probe(void) { return 1; }

extern "C" KEEL_PLUGIN_EXPORT keel_status_t keel_plugin_init(const keel_host_api_t* host_table,
                                                             keel_plugin_init_args_t* args) {
  using keel::cuda::Host;
  // Without a host that can create statuses nothing can be reported: leave args->api NULL, which the loader
  // treats as a failed init, and return NULL.
  if (!Host::can_report(host_table)) {
    if (keel::cuda::args_have_api(args)) args->api = nullptr;
    return nullptr;
  }
  const Host host(host_table);
  return host.guard("", [&] { keel::cuda::initialize(host, args); });
}
