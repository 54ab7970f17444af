// Timeline events: a uint64 value that only grows, plus an error state that poisons the event for good.
//
// Events live on the host. A queue signals one from an OpenCL completion callback (queue.h), and a queue
// that must wait for one holds its later work back until the event notifies it (Event::when_settled). An
// event is reference-counted so that work still in flight can signal it after the host released its handle.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "keel/keel_plugin.h"

namespace keel::opencl {

class Device;

// Why an event or a queue failed: the code and message every later status repeats.
struct Failure {
  keel_status_code_t code;
  std::string message;
};

// Thread-safe: any thread may signal, query, wait on or fail an event at any time.
class Event {
 public:
  // The new event holds one reference (the handle's).
  Event(Device& device, uint64_t initial_value) : device_(device), value_(initial_value) {}

  Device& device() const { return device_; }

  void retain() { references_.fetch_add(1, std::memory_order_relaxed); }
  // Deletes the event when the last reference goes.
  void release();

  // Host-side signal: raises the value and wakes the waiters. INVALID_ARGUMENT below the current value; the
  // event's own error once it has failed.
  void signal(uint64_t value);
  // Queue-side signal (from a completion callback): raises the value to at least `value`; never throws and
  // does nothing to a failed event.
  void raise_to(uint64_t value) noexcept;
  // The current value, or the event's error once it has failed.
  uint64_t query() const;
  // The current value and failure without throwing.
  struct Snapshot {
    uint64_t value = 0;
    std::optional<Failure> failure;
  };
  Snapshot snapshot() const;

  struct WaitResult {
    bool reached = false;            // the value is at least the one waited for
    std::optional<Failure> failure;  // set when the event failed (then `reached` is false)
  };
  // Blocks until the value reaches `value`, the event fails or `timeout_ns` passes (KEEL_WAIT_INFINITE: never).
  WaitResult wait(uint64_t value, uint64_t timeout_ns) const;

  // Puts the event into the error state and wakes every waiter. The first failure wins; later ones are
  // ignored. INVALID_ARGUMENT for KEEL_STATUS_OK or a code outside the enum.
  void set_failure(keel_status_code_t code, std::string message);

  // Calls `notify` once the value reaches `value` or the event fails, on the thread that causes it and with
  // no lock held; or returns false without calling it when that is already the case. `notify` must not block.
  bool when_settled(uint64_t value, std::function<void()> notify);

 private:
  struct Waiter {
    uint64_t value;
    std::function<void()> notify;
  };

  [[noreturn]] void throw_failure() const;  // requires mutex_ held and failure_ set
  // Removes the waiters that are settled now; the caller runs them after unlocking.
  std::vector<Waiter> take_settled();

  Device& device_;
  std::atomic<uint32_t> references_{1};
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  uint64_t value_;
  std::optional<Failure> failure_;
  std::vector<Waiter> waiters_;
};

// A counted reference to an Event, for work in flight.
class EventRef {
 public:
  EventRef() = default;
  explicit EventRef(Event* event) : event_(event) {
    if (event_ != nullptr) event_->retain();
  }
  EventRef(const EventRef& other) : EventRef(other.event_) {}
  EventRef(EventRef&& other) noexcept : event_(other.event_) { other.event_ = nullptr; }
  EventRef& operator=(EventRef other) noexcept {
    std::swap(event_, other.event_);
    return *this;
  }
  ~EventRef() {
    if (event_ != nullptr) event_->release();
  }
  Event* get() const { return event_; }
  Event* operator->() const { return event_; }

 private:
  Event* event_ = nullptr;
};

}  // namespace keel::opencl
