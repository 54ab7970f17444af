// Timeline events: a uint64 value that only grows, plus an error state that, once set, stays.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "keel/keel_plugin.h"

namespace keel::onednn {

class Device;

// Why an event or a queue failed; every later status repeats this code and message.
struct Failure {
  keel_status_code_t code;
  std::string message;
};

// Thread-safe: any thread may signal, query, wait on or fail an event at any time.
class Event {
 public:
  Event(Device& device, uint64_t initial_value) : device_(device), value_(initial_value) {}

  Device& device() const { return device_; }

  // INVALID_ARGUMENT below the current value; the event's error once it has failed.
  void signal(uint64_t value);
  // The current value, or the event's error once it has failed.
  uint64_t query() const;

  struct WaitResult {
    bool reached = false;
    std::optional<Failure> failure;  // set when the event has failed (`reached` is then false)
  };
  // Blocks until the value reaches `value`, the event fails, or `timeout_ns` passes (KEEL_WAIT_INFINITE: never).
  WaitResult wait(uint64_t value, uint64_t timeout_ns) const;

  // The first failure wins; later ones change nothing. INVALID_ARGUMENT for OK or a code outside the enum.
  void set_failure(keel_status_code_t code, std::string message);

 private:
  [[noreturn]] void throw_failure() const;  // mutex_ held, failure_ set

  Device& device_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  uint64_t value_;
  std::optional<Failure> failure_;
};

}  // namespace keel::onednn
