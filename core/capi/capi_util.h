// Helpers shared by the C entry points in this directory.
#pragma once

#include <algorithm>
#include <cstring>
#include <string>

#include "status/status.h"

namespace keel::capi {

inline keel_status_t null_argument(const char* function, const char* argument) {
  return make_status(KEEL_STATUS_INVALID_ARGUMENT, std::string(function) + ": argument '" + argument + "' is NULL");
}

// Copies `value` into a caller's struct whose struct_size may be smaller (older headers) or larger (newer
// headers) than ours; only the common prefix is written and the caller's struct_size is kept.
template <class T>
keel_status_t fill_sized(const char* function, const char* argument, T* inout, const T& value) {
  if (inout == nullptr) {
    return null_argument(function, argument);
  }
  const size_t size = inout->struct_size;
  if (size < sizeof(size_t)) {
    return make_status(KEEL_STATUS_INVALID_ARGUMENT,
                       std::string(function) + ": " + argument + "->struct_size is not set");
  }
  const size_t common = std::min(size, sizeof(T));
  std::memcpy(reinterpret_cast<char*>(inout) + sizeof(size_t), reinterpret_cast<const char*>(&value) + sizeof(size_t),
              common - sizeof(size_t));
  return nullptr;
}

// True when [offset, offset + size) lies within `capacity` (without overflowing).
inline bool range_fits(uint64_t offset, uint64_t size, uint64_t capacity) {
  return offset <= capacity && size <= capacity - offset;
}

}  // namespace keel::capi
