#include "common/env.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace keel::env {

std::optional<std::string> get(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') {
    return std::nullopt;
  }
  return std::string(value);
}

bool flag(const char* name) {
  std::optional<std::string> value = get(name);
  if (!value) {
    return false;
  }
  std::string lower = *value;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return lower == "1" || lower == "true" || lower == "yes" || lower == "on";
}

}  // namespace keel::env
