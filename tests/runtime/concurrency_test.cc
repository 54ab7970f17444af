// Several threads, each with its own queue, churning allocations and copies on one device at once.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <thread>
#include <vector>

#include "reference_device_test.h"

namespace keel::test {
namespace {

using ConcurrencyTest = ReferenceDeviceTest;

TEST_F(ConcurrencyTest, ThreadsWithOwnQueuesChurnWithoutInterference) {
  constexpr int kThreads = 4;
  constexpr int kIterations = 150;
  constexpr uint64_t kMaxWords = 4096;
  const keel_memory_stats_t base = Stats();

  std::vector<std::thread> workers;
  for (int t = 0; t < kThreads; ++t) {
    workers.emplace_back([&, t] {
      std::mt19937 random(static_cast<unsigned>(t) * 7919u + 1u);
      Queue queue = NewQueue();
      for (int i = 0; i < kIterations; ++i) {
        const uint64_t words = random() % kMaxWords + 1;
        const uint64_t bytes = words * sizeof(uint32_t);
        // Values unique to this thread and iteration, so crossed wires show up.
        std::vector<uint32_t> data(words);
        for (uint64_t w = 0; w < words; ++w) data[w] = (uint32_t(t) << 28) ^ (uint32_t(i) << 14) ^ uint32_t(w);
        std::vector<uint32_t> read(words, 0);
        Buffer a = Allocate(bytes);
        Buffer b = Allocate(bytes);
        ASSERT_NE(a, nullptr);
        ASSERT_NE(b, nullptr);
        ASSERT_TRUE(IsOk(keel_queue_write(queue.get(), a.get(), 0, data.data(), bytes)));
        ASSERT_TRUE(IsOk(keel_queue_copy(queue.get(), a.get(), 0, b.get(), 0, bytes)));
        ASSERT_TRUE(IsOk(keel_queue_read(queue.get(), b.get(), 0, read.data(), bytes)));
        ASSERT_TRUE(IsOk(keel_queue_synchronize(queue.get())));
        ASSERT_EQ(read, data) << "thread " << t << " iteration " << i;
        // The synchronous path on the same buffers, between queue work.
        ASSERT_TRUE(IsOk(keel_buffer_read(a.get(), 0, read.data(), bytes)));
        ASSERT_EQ(read, data) << "thread " << t << " iteration " << i;
      }
    });
  }
  for (std::thread& worker : workers) worker.join();

  const keel_memory_stats_t after = Stats();
  EXPECT_EQ(after.bytes_in_use, base.bytes_in_use);
  EXPECT_EQ(after.allocation_count, base.allocation_count);
}

TEST_F(ConcurrencyTest, ManyEventsAndQueuesCreatedAndReleasedConcurrently) {
  constexpr int kThreads = 4;
  constexpr int kIterations = 200;
  std::vector<std::thread> workers;
  for (int t = 0; t < kThreads; ++t) {
    workers.emplace_back([&] {
      for (int i = 0; i < kIterations; ++i) {
        Queue queue = NewQueue();
        Event event = NewEvent(0);
        ASSERT_NE(queue, nullptr);
        ASSERT_NE(event, nullptr);
        ASSERT_TRUE(IsOk(keel_queue_signal(queue.get(), event.get(), 1)));
        uint8_t reached = 0;
        ASSERT_TRUE(IsOk(keel_event_host_wait(event.get(), 1, KEEL_WAIT_INFINITE, &reached)));
        ASSERT_EQ(reached, 1);
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
}

}  // namespace
}  // namespace keel::test
