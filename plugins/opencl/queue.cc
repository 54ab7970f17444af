#include "queue.h"

#include <algorithm>
#include <atomic>
#include <utility>
#include <vector>

#include "cl/error.h"
#include "device.h"
#include "worker.h"

namespace keel::opencl {
namespace {

// Commands kept for checking before the oldest finished ones are polled and dropped.
constexpr size_t kPollThreshold = 256;

}  // namespace

struct Queue::Held {
  enum class Kind { kWork, kWait, kSignal, kCallback };
  Kind kind = Kind::kWork;
  Work work;
  EventRef event;
  uint64_t value = 0;
  keel_host_callback_fn callback = nullptr;
  void* user_data = nullptr;
};

// What a marker's completion callback does: signal an event, or call a host callback.
struct Queue::Marker {
  Queue* queue = nullptr;
  uint64_t position = 0;
  cl_event event = nullptr;
  EventRef signal;
  uint64_t value = 0;
  keel_host_callback_fn callback = nullptr;
  void* user_data = nullptr;
  // Whoever sets it first completes the marker: the driver's callback, or the queue when the driver fails
  // the marker without calling back (PoCL 3.1 does that for commands behind a failed one).
  std::atomic<bool> claimed{false};
};

// ---- Stream ---------------------------------------------------------------------------------------------

cl_command_queue Stream::queue() const { return queue_.queue_.get(); }
Device& Stream::device() const { return queue_.device_; }

void Stream::track(cl_event event, const char* what) {
  queue_.commands_.push_back(Queue::Tracked{queue_.next_position_++, event, what});
  if (queue_.commands_.size() >= kPollThreshold) queue_.check_commands(UINT64_MAX, false);
}

void Stream::write(cl_mem buffer, uint64_t offset, uint64_t size, const void* src) {
  cl_event event = nullptr;
  check(clEnqueueWriteBuffer(queue(), buffer, CL_FALSE, offset, size, src, 0, nullptr, &event),
        "clEnqueueWriteBuffer");
  track(event, "a write to the device");
}

void Stream::read(cl_mem buffer, uint64_t offset, uint64_t size, void* dst) {
  cl_event event = nullptr;
  check(clEnqueueReadBuffer(queue(), buffer, CL_FALSE, offset, size, dst, 0, nullptr, &event),
        "clEnqueueReadBuffer");
  track(event, "a read from the device");
}

void Stream::copy(cl_mem src, uint64_t src_offset, cl_mem dst, uint64_t dst_offset, uint64_t size) {
  cl_event event = nullptr;
  check(clEnqueueCopyBuffer(queue(), src, dst, src_offset, dst_offset, size, 0, nullptr, &event),
        "clEnqueueCopyBuffer");
  track(event, "a copy");
}

void Stream::fill(cl_mem buffer, uint64_t offset, uint64_t size, const void* pattern, uint32_t pattern_size) {
  cl_event event = nullptr;
  check(clEnqueueFillBuffer(queue(), buffer, pattern, pattern_size, offset, size, 0, nullptr, &event),
        "clEnqueueFillBuffer");
  track(event, "a fill");
}

void Stream::barrier(const cl_event* events, cl_uint count) {
  cl_event event = nullptr;
  check(clEnqueueBarrierWithWaitList(queue(), count, events, &event), "clEnqueueBarrierWithWaitList");
  track(event, "a barrier");
}

// ---- Queue ----------------------------------------------------------------------------------------------

std::shared_ptr<Queue> Queue::create(Device& device) {
  cl_int error = CL_SUCCESS;
  ClRef<cl_command_queue> queue(clCreateCommandQueue(device.context(), device.id(), 0, &error));
  check(error, "clCreateCommandQueue");
  return std::shared_ptr<Queue>(new Queue(device, std::move(queue)));
}

Queue::Queue(Device& device, ClRef<cl_command_queue> queue) : device_(device), queue_(std::move(queue)) {}

Queue::~Queue() {
  for (const Tracked& command : commands_) clReleaseEvent(command.event);
}

void Queue::record_failure(uint64_t position, Failure failure) {
  if (failure_) return;  // the first failure wins
  failure_ = std::move(failure);
  failure_position_ = position;
}

std::optional<Failure> Queue::failure_before(uint64_t position) const {
  if (failure_ && failure_position_ < position) return failure_;
  return std::nullopt;
}

void Queue::check_commands(uint64_t before_position, bool wait_for_all) {
  while (!commands_.empty() && commands_.front().position < before_position) {
    const Tracked& command = commands_.front();
    cl_int status = CL_COMPLETE;
    if (wait_for_all) clWaitForEvents(1, &command.event);  // a failed command is reported by its status below
    const cl_int error =
        clGetEventInfo(command.event, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof status, &status, nullptr);
    if (error != CL_SUCCESS) status = error;
    if (status > CL_COMPLETE) return;  // still running: checked next time
    if (status < 0) {
      record_failure(command.position, Failure{status_code_of(status), concat("OpenCL reported ", cl_error_name(status),
                                                                              " for ", command.what, " on this queue")});
    }
    clReleaseEvent(command.event);
    commands_.pop_front();
  }
}

Queue::AfterUnlock::AfterUnlock() = default;
Queue::AfterUnlock::AfterUnlock(AfterUnlock&&) noexcept = default;
Queue::AfterUnlock& Queue::AfterUnlock::operator=(AfterUnlock&&) noexcept = default;
Queue::AfterUnlock::~AfterUnlock() = default;

void Queue::enqueue_marker(std::unique_ptr<Marker> marker, AfterUnlock& after) {
  cl_event event = nullptr;
  check(clEnqueueMarkerWithWaitList(queue_.get(), 0, nullptr, &event), "clEnqueueMarkerWithWaitList");
  marker->queue = this;
  marker->position = next_position_++;
  marker->event = event;
  callbacks_in_flight_ += 1;
  markers_.push_back(marker.get());
  after.markers.push_back(std::move(marker));
}

void Queue::finish(AfterUnlock& after) {
  for (std::unique_ptr<Marker>& marker : after.markers) {
    const cl_event event = marker->event;
    Marker* owned = marker.release();  // on_marker deletes it
    if (clSetEventCallback(event, CL_COMPLETE, &Queue::on_marker, owned) != CL_SUCCESS) {
      // No callback: wait here and do what it would have done.
      cl_int status = CL_COMPLETE;
      clWaitForEvents(1, &event);
      clGetEventInfo(event, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof status, &status, nullptr);
      on_marker(event, std::min(status, CL_COMPLETE), owned);
    }
  }
  after.markers.clear();
  for (auto& [event, failure] : after.failed_signals) event->set_failure(failure.code, failure.message);
  after.failed_signals.clear();
}

void CL_CALLBACK Queue::on_marker(cl_event /*event*/, cl_int status, void* user_data) {
  auto* marker = static_cast<Marker*>(user_data);
  if (marker->claimed.exchange(true)) return;  // the queue completed it already and keeps it
  const std::unique_ptr<Marker> owned(marker);
  owned->queue->complete(*owned, status);
}

void Queue::complete(Marker& marker, cl_int status) {
  std::optional<Failure> failure;
  {
    const std::lock_guard lock(mutex_);
    markers_.erase(std::remove(markers_.begin(), markers_.end(), &marker), markers_.end());
    check_commands(marker.position, false);
    if (status < 0) {
      record_failure(marker.position - 1, Failure{status_code_of(status), concat("OpenCL reported ", cl_error_name(status),
                                                                                 " for a marker on this queue")});
    }
    failure = failure_before(marker.position);
  }
  clReleaseEvent(marker.event);
  // No plugin lock is held from here until the count goes down.
  try {
    if (marker.signal.get() != nullptr) {
      if (failure) {
        marker.signal->set_failure(failure->code, failure->message);
      } else {
        marker.signal->raise_to(marker.value);
      }
    }
  } catch (...) {
    // set_failure only throws for codes outside the enum, which a Failure never holds.
  }
  if (marker.callback != nullptr) marker.callback(marker.user_data);
  marker.signal = EventRef();
  const std::lock_guard lock(mutex_);
  callbacks_in_flight_ -= 1;
  idle_.notify_all();  // the queue may be destroyed once this lock is released
}

void Queue::complete_failed_markers() {
  std::vector<std::pair<Marker*, cl_int>> orphans;
  {
    const std::lock_guard lock(mutex_);
    for (Marker* marker : markers_) {
      cl_int status = CL_COMPLETE;
      if (clGetEventInfo(marker->event, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof status, &status, nullptr) !=
              CL_SUCCESS ||
          status >= 0 || marker->claimed.exchange(true)) {
        continue;
      }
      orphans.emplace_back(marker, status);
    }
  }
  for (auto& [marker, status] : orphans) {
    complete(*marker, status);
    // The driver might still call back one day: the marker stays allocated, claimed, until the device goes.
    device_.keep_until_shutdown(std::shared_ptr<void>(marker, [](void* p) { delete static_cast<Marker*>(p); }));
  }
}

void Queue::arm(Event& event, uint64_t value) {
  std::weak_ptr<Queue> weak = weak_from_this();
  Worker* worker = &device_.worker();
  auto notify = [weak, worker] {
    worker->post([weak] {
      if (const std::shared_ptr<Queue> queue = weak.lock()) queue->flush();
    });
  };
  if (!event.when_settled(value, notify)) notify();
}

void Queue::drain(AfterUnlock& after) {
  std::vector<std::pair<EventRef, Failure>>& failed_signals = after.failed_signals;
  while (!held_.empty()) {
    Held held = std::move(held_.front());
    switch (held.kind) {
      case Held::Kind::kWait: {
        if (cancelling_) break;
        const Event::Snapshot now = held.event->snapshot();
        if (now.failure) {
          record_failure(next_position_ - 1, *now.failure);
        } else if (now.value < held.value) {
          held_.front() = std::move(held);
          arm(*held_.front().event.get(), held_.front().value);
          return;
        }
        break;
      }
      case Held::Kind::kWork:
        if (failure_ || cancelling_) break;
        try {
          Stream stream(*this);
          held.work(stream);
        } catch (const Error& error) {
          record_failure(next_position_ - 1, Failure{error.code(), error.message()});
        } catch (const std::exception& error) {
          record_failure(next_position_ - 1, Failure{KEEL_STATUS_INTERNAL, error.what()});
        }
        break;
      case Held::Kind::kSignal:
        if (failure_) {
          failed_signals.emplace_back(std::move(held.event), *failure_);
        } else if (cancelling_) {
          failed_signals.emplace_back(std::move(held.event),
                                      Failure{KEEL_STATUS_CANCELLED, "the queue was released while this signal "
                                                                     "waited behind an event that was never reached"});
        } else {
          auto marker = std::make_unique<Marker>();
          marker->signal = held.event;
          marker->value = held.value;
          try {
            enqueue_marker(std::move(marker), after);
          } catch (const Error& error) {
            record_failure(next_position_ - 1, Failure{error.code(), error.message()});
            failed_signals.emplace_back(std::move(held.event), *failure_);
          }
        }
        break;
      case Held::Kind::kCallback: {
        auto marker = std::make_unique<Marker>();
        marker->callback = held.callback;
        marker->user_data = held.user_data;
        try {
          enqueue_marker(std::move(marker), after);
        } catch (const Error& error) {
          record_failure(next_position_ - 1, Failure{error.code(), error.message()});
        }
        break;
      }
    }
    held_.pop_front();
  }
  idle_.notify_all();
}

void Queue::flush() {
  AfterUnlock after;
  {
    const std::lock_guard lock(mutex_);
    drain(after);
  }
  finish(after);
}

void Queue::submit(Work work) {
  const std::lock_guard lock(mutex_);
  if (failure_) return;  // the error state skips work until the next synchronize
  if (!held_.empty()) {
    Held held;
    held.kind = Held::Kind::kWork;
    held.work = std::move(work);
    held_.push_back(std::move(held));
    return;
  }
  Stream stream(*this);
  work(stream);
}

void Queue::host_callback(keel_host_callback_fn callback, void* user_data) {
  AfterUnlock after;
  {
    const std::lock_guard lock(mutex_);
    if (!held_.empty()) {
      Held held;
      held.kind = Held::Kind::kCallback;
      held.callback = callback;
      held.user_data = user_data;
      held_.push_back(std::move(held));
      return;
    }
    auto marker = std::make_unique<Marker>();
    marker->callback = callback;
    marker->user_data = user_data;
    enqueue_marker(std::move(marker), after);
  }
  finish(after);
}

void Queue::signal(Event& event, uint64_t value) {
  const Event::Snapshot now = event.snapshot();
  if (!now.failure && value < now.value) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "value ", value, " is below the event's current value ", now.value,
         " (a timeline event never goes back)");
  }
  AfterUnlock after;
  {
    const std::lock_guard lock(mutex_);
    if (failure_) {
      after.failed_signals.emplace_back(EventRef(&event), *failure_);
    } else if (!held_.empty()) {
      Held held;
      held.kind = Held::Kind::kSignal;
      held.event = EventRef(&event);
      held.value = value;
      held_.push_back(std::move(held));
    } else {
      auto marker = std::make_unique<Marker>();
      marker->signal = EventRef(&event);
      marker->value = value;
      enqueue_marker(std::move(marker), after);
    }
  }
  finish(after);
}

