// Queues: a Keel queue is an in-order cl_command_queue plus the host-side state that makes it follow the
// queue rules of keel_plugin.h on an asynchronous device.
//
// Submission. Work is handed to OpenCL at once (non-blocking enqueues), except behind a queue_wait whose
// event has not reached its value yet: from there on the queue keeps its work on the host, in order, and the
// plugin's worker thread submits it when the event settles. Holding work on the host, rather than behind an
// OpenCL user event, keeps the queue's objects releasable at any time (OpenCL forbids releasing objects
// while a user event in some wait list is unset) and lets a failed wait skip what follows it.
//
// Errors. A queue enters its error state when an event it waits on fails, or when one of its OpenCL
// commands ends with a negative execution status. Every command is enqueued with an event, and those events
// are checked at each checkpoint: the completion of a signal or host-callback marker, synchronize, and every
// few hundred commands. From the error on, work not yet handed to OpenCL is skipped, every event the queue
// signals after the failure point is failed with the same code and message, host callbacks still run, and
// the next synchronize returns the failure and clears it. Commands the device already had when a failure
// was detected cannot be taken back (an OpenCL driver may stop or run them).
//
// Signals and host callbacks are markers (clEnqueueMarkerWithWaitList) with a completion callback
// (clSetEventCallback); the callback runs on the driver's thread with no plugin lock held. A driver that
// fails a marker without calling back (PoCL does, for commands behind a failed one) has it completed by
// the next synchronize instead.
#pragma once

#include <CL/cl.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "cl/handle.h"
#include "event.h"
#include "keel/keel_plugin.h"

namespace keel::opencl {

class Device;
class Queue;

// Where work goes once it is handed to OpenCL. Only valid inside Queue::submit's callback (the queue's
// mutex is held): enqueue non-blocking commands and pass each one's event to track().
class Stream {
 public:
  cl_command_queue queue() const;
  Device& device() const;
  // Takes over `event` (the event of a command just enqueued) and checks it at the next checkpoint;
  // `what` names the command in error messages (static storage).
  void track(cl_event event, const char* what);

  // The usual commands. Ranges are checked by the caller.
  void write(cl_mem buffer, uint64_t offset, uint64_t size, const void* src);
  void read(cl_mem buffer, uint64_t offset, uint64_t size, void* dst);
  void copy(cl_mem src, uint64_t src_offset, cl_mem dst, uint64_t dst_offset, uint64_t size);
  // `pattern_size` is 1, 2, 4 or 8 and divides both offset and size (clEnqueueFillBuffer's rule).
  void fill(cl_mem buffer, uint64_t offset, uint64_t size, const void* pattern, uint32_t pattern_size);
  // A barrier that also waits for `events` (test hooks and cross-queue dependencies).
  void barrier(const cl_event* events, cl_uint count);

 private:
  friend class Queue;
  explicit Stream(Queue& queue) : queue_(queue) {}
  Queue& queue_;
};

using Work = std::function<void(Stream&)>;

// Externally synchronized like every Keel queue; internally the worker thread and the completion callbacks
// also touch it, under its mutex.
class Queue : public std::enable_shared_from_this<Queue> {
 public:
  static std::shared_ptr<Queue> create(Device& device);
  ~Queue();

  Queue(const Queue&) = delete;
  Queue& operator=(const Queue&) = delete;

  Device& device() const { return device_; }

  // Runs `work` on a Stream now, keeps it for later (behind an unsettled wait), or skips it (error state).
  // Errors thrown by `work` now are returned to the caller; later ones put the queue in its error state.
  void submit(Work work);
  void host_callback(keel_host_callback_fn callback, void* user_data);
  void signal(Event& event, uint64_t value);
  void wait(Event& event, uint64_t value);
  // Waits for everything enqueued (held-back work, OpenCL commands, completion callbacks) and returns the
  // first failure since the last call, clearing it.
  std::optional<Failure> synchronize();
  // For queue_release: cancels held-back work that still waits on an event (its signals fail with
  // CANCELLED, its host callbacks run), then waits like synchronize.
  void close();

 private:
  friend class Stream;
  struct Held;
  struct Marker;
  // What a call does once it has released the mutex: register completion callbacks (a driver may run one
  // at once, on the registering thread, when the marker has already completed) and fail events.
  struct AfterUnlock {
    std::vector<std::unique_ptr<Marker>> markers;
    std::vector<std::pair<EventRef, Failure>> failed_signals;
    AfterUnlock();
    AfterUnlock(AfterUnlock&&) noexcept;
    AfterUnlock& operator=(AfterUnlock&&) noexcept;
    ~AfterUnlock();
  };

  Queue(Device& device, ClRef<cl_command_queue> queue);

  // All of these require mutex_ held.
  void record_failure(uint64_t position, Failure failure);
  std::optional<Failure> failure_before(uint64_t position) const;
  void check_commands(uint64_t before_position, bool wait_for_all);
  void enqueue_marker(std::unique_ptr<Marker> marker, AfterUnlock& after);
  void arm(Event& event, uint64_t value);
  // Submits held work until it meets an unsettled wait.
  void drain(AfterUnlock& after);
  // Without mutex_ held.
  static void finish(AfterUnlock& after);

  void flush();  // on the worker thread
  static void CL_CALLBACK on_marker(cl_event event, cl_int status, void* user_data);
  // Signals or fails the marker's event and runs its host callback (without mutex_ held).
  void complete(Marker& marker, cl_int status);
  // Completes the markers the driver failed without calling back (once the queue is finished).
  void complete_failed_markers();

  Device& device_;
  ClRef<cl_command_queue> queue_;

  std::mutex mutex_;
  std::condition_variable idle_;  // held_ emptied, or a callback finished
  uint64_t next_position_ = 1;    // position of the next command in the stream
  std::optional<Failure> failure_;
  uint64_t failure_position_ = 0;
  struct Tracked {
    uint64_t position;
    cl_event event;
    const char* what;
  };
  std::deque<Tracked> commands_;  // enqueued, not yet checked
  std::deque<Held> held_;         // work held back behind an unsettled wait
  std::vector<Marker*> markers_;  // enqueued markers whose completion has not run yet
  uint32_t callbacks_in_flight_ = 0;
  bool cancelling_ = false;
};

}  // namespace keel::opencl
