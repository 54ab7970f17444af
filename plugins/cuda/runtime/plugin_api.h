#pragma once

#include "keel/keel_plugin.h"

namespace keel::cuda {

// The plugin's function table; static storage, every slot but buffer_import_host set.
const keel_plugin_api_t* plugin_api();

}  // namespace keel::cuda
