// Errors of the graph library: keel::Error (keel.hpp) with source "keel", thrown and caught in C++ only.
#pragma once

#include <string>
#include <string_view>

#include "keel/keel.hpp"

namespace keel::graph {

[[noreturn]] inline void fail(keel_status_code_t code, const std::string& message) {
  throw Error(code, message, "keel");
}
[[noreturn]] inline void fail_invalid(const std::string& message) { fail(KEEL_STATUS_INVALID_ARGUMENT, message); }

// The message of an Error without the "CODE: " prefix that Error::what() carries.
inline std::string error_text(const Error& error) {
  std::string_view text = error.what();
  const std::string_view prefix = keel_status_code_name(error.code());
  if (text.substr(0, prefix.size()) == prefix && text.substr(prefix.size(), 2) == ": ") {
    text.remove_prefix(prefix.size() + 2);
  }
  return std::string(text);
}

}  // namespace keel::graph
