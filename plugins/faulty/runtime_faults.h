// Runtime faults: slots of the plugin table replaced by faulty versions (wrong memory statistics, leaked
// buffers, events a queue never signals).
#pragma once

#include "keel/keel_plugin.h"

namespace keel::faulty {

// Replaces the slots of `table` (a copy of the backend's) that the configured faults change. `backend` is
// the backend's own table, which the replacements call.
void install_runtime_faults(keel_plugin_api_t* table, const keel_plugin_api_t* backend);

}  // namespace keel::faulty
