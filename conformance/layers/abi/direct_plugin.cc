#include "layers/abi/direct_plugin.h"

#include "layers/check.h"

namespace keel::conform {

DirectPlugin::DirectPlugin(const std::string& path, const EmulatedHostOptions& options) {
  std::string error;
  library_ = PluginLibrary::open(path, &error);
  require(library_ != nullptr, "cannot open the plugin directly: " + error);
  host_ = std::make_unique<EmulatedHost>(options);
  keel_status_t status = host_->init(library_->init(), &args_);
  init_code_ = EmulatedHost::code(status);
  init_message_ = EmulatedHost::message(status);
  EmulatedHost::release(status);
}

DirectPlugin::~DirectPlugin() { shutdown(); }

void DirectPlugin::shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  if (init_ok() && KEEL_STRUCT_HAS(args_.api->struct_size, keel_plugin_api_t, shutdown) &&
      args_.api->shutdown != nullptr) {
    args_.api->shutdown(args_.plugin_ctx);
  }
}

std::string DirectPlugin::take(keel_status_t status) {
  if (status == nullptr) return "";
  std::string text = std::string(keel_status_code_name(EmulatedHost::code(status))) + ": " + EmulatedHost::message(status);
  EmulatedHost::release(status);
  return text;
}

}  // namespace keel::conform
