// Queues and timeline events on the CUDA device: work held behind a wait on a host-signalled value, waits
// between queues on the GPU, error propagation (a wait on a failed event poisons the queue; signals fail;
// synchronize reports once), host callbacks in order, host waits with timeouts, and releasing a queue that
// still holds work.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "harness/gpu_env.h"

namespace keel::cuda_test {
namespace {

using keel::test::CodeOf;
using keel::test::IsOk;
using keel::test::Status;

class CudaAsyncTest : public GpuTest {
 protected:
  void SetUp() override {
    GpuTest::SetUp();
    if (!IsSkipped() && !env().testing_cuda()) GTEST_SKIP() << "checks the CUDA plugin's asynchronous queues";
  }

  Queue make_queue() {
    keel_queue_t* raw = nullptr;
    EXPECT_TRUE(IsOk(keel_queue_create(device(), nullptr, &raw)));
    return Queue(raw);
  }
  Event make_event(uint64_t initial = 0) {
    keel_event_t* raw = nullptr;
    EXPECT_TRUE(IsOk(keel_event_create(device(), initial, &raw)));
    return Event(raw);
  }
  Buffer make_buffer(uint64_t size) {
    keel_buffer_allocate_args_t args{};
    args.struct_size = sizeof args;
    args.size = size;
    args.flags = KEEL_ALLOCATE_ZERO_INIT;
    keel_buffer_t* raw = nullptr;
    EXPECT_TRUE(IsOk(keel_buffer_allocate(device(), &args, &raw)));
    return Buffer(raw);
  }
  static uint32_t first_word(keel_buffer_t* buffer) {
    uint32_t word = 0;
    EXPECT_TRUE(IsOk(keel_buffer_read(buffer, 0, &word, sizeof word)));
    return word;
  }
  static bool reached(keel_event_t* event, uint64_t value, uint64_t timeout_ns) {
    uint8_t done = 0;
    EXPECT_TRUE(IsOk(keel_event_host_wait(event, value, timeout_ns, &done)));
    return done != 0;
  }
};

constexpr uint64_t kShort = 50'000'000;  // 50 ms
constexpr uint64_t kLong = 10'000'000'000;

TEST_F(CudaAsyncTest, WorkWaitsForAValueTheHostSignalsLater) {
  Queue queue = make_queue();
  Event gate = make_event(), done = make_event();
  Buffer buffer = make_buffer(4);
  const uint32_t pattern = 0x12345678;
  ASSERT_TRUE(IsOk(keel_queue_wait(queue.get(), gate.get(), 1)));  // nothing has promised 1 yet: held
  ASSERT_TRUE(IsOk(keel_queue_fill(queue.get(), buffer.get(), 0, 4, &pattern, 4)));
  ASSERT_TRUE(IsOk(keel_queue_signal(queue.get(), done.get(), 1)));
  EXPECT_FALSE(reached(done.get(), 1, kShort));
  EXPECT_EQ(first_word(buffer.get()), 0u);
  ASSERT_TRUE(IsOk(keel_event_signal(gate.get(), 1)));
  EXPECT_TRUE(reached(done.get(), 1, kLong));
  EXPECT_EQ(first_word(buffer.get()), pattern);
  EXPECT_TRUE(IsOk(keel_queue_synchronize(queue.get())));
}

TEST_F(CudaAsyncTest, AnotherThreadMayReleaseTheWait) {
  Queue queue = make_queue();
  Event gate = make_event();
  Buffer buffer = make_buffer(4);
  const uint32_t pattern = 7;
  ASSERT_TRUE(IsOk(keel_queue_wait(queue.get(), gate.get(), 3)));
  ASSERT_TRUE(IsOk(keel_queue_fill(queue.get(), buffer.get(), 0, 4, &pattern, 4)));
  std::thread signaller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_TRUE(IsOk(keel_event_signal(gate.get(), 5)));
  });
  EXPECT_TRUE(IsOk(keel_queue_synchronize(queue.get())));  // waits for the held work too
  signaller.join();
  EXPECT_EQ(first_word(buffer.get()), pattern);
}

