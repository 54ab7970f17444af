#include "event.h"

#include <chrono>

#include "device.h"
#include "error.h"
#include "handles.h"
#include "slots.h"

namespace keel::onednn {

void Event::signal(uint64_t value) {
  {
    const std::lock_guard lock(mutex_);
    if (failure_) throw_failure();
    if (value < value_) {
      fail(KEEL_STATUS_INVALID_ARGUMENT, "value ", value, " is below the current value ", value_,
           " (a timeline event never goes back)");
    }
    value_ = value;
  }
  changed_.notify_all();
}

uint64_t Event::query() const {
  const std::lock_guard lock(mutex_);
  if (failure_) throw_failure();
  return value_;
}

Event::WaitResult Event::wait(uint64_t value, uint64_t timeout_ns) const {
  // Timeouts beyond ~146 years are treated as infinite, which keeps the deadline arithmetic in range.
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
  {
    const std::lock_guard lock(mutex_);
    if (!failure_) failure_ = Failure{code, std::move(message)};
  }
  changed_.notify_all();
}

void Event::throw_failure() const { throw Error::relayed(failure_->code, failure_->message); }

}  // namespace keel::onednn

using keel::onednn::Device;
using keel::onednn::Error;
using keel::onednn::Event;
using keel::onednn::fail;
using keel::onednn::from_handle;
using keel::onednn::to_handle;

extern "C" keel_status_t onednn_event_create(keel_plugin_device_t* handle, uint64_t initial_value,
                                             keel_plugin_event_t** out_event) {
  Device& device = *from_handle(handle);
  return device.host().guard("event_create", [&] {
    if (out_event == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "out_event is NULL");
    *out_event = to_handle(new Event(device, initial_value));
  });
}

extern "C" void onednn_event_release(keel_plugin_event_t* handle) { delete from_handle(handle); }

extern "C" keel_status_t onednn_event_signal(keel_plugin_event_t* handle, uint64_t value) {
  Event& event = *from_handle(handle);
  return event.device().host().guard("event_signal", [&] { event.signal(value); });
}

extern "C" keel_status_t onednn_event_query(keel_plugin_event_t* handle, uint64_t* out_value) {
  const Event& event = *from_handle(handle);
  return event.device().host().guard("event_query", [&] {
    if (out_value == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "out_value is NULL");
    *out_value = event.query();
  });
}

extern "C" keel_status_t onednn_event_host_wait(keel_plugin_event_t* handle, uint64_t value, uint64_t timeout_ns,
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

extern "C" keel_status_t onednn_event_fail(keel_plugin_event_t* handle, keel_status_code_t code, const char* message) {
  Event& event = *from_handle(handle);
  return event.device().host().guard("event_fail",
                                     [&] { event.set_failure(code, message == nullptr ? "" : message); });
}
