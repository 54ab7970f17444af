// The error type the plugin's C++ code throws, and the helpers that build it. An Error never crosses the
// ABI: every C entry point catches it (Host::guard) and turns it into a keel_status_t.
#pragma once

#include <sstream>
#include <string>
#include <utility>

#include "keel/keel_status.h"

namespace keel::onednn {

class Error {
 public:
  Error(keel_status_code_t code, std::string message) : code_(code), message_(std::move(message)) {}

  // An error handed on unchanged (a failed event's): its message gets no "where:" prefix.
  static Error relayed(keel_status_code_t code, std::string message) {
    Error error(code, std::move(message));
    error.relayed_ = true;
    return error;
  }

  keel_status_code_t code() const { return code_; }
  const std::string& message() const { return message_; }
  bool is_relayed() const { return relayed_; }

 private:
  keel_status_code_t code_;
  std::string message_;
  bool relayed_ = false;
};

// concat("size ", 12, " bytes") == "size 12 bytes".
template <class... Parts>
std::string concat(const Parts&... parts) {
  std::ostringstream text;
  (text << ... << parts);
  return text.str();
}

template <class... Parts>
[[noreturn]] void fail(keel_status_code_t code, const Parts&... parts) {
  throw Error(code, concat(parts...));
}

// The usual way a kernel declines a call in supports(): the reason ends up in the dispatch report.
template <class... Parts>
[[noreturn]] void decline(const Parts&... parts) {
  throw Error(KEEL_STATUS_UNIMPLEMENTED, concat(parts...));
}

}  // namespace keel::onednn
