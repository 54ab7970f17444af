// Timeline events: a uint64 value that only grows, plus an error state that poisons the event for good.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "keel/keel_plugin.h"

namespace keel::reference {

class Device;

// Why an event or a queue failed: the code and message every later status repeats.
struct Failure {
  keel_status_code_t code;
  std::string message;
};

// Thread-safe: any thread may signal, query, wait on or fail an event at any time.
class Event {
 public:
  Event(Device& device, uint64_t initial_value) : device_(device), value_(initial_value) {}

  Device& device() const { return device_; }

  // Raises the value and wakes the waiters. INVALID_ARGUMENT below the current value; the event's own error
  // once it has failed.
  void signal(uint64_t value);
  // The current value, or the event's error once it has failed.
  uint64_t query() const;

  struct WaitResult {
    bool reached = false;            // the value is at least the one waited for
    std::optional<Failure> failure;  // set when the event failed (then `reached` is false)
  };
  // Blocks until the value reaches `value`, the event fails or `timeout_ns` passes (KEEL_WAIT_INFINITE: never).
  WaitResult wait(uint64_t value, uint64_t timeout_ns) const;

  // Puts the event into the error state and wakes every waiter. The first failure wins; later ones are
  // ignored. INVALID_ARGUMENT for KEEL_STATUS_OK or a code outside the enum.
  void set_failure(keel_status_code_t code, std::string message);

 private:
  [[noreturn]] void throw_failure() const;  // requires mutex_ held and failure_ set

  Device& device_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  uint64_t value_;
  std::optional<Failure> failure_;
};

}  // namespace keel::reference
