// How the plugin talks back to libkeel: the host table kept from init, the error type the plugin's C++ code
// throws, and the guard that turns anything thrown into a status at each C entry point.
#pragma once

#include <cstdio>
#include <exception>
#include <new>
#include <sstream>
#include <string>
#include <utility>

#include "keel/keel_plugin.h"

namespace keel::cuda {

// A failure with its status code. Thrown inside the plugin; never crosses the ABI.
class Error {
 public:
  Error(keel_status_code_t code, std::string message) : code_(code), message_(std::move(message)) {}

  // An error passed on unchanged (a failed event, a poisoned queue): its message gets no prefix.
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

// Why an event or a queue failed: the code and message every later status repeats.
struct Failure {
  keel_status_code_t code;
  std::string message;
};

// Streams every part into one string: concat("size ", 12, " bytes").
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

// The host table handed to keel_plugin_init. Only the slots its struct_size covers are used.
class Host {
 public:
  // True when `table` can create statuses, i.e. when a failure could be reported at all.
  static bool can_report(const keel_host_api_t* table);

  explicit Host(const keel_host_api_t* table) : table_(table) {}

  // A new status owned by the caller. Never NULL for a non-OK code.
  keel_status_t status(keel_status_code_t code, const char* message) const noexcept;
  // Logs through the host when it offers logging; otherwise drops the line.
  void log(keel_log_level_e level, const std::string& message) const noexcept;
  // An Error carrying the code and message of a status the host returned, with `context` in front; releases
  // the status.
  Error consume(keel_status_t status, const std::string& context) const;
  // NULL when the host offers no kernel registration.
  auto kernel_register_slot() const -> decltype(keel_host_api_t::kernel_register);
  void* context() const { return table_->host_ctx; }

  // Runs `body` and returns NULL, or the status for what it threw; `where` (a function or kernel name)
  // prefixes the message unless it is empty. This is where C++ exceptions stop.
  template <class Body>
  keel_status_t guard(const char* where, Body&& body) const noexcept;

 private:
  keel_status_t status_from_text(keel_status_code_t code, const char* where, const char* text) const noexcept;

  const keel_host_api_t* table_;
};

template <class Body>
keel_status_t Host::guard(const char* where, Body&& body) const noexcept {
  try {
    std::forward<Body>(body)();
    return nullptr;
  } catch (const Error& error) {
    if (error.is_relayed()) return status(error.code(), error.message().c_str());
    return status_from_text(error.code(), where, error.message().c_str());
  } catch (const std::bad_alloc&) {
    return status_from_text(KEEL_STATUS_RESOURCE_EXHAUSTED, where, "out of host memory");
  } catch (const std::exception& error) {
    return status_from_text(KEEL_STATUS_INTERNAL, where, error.what());
  } catch (...) {
    return status_from_text(KEEL_STATUS_INTERNAL, where, "unknown exception");
  }
}

}  // namespace keel::cuda