TEST_F(CudaAsyncTest, QueuesWaitForEachOtherOnTheGpu) {
  Queue producer = make_queue(), consumer = make_queue();
  Event ready = make_event();
  Buffer a = make_buffer(1 << 24), b = make_buffer(1 << 24);
  const uint32_t pattern = 0xdeadbeef;
  ASSERT_TRUE(IsOk(keel_queue_fill(producer.get(), a.get(), 0, 1 << 24, &pattern, 4)));
  ASSERT_TRUE(IsOk(keel_queue_signal(producer.get(), ready.get(), 1)));
  ASSERT_TRUE(IsOk(keel_queue_wait(consumer.get(), ready.get(), 1)));
  ASSERT_TRUE(IsOk(keel_queue_copy(consumer.get(), a.get(), (1 << 24) - 4, b.get(), 0, 4)));
  ASSERT_TRUE(IsOk(keel_queue_synchronize(consumer.get())));
  EXPECT_EQ(first_word(b.get()), pattern);
  uint64_t value = 0;
  ASSERT_TRUE(IsOk(keel_queue_synchronize(producer.get())));
  ASSERT_TRUE(IsOk(keel_event_query(ready.get(), &value)));
  EXPECT_EQ(value, 1u);
}

TEST_F(CudaAsyncTest, AWaitOnAFailedEventPoisonsTheQueueUntilSynchronize) {
  Queue queue = make_queue();
  Event failed = make_event(), signalled = make_event();
  Buffer buffer = make_buffer(4);
  ASSERT_TRUE(IsOk(keel_event_fail(failed.get(), KEEL_STATUS_DATA_LOSS, "upstream broke")));
  ASSERT_TRUE(IsOk(keel_queue_wait(queue.get(), failed.get(), 1)));
  const uint32_t pattern = 9;
  ASSERT_TRUE(IsOk(keel_queue_fill(queue.get(), buffer.get(), 0, 4, &pattern, 4)));  // skipped
  ASSERT_TRUE(IsOk(keel_queue_signal(queue.get(), signalled.get(), 1)));
  uint64_t value = 0;
  Status query(keel_event_query(signalled.get(), &value));
  EXPECT_EQ(query.code(), KEEL_STATUS_DATA_LOSS);
  EXPECT_NE(query.message().find("upstream broke"), std::string::npos) << query.message();
  Status first(keel_queue_synchronize(queue.get()));
  EXPECT_EQ(first.code(), KEEL_STATUS_DATA_LOSS);
  EXPECT_TRUE(IsOk(keel_queue_synchronize(queue.get())));  // reported once, then cleared
  EXPECT_EQ(first_word(buffer.get()), 0u);
  ASSERT_TRUE(IsOk(keel_queue_fill(queue.get(), buffer.get(), 0, 4, &pattern, 4)));  // runs again
  ASSERT_TRUE(IsOk(keel_queue_synchronize(queue.get())));
  EXPECT_EQ(first_word(buffer.get()), pattern);
}

TEST_F(CudaAsyncTest, HeldWorkIsSkippedWhenItsEventFailsLater) {
  Queue queue = make_queue();
  Event gate = make_event(), done = make_event();
  Buffer buffer = make_buffer(4);
  const uint32_t pattern = 5;
  ASSERT_TRUE(IsOk(keel_queue_wait(queue.get(), gate.get(), 1)));
  ASSERT_TRUE(IsOk(keel_queue_fill(queue.get(), buffer.get(), 0, 4, &pattern, 4)));
  ASSERT_TRUE(IsOk(keel_queue_signal(queue.get(), done.get(), 1)));
  ASSERT_TRUE(IsOk(keel_event_fail(gate.get(), KEEL_STATUS_CANCELLED, "gave up")));
  uint8_t out = 0;
  Status waited(keel_event_host_wait(done.get(), 1, kLong, &out));
  EXPECT_EQ(waited.code(), KEEL_STATUS_CANCELLED);
  EXPECT_EQ(CodeOf(keel_queue_synchronize(queue.get())), KEEL_STATUS_CANCELLED);
  EXPECT_EQ(first_word(buffer.get()), 0u);
}

