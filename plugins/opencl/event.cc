#include "event.h"

#include <chrono>

#include "device.h"
#include "handles.h"
#include "host.h"
#include "slots.h"

namespace keel::opencl {

void Event::release() {
  if (references_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
}

std::vector<Event::Waiter> Event::take_settled() {
  std::vector<Waiter> settled;
  for (size_t i = 0; i < waiters_.size();) {
    if (failure_ || value_ >= waiters_[i].value) {
      settled.push_back(std::move(waiters_[i]));
      waiters_[i] = std::move(waiters_.back());
      waiters_.pop_back();
    } else {
      ++i;
    }
  }
  return settled;
}

void Event::signal(uint64_t value) {
  std::vector<Waiter> settled;
  {
    const std::lock_guard lock(mutex_);
    if (failure_) throw_failure();
    if (value < value_) {
      fail(KEEL_STATUS_INVALID_ARGUMENT, "value ", value, " is below the current value ", value_,
           " (a timeline event never goes back)");
    }
    value_ = value;
    settled = take_settled();
  }
  changed_.notify_all();
  for (Waiter& waiter : settled) waiter.notify();
}

void Event::raise_to(uint64_t value) noexcept {
  std::vector<Waiter> settled;
  {
    const std::lock_guard lock(mutex_);
    if (failure_ || value <= value_) return;
    value_ = value;
    settled = take_settled();
  }
  changed_.notify_all();
  for (Waiter& waiter : settled) waiter.notify();
}

uint64_t Event::query() const {
  const std::lock_guard lock(mutex_);
  if (failure_) throw_failure();
  return value_;
}

Event::Snapshot Event::snapshot() const {
  const std::lock_guard lock(mutex_);
  return {value_, failure_};
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

void Event::set_failure(keel_status_code_t code, std::string message) {
  if (code == KEEL_STATUS_OK || code > KEEL_STATUS_DATA_LOSS) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "code ", code, " is not an error code");
  }
  std::vector<Waiter> settled;
  {
    const std::lock_guard lock(mutex_);
    if (failure_) return;
    failure_ = Failure{code, std::move(message)};
    settled = take_settled();
  }
  changed_.notify_all();
  for (Waiter& waiter : settled) waiter.notify();
}

bool Event::when_settled(uint64_t value, std::function<void()> notify) {
  const std::lock_guard lock(mutex_);
  if (failure_ || value_ >= value) return false;
  waiters_.push_back(Waiter{value, std::move(notify)});
  return true;
}

void Event::throw_failure() const { throw Error::relayed(failure_->code, failure_->message); }

}  // namespace keel::opencl

using keel::opencl::Device;
using keel::opencl::Error;
using keel::opencl::Event;
using keel::opencl::fail;
using keel::opencl::from_handle;
using keel::opencl::to_handle;

extern "C" keel_status_t opencl_event_create(keel_plugin_device_t* handle, uint64_t initial_value,
                                             keel_plugin_event_t** out_event) {
  Device& device = *from_handle(handle);
  return device.host().guard("event_create", [&] {
    if (out_event == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "out_event is NULL");
    *out_event = to_handle(new Event(device, initial_value));
  });
}

extern "C" void opencl_event_release(keel_plugin_event_t* handle) { from_handle(handle)->release(); }

extern "C" keel_status_t opencl_event_signal(keel_plugin_event_t* handle, uint64_t value) {
  Event& event = *from_handle(handle);
  return event.device().host().guard("event_signal", [&] { event.signal(value); });
}

extern "C" keel_status_t opencl_event_query(keel_plugin_event_t* handle, uint64_t* out_value) {
  const Event& event = *from_handle(handle);
  return event.device().host().guard("event_query", [&] {
    if (out_value == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "out_value is NULL");
    *out_value = event.query();
  });
}

extern "C" keel_status_t opencl_event_host_wait(keel_plugin_event_t* handle, uint64_t value, uint64_t timeout_ns,
                                                uint8_t* out_reached) {
  const Event& event = *from_handle(handle);
  return event.device().host().guard("event_host_wait", [&] {
    if (out_reached == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "out_reached is NULL");
    *out_reached = 0;
    const Event::WaitResult result = event.wait(value, timeout_ns);
    if (result.failure) throw Error::relayed(result.failure->code, result.failure->message);
    *out_reached = result.reached ? 1 : 0;
  });
}

extern "C" keel_status_t opencl_event_fail(keel_plugin_event_t* handle, keel_status_code_t code,
                                           const char* message) {
  Event& event = *from_handle(handle);
  return event.device().host().guard("event_fail",
                                     [&] { event.set_failure(code, message == nullptr ? "" : message); });
}
