// The asynchronous queue and event semantics of the OpenCL device through libkeel: ordering, events across
// queues (signalled before or after the wait is enqueued), work held back behind a wait, failed events that
// poison a queue, host callbacks, releasing a queue with held-back work, and queues used from several threads.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "harness.h"
#include "oracle.h"

namespace keel::opencl_test {
namespace {

using std::chrono::milliseconds;

constexpr keel_status_code_t kFailCode = KEEL_STATUS_DATA_LOSS;
constexpr const char* kFailMessage = "async test: injected failure";

class AsyncTest : public ::testing::Test {
 protected:
  void SetUp() override {
    KEEL_REQUIRE_OPENCL();
    device_ = Devices::get().opencl;
  }

  Buffer allocate(uint64_t size) {
    keel_buffer_allocate_args_t args{};
    args.struct_size = sizeof args;
    args.size = size;
    keel_buffer_t* buffer = nullptr;
    EXPECT_TRUE(IsOk(keel_buffer_allocate(device_, &args, &buffer)));
    return Buffer(buffer);
  }
  Queue new_queue() {
    keel_queue_t* queue = nullptr;
    EXPECT_TRUE(IsOk(keel_queue_create(device_, nullptr, &queue)));
    return Queue(queue);
  }
  Event new_event(uint64_t value = 0) {
    keel_event_t* event = nullptr;
    EXPECT_TRUE(IsOk(keel_event_create(device_, value, &event)));
    return Event(event);
  }
  static uint64_t value_of(keel_event_t* event) {
    uint64_t value = 0;
    EXPECT_TRUE(IsOk(keel_event_query(event, &value)));
    return value;
  }
  // y = neg(x) over `count` floats on `queue`.
  static keel_status_t negate(keel_queue_t* queue, keel_buffer_t* x, keel_buffer_t* y, int64_t count) {
    const keel_op_t* op = nullptr;
    if (keel_status_t status = keel_op_find("neg", &op)) return status;
    keel_tensor_t in{};
    in.buffer = x;
    in.dtype = KEEL_DTYPE_F32;
    in.rank = 1;
    in.shape[0] = count;
    in.strides[0] = 1;
    keel_tensor_t out = in;
    out.buffer = y;
    return keel_op_run(queue, op, nullptr, &in, 1, &out, 1);
  }

