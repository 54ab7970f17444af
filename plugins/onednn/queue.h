// Queues of the oneDNN CPU device. The device is synchronous (no KEEL_CAP_ASYNC): every queue call finishes
// its work, on the calling thread and the OpenMP pool, before it returns. A queue therefore holds no pending
// work, only its error state and the oneDNN stream its primitives execute on.
//
// Errors follow keel_plugin.h: a queue_wait on a failed event poisons the queue. Until the next
// queue_synchronize (which returns that failure once and clears it) the queue skips the copies, fills and
// kernels enqueued on it, fails every event it signals with the same code and message, and still runs host
// callbacks so that nobody waits on them forever. Argument errors are returned at once.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "event.h"

namespace dnnl {
struct stream;
}

namespace keel::onednn {

class Device;

// Externally synchronized (one thread at a time), like every Keel queue.
class Queue {
 public:
  explicit Queue(Device& device);
  ~Queue();
  Queue(const Queue&) = delete;
  Queue& operator=(const Queue&) = delete;

  Device& device() const { return device_; }

  bool poisoned() const { return failure_.has_value(); }
  template <class Work>
  void run(Work&& work) {
    if (!poisoned()) work();
  }

  void signal(Event& event, uint64_t value);
  // Blocks the calling thread until `event` reaches `value`; poisons the queue when the event has failed.
  void wait(const Event& event, uint64_t value);
  std::optional<Failure> take_failure();

  // The in-order oneDNN stream of this queue, created on first use.
  dnnl::stream& stream();

 private:
  Device& device_;
  std::optional<Failure> failure_;
  std::unique_ptr<dnnl::stream> stream_;
};

}  // namespace keel::onednn
