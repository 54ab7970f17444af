// Timeline events: values, host waits with timeouts, cross-thread wake-ups, and failure propagation to
// queries, waits and queues.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "reference_device_test.h"

namespace keel::test {
namespace {

using EventTest = ReferenceDeviceTest;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr keel_status_code_t kFailCode = KEEL_STATUS_DATA_LOSS;
constexpr const char* kFailMessage = "event test: injected failure";

uint64_t Query(keel_event_t* event) {
  uint64_t value = 0;
  EXPECT_TRUE(IsOk(keel_event_query(event, &value)));
  return value;
}

TEST_F(EventTest, StartsAtItsInitialValue) {
  Event event = NewEvent(42);
  EXPECT_EQ(Query(event.get()), 42u);
}

TEST_F(EventTest, SignalBelowCurrentIsInvalidAndChangesNothing) {
  Event event = NewEvent(5);
  EXPECT_EQ(CodeOf(keel_event_signal(event.get(), 3)), KEEL_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(Query(event.get()), 5u);
  EXPECT_TRUE(IsOk(keel_event_signal(event.get(), 7)));
  EXPECT_EQ(Query(event.get()), 7u);
  EXPECT_EQ(CodeOf(keel_event_signal(event.get(), 6)), KEEL_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(Query(event.get()), 7u);
}

TEST_F(EventTest, ValuesSeenFromAnotherThreadNeverDecrease) {
  constexpr uint64_t kLast = 2000;
  Event event = NewEvent(0);
  std::atomic<bool> done{false};
  std::thread watcher([&] {
    uint64_t previous = 0;
    while (!done.load()) {
      const uint64_t value = Query(event.get());
      EXPECT_GE(value, previous);
      previous = value;
    }
  });
  for (uint64_t v = 1; v <= kLast; ++v) ASSERT_TRUE(IsOk(keel_event_signal(event.get(), v)));
  done = true;
  watcher.join();
  EXPECT_EQ(Query(event.get()), kLast);
}

TEST_F(EventTest, HostWaitTimesOutPromptly) {
  Event event = NewEvent(0);
  constexpr uint64_t kTimeoutNs = 20'000'000;
  uint8_t reached = 1;
  const Clock::time_point start = Clock::now();
  ASSERT_TRUE(IsOk(keel_event_host_wait(event.get(), 1, kTimeoutNs, &reached)));
  const auto elapsed = Clock::now() - start;
  EXPECT_EQ(reached, 0);
  EXPECT_GE(elapsed, std::chrono::nanoseconds(kTimeoutNs / 2)) << "returned long before the timeout";
  EXPECT_LT(elapsed, milliseconds(2000)) << "did not return promptly after the timeout";
}

TEST_F(EventTest, HostWaitWithZeroTimeoutOnlyPolls) {
  Event event = NewEvent(3);
  uint8_t reached = 0;
  ASSERT_TRUE(IsOk(keel_event_host_wait(event.get(), 3, 0, &reached)));
  EXPECT_EQ(reached, 1);
  const Clock::time_point start = Clock::now();
  ASSERT_TRUE(IsOk(keel_event_host_wait(event.get(), 4, 0, &reached)));
  EXPECT_EQ(reached, 0);
  EXPECT_LT(Clock::now() - start, milliseconds(500));
}

TEST_F(EventTest, HostWaitWakesWhenAnotherThreadSignals) {
  Event event = NewEvent(0);
  std::atomic<bool> signalled{false};
  uint8_t reached = 0;
  std::thread waiter([&] {
    keel_status_t raw = keel_event_host_wait(event.get(), 3, KEEL_WAIT_INFINITE, &reached);
    EXPECT_TRUE(signalled.load()) << "woke before the signal";
    EXPECT_TRUE(IsOk(raw));
  });
  std::this_thread::sleep_for(milliseconds(20));
  ASSERT_TRUE(IsOk(keel_event_signal(event.get(), 1)));  // not enough
  std::this_thread::sleep_for(milliseconds(10));
  signalled = true;
  ASSERT_TRUE(IsOk(keel_event_signal(event.get(), 3)));
  waiter.join();
  EXPECT_EQ(reached, 1);
}

TEST_F(EventTest, QueueWaitHoldsLaterWorkUntilTheSignal) {
  Event event = NewEvent(0);
  Queue queue = NewQueue();
  std::atomic<bool> signalled{false};
  std::atomic<bool> ran_after_signal{false};
  std::thread signaller([&] {
    std::this_thread::sleep_for(milliseconds(30));
    signalled = true;
    EXPECT_TRUE(IsOk(keel_event_signal(event.get(), 1)));
  });
  struct Probe {
    std::atomic<bool>* signalled;
    std::atomic<bool>* ran_after_signal;
  } probe{&signalled, &ran_after_signal};
  // On a synchronous device queue_wait blocks here; on an asynchronous one the callback waits in the queue.
  ASSERT_TRUE(IsOk(keel_queue_wait(queue.get(), event.get(), 1)));
  ASSERT_TRUE(IsOk(keel_queue_host_callback(
      queue.get(),
      [](void* user_data) {
        auto* p = static_cast<Probe*>(user_data);
        *p->ran_after_signal = p->signalled->load();
      },
      &probe)));
  ASSERT_TRUE(IsOk(keel_queue_synchronize(queue.get())));
  signaller.join();
  EXPECT_TRUE(ran_after_signal.load());
}

TEST_F(EventTest, SignalOnOneQueueReleasesWaitOnAnother) {
  Event event = NewEvent(0);
  Buffer buffer = Allocate(64);
  const std::vector<unsigned char> data(64, 0x3c);
  std::vector<unsigned char> read(64, 0);
  std::thread producer([&] {
    Queue queue = NewQueue();
    std::this_thread::sleep_for(milliseconds(20));
    EXPECT_TRUE(IsOk(keel_queue_write(queue.get(), buffer.get(), 0, data.data(), data.size())));
    EXPECT_TRUE(IsOk(keel_queue_signal(queue.get(), event.get(), 1)));
    EXPECT_TRUE(IsOk(keel_queue_synchronize(queue.get())));
  });
  Queue consumer = NewQueue();
  ASSERT_TRUE(IsOk(keel_queue_wait(consumer.get(), event.get(), 1)));
  ASSERT_TRUE(IsOk(keel_queue_read(consumer.get(), buffer.get(), 0, read.data(), read.size())));
  ASSERT_TRUE(IsOk(keel_queue_synchronize(consumer.get())));
  producer.join();
  EXPECT_EQ(read, data);
}

TEST_F(EventTest, FailedEventErrorSurfacesOnQueryAndWait) {
  Event event = NewEvent(0);
  ASSERT_TRUE(IsOk(keel_event_fail(event.get(), kFailCode, kFailMessage)));
  uint64_t value = 0;
  for (int i = 0; i < 2; ++i) {  // a new status each call
    Status query(keel_event_query(event.get(), &value));
    EXPECT_EQ(query.code(), kFailCode) << query.to_string();
    EXPECT_NE(query.message().find(kFailMessage), std::string::npos) << query.to_string();
  }
  uint8_t reached = 0;
  Status wait(keel_event_host_wait(event.get(), 1, KEEL_WAIT_INFINITE, &reached));
  EXPECT_EQ(wait.code(), kFailCode) << wait.to_string();
  Status reached_already(keel_event_host_wait(event.get(), 0, 0, &reached));
  EXPECT_EQ(reached_already.code(), kFailCode) << "a failed event reports its error even when reached";
}

TEST_F(EventTest, FailWakesEveryWaiter) {
  Event event = NewEvent(0);
  std::atomic<int> woken_with_error{0};
  std::vector<std::thread> waiters;
  for (int i = 0; i < 3; ++i) {
    waiters.emplace_back([&] {
      uint8_t reached = 0;
      Status status(keel_event_host_wait(event.get(), 1, KEEL_WAIT_INFINITE, &reached));
      if (status.code() == kFailCode) woken_with_error += 1;
    });
  }
  std::this_thread::sleep_for(milliseconds(30));
  ASSERT_TRUE(IsOk(keel_event_fail(event.get(), kFailCode, kFailMessage)));
  for (std::thread& waiter : waiters) waiter.join();
  EXPECT_EQ(woken_with_error.load(), 3);
}

TEST_F(EventTest, QueueThatWaitedOnAFailedEventReportsTheError) {
  Event event = NewEvent(0);
  Queue queue = NewQueue();
  std::thread failer([&] {
    std::this_thread::sleep_for(milliseconds(20));
    EXPECT_TRUE(IsOk(keel_event_fail(event.get(), kFailCode, kFailMessage)));
  });
  // A synchronous device may return the error from queue_wait itself; an asynchronous one from the next
  // synchronize. Either way it must surface, with its message.
  Status wait(keel_queue_wait(queue.get(), event.get(), 1));
  Status sync(keel_queue_synchronize(queue.get()));
  failer.join();
  const Status& error = wait.ok() ? sync : wait;
  EXPECT_EQ(error.code(), kFailCode) << "queue_wait: " << wait.to_string() << "; synchronize: " << sync.to_string();
  EXPECT_NE(error.message().find(kFailMessage), std::string::npos) << error.to_string();
}

}  // namespace
}  // namespace keel::test
