// Diagnostics on stderr, filtered by KEEL_LOG_LEVEL; KEEL_VERBOSE=1 turns on the dispatch and loader trace.
#pragma once

#include <cstdint>
#include <string_view>

#include "keel/keel_plugin.h"

namespace keel::log {

// keel_log_level_e values.
bool enabled(uint32_t level);
void write(uint32_t level, std::string_view source, std::string_view message);

// KEEL_VERBOSE: read once.
bool verbose();
// Trace lines printed only when verbose().
void trace(std::string_view source, std::string_view message);

}  // namespace keel::log
