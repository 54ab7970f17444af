// Queues of the reference device. The device is synchronous (no KEEL_CAP_ASYNC): every queue call does its
// work before it returns, so a queue holds no pending work, only its error state.
//
// Error propagation follows keel_plugin.h: a queue_wait on a failed event poisons the queue. From then until
// the next queue_synchronize (which returns the failure and clears it), the queue skips the copies, fills and
// kernels enqueued on it (they would depend on the failed wait), fails every event it signals with the same
// code and message, and still runs host callbacks so that nobody waits forever on them. Argument errors
// (bad ranges, bad pattern sizes) are still returned at once.
#pragma once

#include <cstdint>
#include <optional>

#include "event.h"

namespace keel::reference {

class Device;

// Externally synchronized, like every Keel queue: one thread at a time.
class Queue {
 public:
  explicit Queue(Device& device) : device_(device) {}

  Device& device() const { return device_; }

  bool poisoned() const { return failure_.has_value(); }
  // Runs `work` unless the queue is poisoned.
  template <class Work>
  void run(Work&& work) {
    if (!poisoned()) work();
  }

  // Sets `event` to `value`, or fails it when the queue is poisoned.
  void signal(Event& event, uint64_t value);
  // Blocks the calling thread until `event` reaches `value` (the device has no other way to hold work back);
  // poisons the queue when the event has failed.
  void wait(const Event& event, uint64_t value);
  // The failure since the last call, if any; clears it.
  std::optional<Failure> take_failure();

 private:
  Device& device_;
  std::optional<Failure> failure_;
};

}  // namespace keel::reference
