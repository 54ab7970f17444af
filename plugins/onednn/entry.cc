// The two symbols the plugin exports. Everything else is reached through the table init hands back.
#include <memory>
#include <string>

#include "host.h"
#include "keel/keel_plugin.h"
#include "plugin.h"
#include "plugin_api.h"

namespace keel::onednn {
namespace {

constexpr const char* kPluginName = "onednn";
constexpr const char* kPluginVersion = KEEL_ONEDNN_VERSION;

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
  // Identify first, so the loader can name this plugin in its report even when init fails below.
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
  args->plugin_ctx = plugin.release();  // deleted by onednn_shutdown
  args->api = plugin_api();
}

}  // namespace
}  // namespace keel::onednn

// Runs on any x86-64 or AArch64 CPU oneDNN supports; oneDNN picks its ISA at run time, so there is one build.
// Cheap and free of side effects: it does not touch oneDNN.
extern "C" KEEL_PLUGIN_EXPORT int32_t keel_plugin_probe(void) { return 1; }

extern "C" KEEL_PLUGIN_EXPORT keel_status_t keel_plugin_init(const keel_host_api_t* host_table,
                                                             keel_plugin_init_args_t* args) {
  using keel::onednn::Host;
  // Without a host that can create statuses nothing can be reported: leave args->api NULL (a failed init to
  // the loader) and return NULL.
  if (!Host::can_report(host_table)) {
    if (keel::onednn::args_have_api(args)) args->api = nullptr;
    return nullptr;
  }
  const Host host(host_table);
  return host.guard("keel_plugin_init", [&] { keel::onednn::initialize(host, args); });
}
