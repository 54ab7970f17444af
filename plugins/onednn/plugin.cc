#include "plugin.h"

#include "handles.h"
#include "slots.h"

namespace keel::onednn {

Plugin::Plugin(const Host& host) : host_(host), device_(host, read_cpu_info()) {}

Plugin::~Plugin() = default;

void Plugin::register_kernels() {
  registry_ = std::make_unique<Registry>(host_, device_);
  registry_->register_all();
}

}  // namespace keel::onednn

using keel::onednn::fail;
using keel::onednn::Plugin;
using keel::onednn::to_handle;

extern "C" void onednn_shutdown(void* plugin_ctx) { delete static_cast<Plugin*>(plugin_ctx); }

extern "C" keel_status_t onednn_device_count(void* plugin_ctx, size_t* out_count) {
  const Plugin& plugin = *static_cast<Plugin*>(plugin_ctx);
  return plugin.host().guard("device_count", [&] {
    if (out_count == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "out_count is NULL");
    *out_count = 1;
  });
}

extern "C" keel_status_t onednn_device_get(void* plugin_ctx, size_t index, keel_plugin_device_t** out_device) {
  Plugin& plugin = *static_cast<Plugin*>(plugin_ctx);
  return plugin.host().guard("device_get", [&] {
    if (out_device == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "out_device is NULL");
    if (index != 0) fail(KEEL_STATUS_OUT_OF_RANGE, "device ", index, " does not exist (the plugin has 1)");
    *out_device = to_handle(&plugin.device());
  });
}
