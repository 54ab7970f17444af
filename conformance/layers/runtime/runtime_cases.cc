#include "layers/runtime/runtime_cases.h"

#include <atomic>
#include <chrono>
#include <cstring>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "layers/check.h"
#include "layers/runtime/device_memory.h"
#include "runner/worker_context.h"

namespace keel::conform {
namespace {

using namespace std::chrono_literals;

constexpr uint64_t kWaitNs = 3'000'000'000ull;  // how long a case waits for anything that should happen
constexpr auto kWait = std::chrono::nanoseconds(kWaitNs);

struct EventRelease {
  void operator()(keel_event_t* event) const { keel_event_release(event); }
};
using OwnedEvent = std::unique_ptr<keel_event_t, EventRelease>;

OwnedEvent make_event(const Device& device, uint64_t initial) {
  keel_event_t* event = nullptr;
  require_ok(keel_event_create(device.get(), initial, &event), "event_create");
  return OwnedEvent(event);
}

uint64_t query(const OwnedEvent& event) {
  uint64_t value = 0;
  require_ok(keel_event_query(event.get(), &value), "event_query");
  return value;
}

// True when the event reached `value` within the case's wait limit.
bool reaches(const OwnedEvent& event, uint64_t value) {
  uint8_t reached = 0;
  require_ok(keel_event_host_wait(event.get(), value, kWaitNs, &reached), "event_host_wait");
  return reached != 0;
}

CaseResult run_event_timeline(WorkerContext& context, const CaseSpec&) {
  const OwnedEvent event = make_event(context.dut(), 5);
  require(query(event) == 5, "a new event does not hold its initial value");
  require_ok(keel_event_signal(event.get(), 7), "event_signal(7)");
  require(query(event) == 7, "event_signal(7) did not set the value");
  require_code(keel_event_signal(event.get(), 6), KEEL_STATUS_INVALID_ARGUMENT, "event_signal below the current value");
  require(query(event) == 7, "a refused signal changed the value");
  uint8_t reached = 0;
  require_ok(keel_event_host_wait(event.get(), 7, 0, &reached), "event_host_wait for a reached value");
  require(reached == 1, "host_wait with timeout 0 for a reached value says not reached");
  require_ok(keel_event_host_wait(event.get(), 8, 1'000'000, &reached), "event_host_wait that times out");
  require(reached == 0, "host_wait for a value never signalled says reached");
  std::thread signaller([&] {
    std::this_thread::sleep_for(20ms);
    keel_status_release(keel_event_signal(event.get(), 9));
  });
  const bool woke = reaches(event, 9);
  signaller.join();
  require(woke, "host_wait did not wake when another thread signalled");
  return passed();
}

CaseResult run_event_fail(WorkerContext& context, const CaseSpec&) {
  const OwnedEvent event = make_event(context.dut(), 0);
  require_ok(keel_event_fail(event.get(), KEEL_STATUS_DATA_LOSS, "conformance: injected failure"), "event_fail");
  require_ok(keel_event_fail(event.get(), KEEL_STATUS_INTERNAL, "second"), "a second event_fail");
  for (int i = 0; i < 2; ++i) {
    uint64_t value = 0;
    StatusHolder status(keel_event_query(event.get(), &value));
    require(status.code() == KEEL_STATUS_DATA_LOSS, "query of a failed event returned " + status.text() +
                                                        " (the first failure, DATA_LOSS, must win)");
    require(status.message().find("injected failure") != std::string::npos, "the failure's message was lost");
  }
  uint8_t reached = 1;
  require_code(keel_event_host_wait(event.get(), 1, kWaitNs, &reached), KEEL_STATUS_DATA_LOSS,
               "host_wait on a failed event");
  require_code(keel_event_signal(event.get(), 1), KEEL_STATUS_DATA_LOSS, "signal of a failed event");
  return passed();
}

CaseResult run_queue_order(WorkerContext& context, const CaseSpec&) {
  const Device device = context.dut();
  const OwnedBuffer a = allocate_or_fail(device, 256, 0, 0);
  const OwnedBuffer b = allocate_or_fail(device, 256, 0, 0);
  std::vector<uint8_t> data(256);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 7 + 1);
  Queue queue = Queue::create(device);
  const OwnedEvent done = make_event(device, 0);
  std::vector<int> order;
  std::mutex order_mutex;
  struct Step {
    std::vector<int>* order;
    std::mutex* mutex;
    int number;
  };
  Step steps[] = {{&order, &order_mutex, 1}, {&order, &order_mutex, 2}, {&order, &order_mutex, 3}};
  const auto record = [](void* user) {
    auto* step = static_cast<Step*>(user);
    std::lock_guard<std::mutex> lock(*step->mutex);
    step->order->push_back(step->number);
  };
  const uint8_t pattern = 0xEE;
  std::vector<uint8_t> back(256);
  require_ok(keel_queue_write(queue.get(), a.get(), 0, data.data(), data.size()), "queue_write");
  require_ok(keel_queue_host_callback(queue.get(), record, &steps[0]), "queue_host_callback");
  require_ok(keel_queue_copy(queue.get(), a.get(), 0, b.get(), 0, 256), "queue_copy");
  require_ok(keel_queue_host_callback(queue.get(), record, &steps[1]), "queue_host_callback");
  require_ok(keel_queue_fill(queue.get(), b.get(), 0, 16, &pattern, 1), "queue_fill");
  require_ok(keel_queue_read(queue.get(), b.get(), 0, back.data(), back.size()), "queue_read");
  require_ok(keel_queue_host_callback(queue.get(), record, &steps[2]), "queue_host_callback");
  require_ok(keel_queue_signal(queue.get(), done.get(), 1), "queue_signal");
  require(reaches(done, 1), "an event signalled by a queue never reached its value");
  require_ok(keel_queue_synchronize(queue.get()), "queue_synchronize");
  {
    std::lock_guard<std::mutex> lock(order_mutex);
    require(order == std::vector<int>({1, 2, 3}), "host callbacks did not run once each, in order");
  }
  std::vector<uint8_t> expected = data;
  std::memset(expected.data(), pattern, 16);
  require_same_bytes(back, expected, "write, copy, fill, read on one queue (in order)");
  return passed();
}

CaseResult run_cross_queue(WorkerContext& context, const CaseSpec&) {
  const Device device = context.dut();
  const OwnedBuffer a = allocate_or_fail(device, 512, 0, 0);
  const OwnedBuffer b = allocate_or_fail(device, 512, 0, 0);
  const std::vector<uint8_t> data(512, 0x3C);
  Queue producer = Queue::create(device);
  Queue consumer = Queue::create(device);
  const OwnedEvent ready = make_event(device, 0);
  std::vector<uint8_t> back(512);

  // Queue-to-queue: the consumer waits for the producer's signal. On a synchronous device queue_wait
  // blocks the enqueuing thread, so each consumer runs on its own thread and a missing signal fails the
  // case after kWait (the host then signals the event to let the thread go).
  require_ok(keel_queue_write(producer.get(), a.get(), 0, data.data(), data.size()), "queue_write");
  require_ok(keel_queue_signal(producer.get(), ready.get(), 1), "queue_signal");
  auto first_done = std::async(std::launch::async, [&] {
    keel_status_release(keel_queue_wait(consumer.get(), ready.get(), 1));
    keel_status_release(keel_queue_copy(consumer.get(), a.get(), 0, b.get(), 0, 512));
    keel_status_release(keel_queue_read(consumer.get(), b.get(), 0, back.data(), back.size()));
    return keel_queue_synchronize(consumer.get());
  });
  if (first_done.wait_for(kWait) != std::future_status::ready) {
    keel_status_release(keel_event_signal(ready.get(), UINT64_MAX));
    keel_status_release(first_done.get());
    fail_case("a queue waiting for another queue's signal did not resume within 3 s");
  }
  require_ok(first_done.get(), "queue_synchronize of the waiting queue");
  require_ok(keel_queue_synchronize(producer.get()), "queue_synchronize");
  require_same_bytes(back, data, "a copy ordered after another queue's signal");

  // Host-to-queue: the consumer waits for a value the host signals later (on a synchronous device the
  // wait blocks the enqueuing thread, so the consumer runs on its own thread).
  const std::vector<uint8_t> later(512, 0x77);
  auto consumer_done = std::async(std::launch::async, [&] {
    keel_status_release(keel_queue_wait(consumer.get(), ready.get(), 2));
    keel_status_release(keel_queue_copy(consumer.get(), a.get(), 0, b.get(), 0, 512));
    return keel_queue_synchronize(consumer.get());
  });
  std::this_thread::sleep_for(20ms);
  require_ok(keel_buffer_write(a.get(), 0, later.data(), later.size()), "buffer_write");
  require_ok(keel_event_signal(ready.get(), 2), "event_signal");
  if (consumer_done.wait_for(kWait) != std::future_status::ready) {
    keel_status_release(keel_event_signal(ready.get(), UINT64_MAX));
    keel_status_release(consumer_done.get());
    fail_case("a queue waiting for a host-signalled value did not resume within 3 s");
  }
  require_ok(consumer_done.get(), "queue_synchronize after a host-signalled wait");
  require_same_bytes(read_all(b), later, "a copy ordered after a host signal");
  return passed();
}

CaseResult run_async_error(WorkerContext& context, const CaseSpec&) {
  const Device device = context.dut();
  const OwnedBuffer target = allocate_or_fail(device, 64, 0, 0);
  const std::vector<uint8_t> before(64, 0x10), skipped(64, 0x20), after(64, 0x30);
  require_ok(keel_buffer_write(target.get(), 0, before.data(), before.size()), "buffer_write");
  const OwnedEvent poisoned = make_event(device, 0);
  const OwnedEvent signalled_in_error = make_event(device, 0);
  const OwnedEvent signalled_after = make_event(device, 0);
  require_ok(keel_event_fail(poisoned.get(), KEEL_STATUS_DATA_LOSS, "conformance: poisoned"), "event_fail");
  Queue queue = Queue::create(device);

  // Errors may surface at enqueue time (a synchronous device) or later; both are allowed.
  bool reported_early = false;
  const auto enqueue = [&](keel_status_t status, const char* what) {
    StatusHolder held(status);
    if (held.ok()) return;
    require(held.code() == KEEL_STATUS_DATA_LOSS, std::string(what) + " on a queue in the error state returned " +
                                                      held.text() + " instead of the queue's error");
    reported_early = true;
  };
  enqueue(keel_queue_wait(queue.get(), poisoned.get(), 1), "queue_wait on a failed event");
  enqueue(keel_queue_write(queue.get(), target.get(), 0, skipped.data(), skipped.size()), "queue_write");
  enqueue(keel_queue_signal(queue.get(), signalled_in_error.get(), 1), "queue_signal");

  uint8_t reached = 0;
  StatusHolder waited(keel_event_host_wait(signalled_in_error.get(), 1, kWaitNs, &reached));
  require(waited.code() == KEEL_STATUS_DATA_LOSS,
          "an event signalled by a queue in the error state must fail with the queue's error; host_wait returned " +
              waited.text() + (reached ? " (reached)" : " (not reached)"));
  require(waited.message().find("poisoned") != std::string::npos, "the failed event lost the original message");

  StatusHolder first_sync(keel_queue_synchronize(queue.get()));
  require(first_sync.code() == KEEL_STATUS_DATA_LOSS || (reported_early && first_sync.ok()),
          "queue_synchronize after the failure returned " + first_sync.text() + ", expected DATA_LOSS");
  require_same_bytes(read_all(target), before, "work enqueued after the failure must be skipped");

  // The error was returned once; the queue runs work again.
  require_ok(keel_queue_write(queue.get(), target.get(), 0, after.data(), after.size()), "queue_write after recovery");
  require_ok(keel_queue_signal(queue.get(), signalled_after.get(), 1), "queue_signal after recovery");
  require_ok(keel_queue_synchronize(queue.get()), "the second queue_synchronize (the error is returned only once)");
  require(reaches(signalled_after, 1), "after recovery the queue's signal never arrived");
  require_same_bytes(read_all(target), after, "work enqueued after recovery");
  return passed();
}

CaseResult run_release_waits(WorkerContext& context, const CaseSpec&) {
  const Device device = context.dut();
  const OwnedBuffer target = allocate_or_fail(device, 1 << 16, 0, 0);
  std::vector<uint8_t> data(1 << 16);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i ^ (i >> 8));
  {
    Queue queue = Queue::create(device);
    require_ok(keel_queue_write(queue.get(), target.get(), 0, data.data(), data.size()), "queue_write");
  }  // queue_release waits for the write
  require_same_bytes(read_all(target), data, "work finished by queue_release");
  return passed();
}

void add(std::vector<CaseSpec>& cases, const char* id, CaseRunner run, const char* description) {
  CaseSpec spec;
  spec.id = id;
  spec.layer = Layer::kRuntime;
  spec.profile = Profile::kBase;
  spec.quick = true;
  spec.run = run;
  spec.description = description;
  cases.push_back(std::move(spec));
}

}  // namespace

void add_runtime_cases(std::vector<CaseSpec>& cases) {
  add(cases, "runtime.event_timeline", run_event_timeline, "timeline events: values only grow; waits time out and wake");
  add(cases, "runtime.event_fail", run_event_fail, "a failed event reports its first failure to every caller");
  add(cases, "runtime.queue_order", run_queue_order, "one queue runs copies, fills, callbacks and signals in order");
  add(cases, "runtime.cross_queue", run_cross_queue, "queue_wait orders work after another queue's or the host's signal");
  add(cases, "runtime.async_error", run_async_error, "a failure poisons the queue until synchronize returns it once");
  add(cases, "runtime.queue_release_waits", run_release_waits, "queue_release waits for the queue's work");
}

}  // namespace keel::conform
