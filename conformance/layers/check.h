// Small helpers every layer's case runners use: a failure that ends the case with a reason, status
// consumption, and status text.
#pragma once

#include <string>
#include <utility>

#include "keel/keel_runtime.h"

namespace keel::conform {

// Thrown inside a worker to end a case as failed. Never crosses the C ABI.
struct CaseFailure {
  std::string reason;
};

[[noreturn]] inline void fail_case(std::string reason) { throw CaseFailure{std::move(reason)}; }

inline void require(bool condition, const std::string& reason) {
  if (!condition) fail_case(reason);
}

// Owns a status returned by the runtime API and releases it.
class StatusHolder {
 public:
  explicit StatusHolder(keel_status_t status) : status_(status) {}
  ~StatusHolder() { keel_status_release(status_); }
  StatusHolder(const StatusHolder&) = delete;
  StatusHolder& operator=(const StatusHolder&) = delete;

  bool ok() const { return status_ == nullptr; }
  keel_status_code_t code() const { return keel_status_code(status_); }
  std::string message() const { return keel_status_message(status_); }
  // "OK" or "DATA_LOSS: message"
  std::string text() const {
    return ok() ? "OK" : std::string(keel_status_code_name(code())) + ": " + message();
  }

 private:
  keel_status_t status_;
};

// Fails the case unless `status` is OK; `what` names the call.
inline void require_ok(keel_status_t status, const std::string& what) {
  StatusHolder held(status);
  if (!held.ok()) fail_case(what + " failed: " + held.text());
}

// Fails the case unless `status` has `code`.
inline void require_code(keel_status_t status, keel_status_code_t code, const std::string& what) {
  StatusHolder held(status);
  if (held.code() != code) {
    fail_case(what + " returned " + held.text() + ", expected " + keel_status_code_name(code));
  }
}

}  // namespace keel::conform
