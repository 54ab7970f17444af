// Keel timeline events on a CUDA device: a uint64 value that only grows, plus an error state.
//
// The value lives on the host. A queue_signal records a CUDA event (a "marker") in the queue's stream and
// registers it here as pending for its value; the queue's completion thread raises the value once the
// stream has passed the marker (or fails the event if the stream failed). A queue_wait is resolved here:
// already reached (nothing to do), failed (the queue is poisoned), pending on a marker (the waiting stream
// waits for the marker on the GPU with cuStreamWaitEvent), or not yet signalled by anyone (the queue holds
// its later work on the host until this event changes).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "runtime/device.h"
#include "runtime/host.h"

namespace keel::cuda {

class Queue;

// Queues to tell that an event changed. State changes return one instead of calling the queues, so the
// caller can run it after releasing its own locks.
class Wakeup {
 public:
  void add(std::vector<std::weak_ptr<Queue>> queues);
  void add(Wakeup&& other);
  void run();

 private:
  std::vector<std::weak_ptr<Queue>> queues_;
};

class Event {
 public:
  Event(const Device& device, uint64_t initial_value) : device_(device), value_(initial_value) {}

  const Device& device() const { return device_; }

  // Host side (keel_plugin_api_t's event slots); thread-safe.
  // Raises the value. INVALID_ARGUMENT below the current value; the event's error once it has failed.
  void signal(uint64_t value);
  // The current value, or the event's error once it has failed.
  uint64_t query() const;
  struct WaitResult {
    bool reached = false;
    std::optional<Failure> failure;
  };
  // Blocks until the value reaches `value`, the event fails or `timeout_ns` passes.
  WaitResult wait(uint64_t value, uint64_t timeout_ns) const;
  // Puts the event into the error state (the first failure wins). INVALID_ARGUMENT for a non-error code.
  void fail(keel_status_code_t code, std::string message);

  // Queue side: each returns the queues to wake.
  [[nodiscard]] Wakeup fail_from_queue(const Failure& failure);
  [[nodiscard]] Wakeup reached_on_device(uint64_t value);
  [[nodiscard]] Wakeup add_pending(uint64_t value, Marker marker);

  // How a queue can wait for `value`.
  struct Resolution {
    enum Kind { kReached, kFailed, kOnDevice, kBlocked } kind;
    Failure failure;  // kFailed
    Marker marker;    // kOnDevice: a marker whose completion brings the value to at least `value`
  };
  // Registers `listener` to be woken on the next change when the answer is kBlocked.
  Resolution resolve(uint64_t value, const std::weak_ptr<Queue>& listener);

 private:
  // Requires mutex_: records the failure, wakes host waiters, hands over the listeners.
  Wakeup set_failure_locked(Failure failure);
  Wakeup raise_locked(uint64_t value);

  const Device& device_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  uint64_t value_;
  std::optional<Failure> failure_;
  std::vector<std::pair<uint64_t, Marker>> pending_;
  std::vector<std::weak_ptr<Queue>> listeners_;
};

}  // namespace keel::cuda