  keel_device_t* device_ = nullptr;
};

TEST_F(AsyncTest, WorkRunsInEnqueueOrder) {
  constexpr int64_t kCount = 1 << 16;
  Queue queue = new_queue();
  Buffer a = allocate(kCount * 4);
  Buffer b = allocate(kCount * 4);
  std::vector<float> data(kCount);
  for (int64_t i = 0; i < kCount; ++i) data[static_cast<size_t>(i)] = static_cast<float>(i);
  ASSERT_TRUE(IsOk(keel_queue_write(queue.get(), a.get(), 0, data.data(), kCount * 4)));
  // 21 negations back and forth with no synchronization in between: b ends as -data.
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(IsOk(negate(queue.get(), a.get(), b.get(), kCount)));
    ASSERT_TRUE(IsOk(negate(queue.get(), b.get(), a.get(), kCount)));
  }
  ASSERT_TRUE(IsOk(negate(queue.get(), a.get(), b.get(), kCount)));
  std::vector<float> result(kCount);
  ASSERT_TRUE(IsOk(keel_queue_read(queue.get(), b.get(), 0, result.data(), kCount * 4)));
  ASSERT_TRUE(IsOk(keel_queue_synchronize(queue.get())));
  for (int64_t i = 0; i < kCount; ++i) ASSERT_EQ(result[static_cast<size_t>(i)], -data[static_cast<size_t>(i)]) << i;
}

TEST_F(AsyncTest, EventsOrderWorkAcrossQueues) {
  constexpr int64_t kCount = 1 << 18;
  Queue producer = new_queue();
  Queue consumer = new_queue();
  Buffer a = allocate(kCount * 4);
  Buffer b = allocate(kCount * 4);
  Event ready = new_event(0);
  const std::vector<float> data(kCount, 3.0f);
  std::vector<float> result(kCount, 0.0f);
  // The consumer's wait is enqueued before the producer's signal exists: its work is held back.
  ASSERT_TRUE(IsOk(keel_queue_wait(consumer.get(), ready.get(), 1)));
  ASSERT_TRUE(IsOk(negate(consumer.get(), a.get(), b.get(), kCount)));
  ASSERT_TRUE(IsOk(keel_queue_read(consumer.get(), b.get(), 0, result.data(), kCount * 4)));
  std::this_thread::sleep_for(milliseconds(20));
  EXPECT_EQ(result[0], 0.0f) << "the consumer ran before its event was signalled";
  ASSERT_TRUE(IsOk(keel_queue_write(producer.get(), a.get(), 0, data.data(), kCount * 4)));
  ASSERT_TRUE(IsOk(keel_queue_signal(producer.get(), ready.get(), 1)));
  ASSERT_TRUE(IsOk(keel_queue_synchronize(consumer.get())));
  ASSERT_TRUE(IsOk(keel_queue_synchronize(producer.get())));
  EXPECT_EQ(value_of(ready.get()), 1u);
  for (int64_t i = 0; i < kCount; i += 997) ASSERT_EQ(result[static_cast<size_t>(i)], -3.0f) << i;
}

TEST_F(AsyncTest, HostSignalReleasesHeldWorkAndItsSignals) {
  Queue queue = new_queue();
  Buffer buffer = allocate(64);
  Event gate = new_event(0);
  Event done = new_event(0);
  const std::vector<unsigned char> data(64, 0x3c);
  ASSERT_TRUE(IsOk(keel_queue_wait(queue.get(), gate.get(), 5)));
  ASSERT_TRUE(IsOk(keel_queue_write(queue.get(), buffer.get(), 0, data.data(), data.size())));
  ASSERT_TRUE(IsOk(keel_queue_signal(queue.get(), done.get(), 7)));
  uint8_t reached = 1;
  ASSERT_TRUE(IsOk(keel_event_host_wait(done.get(), 7, 30'000'000, &reached)));
  EXPECT_EQ(reached, 0) << "signalled before the gate opened";
  ASSERT_TRUE(IsOk(keel_event_signal(gate.get(), 4)));  // not enough
  ASSERT_TRUE(IsOk(keel_event_host_wait(done.get(), 7, 30'000'000, &reached)));
  EXPECT_EQ(reached, 0);
  ASSERT_TRUE(IsOk(keel_event_signal(gate.get(), 5)));
  ASSERT_TRUE(IsOk(keel_event_host_wait(done.get(), 7, KEEL_WAIT_INFINITE, &reached)));
  EXPECT_EQ(reached, 1);
  std::vector<unsigned char> read(64);
  ASSERT_TRUE(IsOk(keel_buffer_read(buffer.get(), 0, read.data(), read.size())));
  EXPECT_EQ(read, data);
  ASSERT_TRUE(IsOk(keel_queue_synchronize(queue.get())));
}

struct CallbackLog {
  std::atomic<int> calls{0};
  keel_event_t* event = nullptr;
  std::atomic<bool> event_calls_ok{true};
};

TEST_F(AsyncTest, FailedWaitPoisonsTheQueueUntilSynchronize) {
  Queue queue = new_queue();
  Buffer buffer = allocate(16);
  const std::vector<unsigned char> before(16, 0x11);
  const std::vector<unsigned char> skipped(16, 0x22);
  ASSERT_TRUE(IsOk(keel_buffer_write(buffer.get(), 0, before.data(), before.size())));
  Event gate = new_event(0);
  Event after = new_event(0);
  CallbackLog log;
  auto count = [](void* user_data) { static_cast<CallbackLog*>(user_data)->calls += 1; };
  ASSERT_TRUE(IsOk(keel_queue_wait(queue.get(), gate.get(), 1)));
  ASSERT_TRUE(IsOk(keel_queue_write(queue.get(), buffer.get(), 0, skipped.data(), skipped.size())));
  ASSERT_TRUE(IsOk(keel_queue_signal(queue.get(), after.get(), 1)));
  ASSERT_TRUE(IsOk(keel_queue_host_callback(queue.get(), count, &log)));
  std::thread failer([&] {
    std::this_thread::sleep_for(milliseconds(10));
    EXPECT_TRUE(IsOk(keel_event_fail(gate.get(), kFailCode, kFailMessage)));
  });
  const Status sync(keel_queue_synchronize(queue.get()));
  failer.join();
  EXPECT_EQ(sync.code(), kFailCode) << sync.to_string();
  EXPECT_NE(sync.message().find(kFailMessage), std::string::npos) << sync.to_string();
  // The signal behind the failed wait carries the same failure; the callback still ran; the write was skipped.
  uint64_t value = 0;
  const Status query(keel_event_query(after.get(), &value));
  EXPECT_EQ(query.code(), kFailCode) << query.to_string();
  EXPECT_NE(query.message().find(kFailMessage), std::string::npos);
  EXPECT_EQ(log.calls.load(), 1);
  std::vector<unsigned char> read(16);
  ASSERT_TRUE(IsOk(keel_buffer_read(buffer.get(), 0, read.data(), read.size())));
  EXPECT_EQ(read, before);
  // The error was reported once; the queue runs again.
  ASSERT_TRUE(IsOk(keel_queue_write(queue.get(), buffer.get(), 0, skipped.data(), skipped.size())));
  ASSERT_TRUE(IsOk(keel_queue_synchronize(queue.get())));
  ASSERT_TRUE(IsOk(keel_buffer_read(buffer.get(), 0, read.data(), read.size())));
  EXPECT_EQ(read, skipped);
}

TEST_F(AsyncTest, WaitOnAnAlreadyFailedEventFailsLaterSignalsAtOnce) {
  Queue queue = new_queue();
  Event failed = new_event(0);
  Event later = new_event(0);
  ASSERT_TRUE(IsOk(keel_event_fail(failed.get(), kFailCode, kFailMessage)));
  ASSERT_TRUE(IsOk(keel_queue_wait(queue.get(), failed.get(), 1)));
  ASSERT_TRUE(IsOk(keel_queue_signal(queue.get(), later.get(), 1)));
  uint8_t reached = 0;
  EXPECT_EQ(CodeOf(keel_event_host_wait(later.get(), 1, KEEL_WAIT_INFINITE, &reached)), kFailCode);
  EXPECT_EQ(CodeOf(keel_queue_synchronize(queue.get())), kFailCode);
  EXPECT_TRUE(IsOk(keel_queue_synchronize(queue.get()))) << "the failure is reported once";
}

TEST_F(AsyncTest, SignalBelowTheCurrentValueIsRefused) {
  Queue queue = new_queue();
  Event event = new_event(10);
  EXPECT_EQ(CodeOf(keel_queue_signal(queue.get(), event.get(), 3)), KEEL_STATUS_INVALID_ARGUMENT);
  ASSERT_TRUE(IsOk(keel_queue_signal(queue.get(), event.get(), 12)));
  ASSERT_TRUE(IsOk(keel_queue_synchronize(queue.get())));
  EXPECT_EQ(value_of(event.get()), 12u);
}

TEST_F(AsyncTest, HostCallbacksMayCallThePlugin) {
  Queue queue = new_queue();
  Event event = new_event(0);
  CallbackLog log;
  log.event = event.get();
  auto callback = [](void* user_data) {
    auto* l = static_cast<CallbackLog*>(user_data);
    const int turn = ++l->calls;
    uint64_t value = 0;
    if (keel_status_t status = keel_event_query(l->event, &value)) {
      keel_status_release(status);
      l->event_calls_ok = false;
    }
    if (keel_status_t status = keel_event_signal(l->event, static_cast<uint64_t>(turn))) {
      keel_status_release(status);
      l->event_calls_ok = false;
    }
  };
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(IsOk(keel_queue_host_callback(queue.get(), callback, &log)));
  ASSERT_TRUE(IsOk(keel_queue_synchronize(queue.get())));
  EXPECT_EQ(log.calls.load(), 20);
  EXPECT_TRUE(log.event_calls_ok.load());
  EXPECT_EQ(value_of(event.get()), 20u);
}

TEST_F(AsyncTest, ReleasingAQueueCancelsWorkHeldBehindAnUnreachedWait) {
  Event gate = new_event(0);
  Event after = new_event(0);
  CallbackLog log;
  {
    Queue queue = new_queue();
    ASSERT_TRUE(IsOk(keel_queue_wait(queue.get(), gate.get(), 1)));
    ASSERT_TRUE(IsOk(keel_queue_signal(queue.get(), after.get(), 1)));
    ASSERT_TRUE(IsOk(keel_queue_host_callback(queue.get(), [](void* p) { static_cast<CallbackLog*>(p)->calls += 1; }, &log)));
  }  // released here, without the gate ever opening
  uint64_t value = 0;
  EXPECT_EQ(CodeOf(keel_event_query(after.get(), &value)), KEEL_STATUS_CANCELLED);
  EXPECT_EQ(log.calls.load(), 1) << "host callbacks still run";
  ASSERT_TRUE(IsOk(keel_event_signal(gate.get(), 1)));  // late: nothing is left to run
}

TEST_F(AsyncTest, QueuesOnSeveralThreadsShareKernels) {
  constexpr int kThreads = 4;
  constexpr int64_t kCount = 4096;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Queue queue = new_queue();
      Buffer a = allocate(kCount * 4);
      Buffer b = allocate(kCount * 4);
      const std::vector<float> data(kCount, static_cast<float>(t + 1));
      std::vector<float> result(kCount);
      for (int round = 0; round < 25; ++round) {
        if (!IsOk(keel_queue_write(queue.get(), a.get(), 0, data.data(), kCount * 4)) ||
            !IsOk(negate(queue.get(), a.get(), b.get(), kCount)) ||
            !IsOk(keel_queue_read(queue.get(), b.get(), 0, result.data(), kCount * 4)) ||
            !IsOk(keel_queue_synchronize(queue.get()))) {
          failures += 1;
          return;
        }
        for (const float v : result) {
          if (v != -static_cast<float>(t + 1)) {
            failures += 1;
            return;
          }
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace keel::opencl_test