void Queue::wait(Event& event, uint64_t value) {
  const std::lock_guard lock(mutex_);
  if (held_.empty()) {
    const Event::Snapshot now = event.snapshot();
    if (now.failure) {
      record_failure(next_position_ - 1, *now.failure);
      return;
    }
    if (now.value >= value) return;  // nothing to wait for
  }
  Held held;
  held.kind = Held::Kind::kWait;
  held.event = EventRef(&event);
  held.value = value;
  held_.push_back(std::move(held));
  if (held_.size() == 1) arm(event, value);
}

std::optional<Failure> Queue::synchronize() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [&] { return held_.empty(); });
  lock.unlock();
  const cl_int finished = clFinish(queue_.get());
  complete_failed_markers();
  lock.lock();
  idle_.wait(lock, [&] { return callbacks_in_flight_ == 0; });
  check_commands(UINT64_MAX, true);
  if (finished != CL_SUCCESS) {
    record_failure(next_position_ - 1,
                   Failure{status_code_of(finished), concat("clFinish failed: ", cl_error_name(finished))});
  }
  return std::exchange(failure_, std::nullopt);
}

void Queue::close() {
  AfterUnlock after;
  {
    const std::lock_guard lock(mutex_);
    cancelling_ = true;
    drain(after);
  }
  finish(after);
  synchronize();
}

}  // namespace keel::opencl
