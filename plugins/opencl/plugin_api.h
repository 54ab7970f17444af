// The plugin's function table, handed to the host by keel_plugin_init.
#pragma once

#include "keel/keel_plugin.h"

namespace keel::opencl {

const keel_plugin_api_t* plugin_api();

}  // namespace keel::opencl