TEST_F(CudaAsyncTest, HostCallbacksRunInOrderAfterTheWorkBeforeThem) {
  Queue queue = make_queue();
  Buffer buffer = make_buffer(1 << 24);
  struct Log {
    std::atomic<int> next{0};
    int order[3] = {-1, -1, -1};
  } log;
  struct Entry {
    Log* log;
    int index;
  } entries[3] = {{&log, 0}, {&log, 1}, {&log, 2}};
  const auto callback = [](void* data) {
    auto* entry = static_cast<Entry*>(data);
    entry->log->order[entry->log->next++] = entry->index;
  };
  const uint32_t pattern = 1;
  for (Entry& entry : entries) {
    ASSERT_TRUE(IsOk(keel_queue_fill(queue.get(), buffer.get(), 0, 1 << 24, &pattern, 4)));
    ASSERT_TRUE(IsOk(keel_queue_host_callback(queue.get(), callback, &entry)));
  }
  ASSERT_TRUE(IsOk(keel_queue_synchronize(queue.get())));
  EXPECT_EQ(log.next.load(), 3);
  EXPECT_EQ(log.order[0], 0);
  EXPECT_EQ(log.order[1], 1);
  EXPECT_EQ(log.order[2], 2);
}

TEST_F(CudaAsyncTest, HostWaitTimesOutAndEventsOnlyGrow) {
  Event event = make_event(4);
  EXPECT_FALSE(reached(event.get(), 5, 1'000'000));
  EXPECT_TRUE(reached(event.get(), 4, 0));
  EXPECT_EQ(CodeOf(keel_event_signal(event.get(), 3)), KEEL_STATUS_INVALID_ARGUMENT);
  ASSERT_TRUE(IsOk(keel_event_fail(event.get(), KEEL_STATUS_INTERNAL, "first")));
  ASSERT_TRUE(IsOk(keel_event_fail(event.get(), KEEL_STATUS_UNAVAILABLE, "second")));  // the first wins
  uint64_t value = 0;
  Status query(keel_event_query(event.get(), &value));
  EXPECT_EQ(query.code(), KEEL_STATUS_INTERNAL);
  EXPECT_EQ(query.message(), "first");
}

TEST_F(CudaAsyncTest, ReleasingAQueueThatHoldsWorkCancelsItsSignals) {
  Event gate = make_event(), done = make_event();
  {
    Queue queue = make_queue();
    ASSERT_TRUE(IsOk(keel_queue_wait(queue.get(), gate.get(), 1)));
    ASSERT_TRUE(IsOk(keel_queue_signal(queue.get(), done.get(), 1)));
  }
  uint8_t out = 0;
  EXPECT_EQ(CodeOf(keel_event_host_wait(done.get(), 1, kLong, &out)), KEEL_STATUS_CANCELLED);
}

TEST_F(CudaAsyncTest, ManyQueuesAndThreads) {
  constexpr int kThreads = 4;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Queue queue = make_queue();
      Buffer buffer = make_buffer(1024);
      for (int i = 0; i < 200; ++i) {
        const uint32_t pattern = static_cast<uint32_t>(t * 1000 + i);
        if (!IsOk(keel_queue_fill(queue.get(), buffer.get(), 0, 1024, &pattern, 4))) ++failures;
        if (i % 50 == 0 && !IsOk(keel_queue_synchronize(queue.get()))) ++failures;
      }
      if (!IsOk(keel_queue_synchronize(queue.get()))) ++failures;
      if (first_word(buffer.get()) != static_cast<uint32_t>(t * 1000 + 199)) ++failures;
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace keel::cuda_test
