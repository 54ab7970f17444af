#include "runtime/runtime.h"

keel_runtime_s::~keel_runtime_s() {
  // Kernel states belong to plugins: release them while the plugins are still loaded, then shut each plugin
  // down before its library is unloaded.
  for (auto& device : devices) {
    device->states.clear();
  }
  devices.clear();
  for (auto& plugin : plugins) {
    plugin->shutdown();
  }
  plugins.clear();
}

void keel_runtime_s::release() {
  if (references_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    delete this;
  }
}
