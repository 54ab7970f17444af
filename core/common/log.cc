#include "common/log.h"

#include <cstdio>
#include <mutex>
#include <string>

#include "common/env.h"

namespace keel::log {
namespace {

uint32_t configured_level() {
  static const uint32_t level = [] {
    std::string value = env::get("KEEL_LOG_LEVEL").value_or("warning");
    if (value == "error") return uint32_t{KEEL_LOG_ERROR};
    if (value == "info") return uint32_t{KEEL_LOG_INFO};
    if (value == "debug") return uint32_t{KEEL_LOG_DEBUG};
    return uint32_t{KEEL_LOG_WARNING};
  }();
  return verbose() ? uint32_t{KEEL_LOG_DEBUG} : level;
}

const char* level_name(uint32_t level) {
  switch (level) {
    case KEEL_LOG_ERROR: return "error";
    case KEEL_LOG_WARNING: return "warning";
    case KEEL_LOG_INFO: return "info";
    default: return "debug";
  }
}

std::mutex& output_mutex() {
  static std::mutex mutex;
  return mutex;
}

}  // namespace

bool verbose() {
  static const bool on = env::flag("KEEL_VERBOSE");
  return on;
}

bool enabled(uint32_t level) { return level <= configured_level(); }

void write(uint32_t level, std::string_view source, std::string_view message) {
  if (!enabled(level)) {
    return;
  }
  std::lock_guard<std::mutex> lock(output_mutex());
  std::fprintf(stderr, "keel[%.*s] %s: %.*s\n", static_cast<int>(source.size()), source.data(),
               level_name(level), static_cast<int>(message.size()), message.data());
}

void trace(std::string_view source, std::string_view message) {
  if (!verbose()) {
    return;
  }
  std::lock_guard<std::mutex> lock(output_mutex());
  std::fprintf(stderr, "keel[%.*s] %.*s\n", static_cast<int>(source.size()), source.data(),
               static_cast<int>(message.size()), message.data());
}

}  // namespace keel::log
