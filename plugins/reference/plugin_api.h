#pragma once

#include "keel/keel_plugin.h"

namespace keel::reference {

// The plugin's function table; static storage, every slot set.
const keel_plugin_api_t* plugin_api();

}  // namespace keel::reference
