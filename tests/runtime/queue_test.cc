// Queue fills and the order in which a queue runs its work.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <mutex>
#include <vector>

#include "reference_device_test.h"

namespace keel::test {
namespace {

using QueueTest = ReferenceDeviceTest;

constexpr uint64_t kSize = 256;
constexpr unsigned char kBackground = 0x11;

// What the buffer should hold after filling [offset, offset + size) with `pattern` over kBackground.
std::vector<unsigned char> ExpectedFill(uint64_t offset, uint64_t size, const unsigned char* pattern,
                                        uint32_t pattern_size) {
  std::vector<unsigned char> expected(kSize, kBackground);
  for (uint64_t i = 0; i < size; ++i) expected[offset + i] = pattern[i % pattern_size];
  return expected;
}

class FillTest : public QueueTest, public ::testing::WithParamInterface<uint32_t> {};

TEST_P(FillTest, FillsExactlyTheRangeWithThePattern) {
  const uint32_t pattern_size = GetParam();
  const unsigned char pattern[8] = {0xa1, 0xb2, 0xc3, 0xd4, 0xe5, 0xf6, 0x07, 0x18};
  const uint64_t offset = 2 * pattern_size;
  const uint64_t size = 20 * pattern_size;
  Buffer buffer = Allocate(kSize);
  Queue queue = NewQueue();
  const std::vector<unsigned char> background(kSize, kBackground);
  ASSERT_TRUE(IsOk(keel_buffer_write(buffer.get(), 0, background.data(), kSize)));
  ASSERT_TRUE(IsOk(keel_queue_fill(queue.get(), buffer.get(), offset, size, pattern, pattern_size)));
  ASSERT_TRUE(IsOk(keel_queue_synchronize(queue.get())));
  std::vector<unsigned char> read(kSize);
  ASSERT_TRUE(IsOk(keel_buffer_read(buffer.get(), 0, read.data(), kSize)));
  EXPECT_EQ(read, ExpectedFill(offset, size, pattern, pattern_size));
}

INSTANTIATE_TEST_SUITE_P(PatternSizes, FillTest, ::testing::Values(1u, 2u, 4u, 8u));

TEST_F(QueueTest, FillCopiesThePatternAtTheCall) {
  Buffer buffer = Allocate(kSize);
  Queue queue = NewQueue();
  uint64_t pattern = 0x0102030405060708u;
  const unsigned char* bytes = reinterpret_cast<const unsigned char*>(&pattern);
  const std::vector<unsigned char> expected = ExpectedFill(0, kSize, bytes, 8);
  ASSERT_TRUE(IsOk(keel_queue_fill(queue.get(), buffer.get(), 0, kSize, &pattern, 8)));
  pattern = 0;  // the fill must already have its own copy
  ASSERT_TRUE(IsOk(keel_queue_synchronize(queue.get())));
  std::vector<unsigned char> read(kSize);
  ASSERT_TRUE(IsOk(keel_buffer_read(buffer.get(), 0, read.data(), kSize)));
  EXPECT_EQ(read, expected);
}

TEST_F(QueueTest, MalformedFillsAreInvalidArguments) {
  Buffer buffer = Allocate(kSize);
  Queue queue = NewQueue();
  const unsigned char pattern[16] = {};
  EXPECT_EQ(CodeOf(keel_queue_fill(queue.get(), buffer.get(), 0, 10, pattern, 4)), KEEL_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(CodeOf(keel_queue_fill(queue.get(), buffer.get(), 0, 12, pattern, 3)), KEEL_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(CodeOf(keel_queue_fill(queue.get(), buffer.get(), 0, 32, pattern, 16)), KEEL_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(CodeOf(keel_queue_fill(queue.get(), buffer.get(), 0, 8, pattern, 0)), KEEL_STATUS_INVALID_ARGUMENT);
  EXPECT_TRUE(IsOk(keel_queue_fill(queue.get(), buffer.get(), 0, 0, pattern, 4)));
  EXPECT_TRUE(IsOk(keel_queue_synchronize(queue.get())));
}

// Host callbacks record their turn and the event's value at that moment.
struct OrderLog {
  keel_event_t* event = nullptr;
  std::mutex mutex;
  std::vector<int> turns;
  std::vector<uint64_t> event_values;
};

struct Turn {
  OrderLog* log;
  int turn;
};

void RecordTurn(void* user_data) {
  const Turn* turn = static_cast<const Turn*>(user_data);
  uint64_t value = 0;
  Status status(keel_event_query(turn->log->event, &value));
  std::lock_guard<std::mutex> lock(turn->log->mutex);
  turn->log->turns.push_back(turn->turn);
  turn->log->event_values.push_back(status.ok() ? value : UINT64_MAX);
}

TEST_F(QueueTest, CallbacksAndSignalsRunInEnqueueOrder) {
  constexpr int kTurns = 50;
  Event event = NewEvent(0);
  Queue queue = NewQueue();
  OrderLog log;
  log.event = event.get();
  std::vector<Turn> turns;
  turns.reserve(kTurns);
  for (int i = 1; i <= kTurns; ++i) {
    turns.push_back({&log, i});
    ASSERT_TRUE(IsOk(keel_queue_host_callback(queue.get(), RecordTurn, &turns.back())));
    ASSERT_TRUE(IsOk(keel_queue_signal(queue.get(), event.get(), static_cast<uint64_t>(i))));
  }
  ASSERT_TRUE(IsOk(keel_queue_synchronize(queue.get())));

  std::vector<int> expected_turns;
  std::vector<uint64_t> expected_values;  // callback i runs after signal i-1 and before signal i
  for (int i = 1; i <= kTurns; ++i) {
    expected_turns.push_back(i);
    expected_values.push_back(static_cast<uint64_t>(i - 1));
  }
  EXPECT_EQ(log.turns, expected_turns);
  EXPECT_EQ(log.event_values, expected_values);
  uint64_t value = 0;
  ASSERT_TRUE(IsOk(keel_event_query(event.get(), &value)));
  EXPECT_EQ(value, static_cast<uint64_t>(kTurns));
}

struct CopyCheck {
  const unsigned char* host = nullptr;
  unsigned char seen = 0;
};

TEST_F(QueueTest, CallbackSeesEarlierWork) {
  Buffer buffer = Allocate(kSize);
  Queue queue = NewQueue();
  const std::vector<unsigned char> data(kSize, 0x5a);
  std::vector<unsigned char> read(kSize, 0);
  CopyCheck check{read.data()};
  ASSERT_TRUE(IsOk(keel_queue_write(queue.get(), buffer.get(), 0, data.data(), kSize)));
  ASSERT_TRUE(IsOk(keel_queue_read(queue.get(), buffer.get(), 0, read.data(), kSize)));
  auto callback = [](void* user_data) {
    auto* c = static_cast<CopyCheck*>(user_data);
    c->seen = c->host[kSize - 1];
  };
  ASSERT_TRUE(IsOk(keel_queue_host_callback(queue.get(), callback, &check)));
  ASSERT_TRUE(IsOk(keel_queue_synchronize(queue.get())));
  EXPECT_EQ(check.seen, 0x5a);
  EXPECT_EQ(read, data);
}

TEST_F(QueueTest, QueueReportsItsDevice) {
  Queue queue = NewQueue();
  EXPECT_EQ(keel_queue_device(queue.get()), device_);
}

}  // namespace
}  // namespace keel::test
