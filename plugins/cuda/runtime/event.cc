#include "runtime/event.h"

#include <algorithm>
#include <chrono>

#include "runtime/handles.h"
#include "runtime/queue.h"
#include "runtime/slots.h"

namespace keel::cuda {

// ---- Wakeup -----------------------------------------------------------------------------------------------------

void Wakeup::add(std::vector<std::weak_ptr<Queue>> queues) {
  for (auto& queue : queues) queues_.push_back(std::move(queue));
}

void Wakeup::add(Wakeup&& other) { add(std::move(other.queues_)); }

void Wakeup::run() {
  std::vector<std::weak_ptr<Queue>> queues = std::move(queues_);
  queues_.clear();
  for (const auto& weak : queues) {
    if (const std::shared_ptr<Queue> queue = weak.lock()) queue->resume();
  }
}

// ---- Event ------------------------------------------------------------------------------------------------------

Wakeup Event::set_failure_locked(Failure failure) {
  Wakeup wakeup;
  if (failure_) return wakeup;  // the first failure wins
  failure_ = std::move(failure);
  pending_.clear();
  changed_.notify_all();
  wakeup.add(std::exchange(listeners_, {}));
  return wakeup;
}

Wakeup Event::raise_locked(uint64_t value) {
  Wakeup wakeup;
  if (failure_ || value <= value_) return wakeup;
  value_ = value;
  std::erase_if(pending_, [&](const auto& entry) { return entry.first <= value_; });
  changed_.notify_all();
  wakeup.add(std::exchange(listeners_, {}));
  return wakeup;
}

void Event::signal(uint64_t value) {
  Wakeup wakeup;
  {
    const std::lock_guard lock(mutex_);
    if (failure_) throw Error::relayed(failure_->code, failure_->message);
    if (value < value_) {
      keel::cuda::fail(KEEL_STATUS_INVALID_ARGUMENT, "value ", value, " is below the current value ", value_,
           " (a timeline event never goes back)");
    }
    wakeup = raise_locked(value);
  }
  wakeup.run();
}

uint64_t Event::query() const {
  const std::lock_guard lock(mutex_);
  if (failure_) throw Error::relayed(failure_->code, failure_->message);
  return value_;
}

Event::WaitResult Event::wait(uint64_t value, uint64_t timeout_ns) const {
  // Timeouts beyond ~146 years count as infinite, which keeps the deadline arithmetic inside int64.
  constexpr uint64_t kForever = uint64_t{1} << 62;
  std::unique_lock lock(mutex_);
  const auto settled = [&] { return failure_.has_value() || value_ >= value; };
  if (timeout_ns >= kForever) {
    changed_.wait(lock, settled);
  } else {
    changed_.wait_for(lock, std::chrono::nanoseconds(static_cast<int64_t>(timeout_ns)), settled);
  }
  if (failure_) return {false, failure_};
  return {value_ >= value, std::nullopt};
}

void Event::fail(keel_status_code_t code, std::string message) {
  if (code == KEEL_STATUS_OK || code > KEEL_STATUS_DATA_LOSS) {
    keel::cuda::fail(KEEL_STATUS_INVALID_ARGUMENT, "code ", code, " is not an error code");
  }
  Wakeup wakeup;
  {
    const std::lock_guard lock(mutex_);
    wakeup = set_failure_locked(Failure{code, std::move(message)});
  }
  wakeup.run();
}

Wakeup Event::fail_from_queue(const Failure& failure) {
  const std::lock_guard lock(mutex_);
  return set_failure_locked(failure);
}

Wakeup Event::reached_on_device(uint64_t value) {
  const std::lock_guard lock(mutex_);
  return raise_locked(value);
}

Wakeup Event::add_pending(uint64_t value, Marker marker) {
  Wakeup wakeup;
  const std::lock_guard lock(mutex_);
  if (failure_ || value <= value_) return wakeup;
  pending_.emplace_back(value, std::move(marker));
  // A queue holding work for this value can now hand the wait to the GPU.
  wakeup.add(std::exchange(listeners_, {}));
  return wakeup;
}

Event::Resolution Event::resolve(uint64_t value, const std::weak_ptr<Queue>& listener) {
  const std::lock_guard lock(mutex_);
  if (failure_) return {Resolution::kFailed, *failure_, nullptr};
  if (value_ >= value) return {Resolution::kReached, {}, nullptr};
  // The earliest pending signal that is high enough.
  const std::pair<uint64_t, Marker>* best = nullptr;
  for (const auto& entry : pending_) {
    if (entry.first >= value && (best == nullptr || entry.first < best->first)) best = &entry;
  }
  if (best != nullptr) return {Resolution::kOnDevice, {}, best->second};
  const bool listed = std::any_of(listeners_.begin(), listeners_.end(), [&](const auto& known) {
    return !known.owner_before(listener) && !listener.owner_before(known);
  });
  if (!listed) listeners_.push_back(listener);
  return {Resolution::kBlocked, {}, nullptr};
}

}  // namespace keel::cuda

using keel::cuda::Device;
using keel::cuda::Error;
using keel::cuda::Event;
using keel::cuda::EventHandle;
using keel::cuda::fail;
using keel::cuda::from_handle;
using keel::cuda::to_handle;

extern "C" keel_status_t keel_cuda_event_create(keel_plugin_device_t* handle, uint64_t initial_value,
                                                keel_plugin_event_t** out_event) {
  const Device& device = *from_handle(handle);
  return device.host().guard("event_create", [&] {
    if (out_event == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "out_event is NULL");
    *out_event = to_handle(new EventHandle{std::make_shared<Event>(device, initial_value)});
  });
}

extern "C" void keel_cuda_event_release(keel_plugin_event_t* handle) { delete from_handle(handle); }

extern "C" keel_status_t keel_cuda_event_signal(keel_plugin_event_t* handle, uint64_t value) {
  Event& event = *from_handle(handle)->event;
  return event.device().host().guard("event_signal", [&] { event.signal(value); });
}

extern "C" keel_status_t keel_cuda_event_query(keel_plugin_event_t* handle, uint64_t* out_value) {
  const Event& event = *from_handle(handle)->event;
  return event.device().host().guard("event_query", [&] {
    if (out_value == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "out_value is NULL");
    *out_value = event.query();
  });
}

extern "C" keel_status_t keel_cuda_event_host_wait(keel_plugin_event_t* handle, uint64_t value, uint64_t timeout_ns,
                                                   uint8_t* out_reached) {
  const Event& event = *from_handle(handle)->event;
  return event.device().host().guard("event_host_wait", [&] {
    if (out_reached == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "out_reached is NULL");
    *out_reached = 0;
    const Event::WaitResult result = event.wait(value, timeout_ns);
    if (result.failure) throw Error::relayed(result.failure->code, result.failure->message);
    *out_reached = result.reached ? 1 : 0;
  });
}

extern "C" keel_status_t keel_cuda_event_fail(keel_plugin_event_t* handle, keel_status_code_t code,
                                              const char* message) {
  Event& event = *from_handle(handle)->event;
  return event.device().host().guard("event_fail", [&] { event.fail(code, message == nullptr ? "" : message); });
}
