// What a certificate says about the plugin and device under test, gathered inside a worker (the parent
// never loads the plugin).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runner/worker_context.h"

namespace keel::conform {

// {"plugin": {...}, "reference": {...}, "device": {...}, "host": {...}}
nlohmann::json describe_target(const WorkerContext& context);

std::vector<std::string> capability_names(uint64_t capabilities);  // "async", "f16", ...

}  // namespace keel::conform
