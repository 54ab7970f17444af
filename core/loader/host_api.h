// The host function table (keel_host_api_t) handed to one plugin. Each plugin gets its own context, so
// statuses it creates carry its name and the kernels it registers land in its own list.
#pragma once

#include <string>
#include <vector>

#include "keel/keel_plugin.h"
#include "runtime/plugin.h"

namespace keel::loader {

struct HostContext {
  keel_host_api_t table{};
  std::string source;                   // the plugin's name (its file name until init tells us the name)
  std::vector<KernelEntry>* kernels = nullptr; // where kernel_register appends
  bool registration_open = false;       // kernel_register is only valid during keel_plugin_init
  size_t refused_registrations = 0;
};

// A context whose table is filled in and points back at the context.
std::unique_ptr<HostContext> make_host_context(std::string source, std::vector<KernelEntry>* kernels);

// The ABI versions this host accepts: [1.0, KEEL_ABI_VERSION].
uint32_t host_abi_min();
uint32_t host_abi_max();

}  // namespace keel::loader
