// Loading plugins into a runtime: every candidate from discovery is opened, probed, initialized and
// checked, and the outcome (with the reason for any rejection) goes into the runtime's report.
#pragma once

#include "loader/discovery.h"
#include "runtime/runtime.h"

namespace keel::loader {

// Fills runtime.report, runtime.plugins and runtime.devices. Never fails as a whole: a plugin that cannot
// be used is recorded as rejected and the others go on.
void load_plugins(const DiscoveryOptions& options, keel_runtime_s& runtime);

}  // namespace keel::loader
