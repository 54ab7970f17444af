// The runtime surface of the oneDNN device through libkeel: memory (alignment, statistics, impossible
// sizes, fills and copies including the parallel paths), imported host memory, timeline events, and the
// queue error rules of keel_plugin.h.
#include <gtest/gtest.h>

#include <cstring>
#include <thread>
#include <vector>

#include "harness.h"

namespace keel::onednn_test {
namespace {

keel_device_t* device() { return Harness::get().onednn(); }

keel_buffer_t* allocate(uint64_t size, uint64_t alignment = 0, keel_status_code_t* code = nullptr) {
  keel_buffer_allocate_args_t args{};
  args.struct_size = sizeof args;
  args.size = size;
  args.alignment = alignment;
  keel_buffer_t* buffer = nullptr;
  const keel_status_code_t result = consume(keel_buffer_allocate(device(), &args, &buffer));
  if (code != nullptr) *code = result;
  return buffer;
}

TEST(MemoryTest, AllocationsAreAlignedAndDistinct) {
  keel_buffer_t* empty1 = allocate(0);
  keel_buffer_t* empty2 = allocate(0);
  ASSERT_NE(empty1, nullptr);
  ASSERT_NE(empty2, nullptr);
  EXPECT_NE(keel_buffer_host_pointer(empty1), keel_buffer_host_pointer(empty2));
  keel_buffer_t* small = allocate(3);
  keel_buffer_t* page = allocate(100, 4096);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(keel_buffer_host_pointer(small)) % 64, 0u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(keel_buffer_host_pointer(page)) % 4096, 0u);
  for (keel_buffer_t* b : {empty1, empty2, small, page}) keel_buffer_release(b);
  keel_status_code_t code;
  EXPECT_EQ(allocate(16, 48, &code), nullptr);
  EXPECT_EQ(code, KEEL_STATUS_INVALID_ARGUMENT);
}

TEST(MemoryTest, ImpossibleSizesAreResourceExhausted) {
  for (const uint64_t size : {uint64_t{1} << 62, ~uint64_t{0}, uint64_t{1} << 50}) {
    keel_status_code_t code;
    EXPECT_EQ(allocate(size, 0, &code), nullptr);
    EXPECT_EQ(code, KEEL_STATUS_RESOURCE_EXHAUSTED) << size;
  }
}

TEST(MemoryTest, StatisticsFollowAllocations) {
  keel_memory_stats_t before{};
  before.struct_size = sizeof before;
  ASSERT_EQ(consume(keel_device_memory_stats(device(), 0, &before)), KEEL_STATUS_OK);
  ASSERT_EQ(consume(keel_device_memory_reset_peak(device(), 0)), KEEL_STATUS_OK);
  keel_buffer_t* a = allocate(1000);
  keel_buffer_t* b = allocate(24);
  keel_memory_stats_t during{};
  during.struct_size = sizeof during;
  ASSERT_EQ(consume(keel_device_memory_stats(device(), 0, &during)), KEEL_STATUS_OK);
  EXPECT_EQ(during.bytes_in_use, before.bytes_in_use + 1024);
  EXPECT_EQ(during.allocation_count, before.allocation_count + 2);
  EXPECT_GE(during.peak_bytes_in_use, during.bytes_in_use);
  EXPECT_GT(during.bytes_limit, 0u);
  keel_buffer_release(a);
  keel_buffer_release(b);
  keel_memory_stats_t after{};
  after.struct_size = sizeof after;
  ASSERT_EQ(consume(keel_device_memory_stats(device(), 0, &after)), KEEL_STATUS_OK);
  EXPECT_EQ(after.bytes_in_use, before.bytes_in_use);
  EXPECT_EQ(after.peak_bytes_in_use, during.peak_bytes_in_use);
  EXPECT_EQ(consume(keel_device_memory_stats(device(), 1, &after)), KEEL_STATUS_OUT_OF_RANGE);
}

TEST(MemoryTest, FillsWriteThePatternExactlyWhereAsked) {
  keel_queue_t* queue = Harness::get().queue(device());
  for (const uint64_t size : {uint64_t{40}, uint64_t{8} << 20}) {  // small, and large enough for parallel fills
    keel_buffer_t* buffer = allocate(size + 16);
    std::vector<unsigned char> guard(size + 16, 0x11);
    ASSERT_EQ(consume(keel_buffer_write(buffer, 0, guard.data(), guard.size())), KEEL_STATUS_OK);
    for (const uint32_t pattern_size : {1u, 2u, 4u, 8u}) {
      const unsigned char pattern[8] = {1, 2, 3, 4, 5, 6, 7, 8};
      ASSERT_EQ(consume(keel_queue_fill(queue, buffer, 3, size, pattern, pattern_size)), KEEL_STATUS_OK);
      std::vector<unsigned char> got(size + 16);
      ASSERT_EQ(consume(keel_buffer_read(buffer, 0, got.data(), got.size())), KEEL_STATUS_OK);
      EXPECT_EQ(got[2], 0x11);
      EXPECT_EQ(got[3 + size], 0x11);
      for (uint64_t i = 0; i < size; i += 997) EXPECT_EQ(got[3 + i], pattern[i % pattern_size]) << i;
      EXPECT_EQ(got[3 + size - 1], pattern[(size - 1) % pattern_size]);
    }
    keel_buffer_release(buffer);
  }
}

TEST(MemoryTest, CopiesAreExactAndOverlapLikeMemmove) {
  const uint64_t size = 6 << 20;
  keel_buffer_t* src = allocate(size);
  keel_buffer_t* dst = allocate(size);
  std::vector<uint32_t> data(size / 4);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint32_t>(i * 2654435761u);
  ASSERT_EQ(consume(keel_buffer_write(src, 0, data.data(), size)), KEEL_STATUS_OK);
  ASSERT_EQ(consume(keel_buffer_copy(src, 0, dst, 0, size)), KEEL_STATUS_OK);
  std::vector<uint32_t> got(data.size());
  ASSERT_EQ(consume(keel_buffer_read(dst, 0, got.data(), size)), KEEL_STATUS_OK);
  EXPECT_EQ(got, data);
  // Overlapping, within one buffer: shift by 4 bytes.
  ASSERT_EQ(consume(keel_buffer_copy(src, 0, src, 4, size - 4)), KEEL_STATUS_OK);
  ASSERT_EQ(consume(keel_buffer_read(src, 0, got.data(), size)), KEEL_STATUS_OK);
  for (size_t i = 1; i < data.size(); i += 4099) EXPECT_EQ(got[i], data[i - 1]) << i;
  EXPECT_EQ(consume(keel_buffer_copy(src, 1, dst, 0, size)), KEEL_STATUS_OUT_OF_RANGE);
  keel_buffer_release(src);
  keel_buffer_release(dst);
}

TEST(MemoryTest, ImportedHostMemoryIsSharedNotCopied) {
  std::vector<float> memory = {1, 2, 3, 4};
  keel_buffer_t* buffer = nullptr;
  ASSERT_EQ(consume(keel_buffer_import_host(device(), memory.data(), 16, &buffer)), KEEL_STATUS_OK);
  EXPECT_EQ(keel_buffer_host_pointer(buffer), memory.data());
  const float value = 9;
  ASSERT_EQ(consume(keel_buffer_write(buffer, 8, &value, 4)), KEEL_STATUS_OK);
  EXPECT_EQ(memory[2], 9);
  keel_buffer_release(buffer);
  EXPECT_EQ(memory[3], 4);  // releasing does not free or touch caller memory
}

TEST(EventTest, TimelineSignalWaitAndFailure) {
  keel_event_t* event = nullptr;
  ASSERT_EQ(consume(keel_event_create(device(), 5, &event)), KEEL_STATUS_OK);
  uint64_t value = 0;
  ASSERT_EQ(consume(keel_event_query(event, &value)), KEEL_STATUS_OK);
  EXPECT_EQ(value, 5u);
  EXPECT_EQ(consume(keel_event_signal(event, 4)), KEEL_STATUS_INVALID_ARGUMENT);
  uint8_t reached = 1;
  ASSERT_EQ(consume(keel_event_host_wait(event, 7, 1000000, &reached)), KEEL_STATUS_OK);
  EXPECT_EQ(reached, 0);
  std::thread signaller([&] { EXPECT_EQ(consume(keel_event_signal(event, 7)), KEEL_STATUS_OK); });
  ASSERT_EQ(consume(keel_event_host_wait(event, 7, KEEL_WAIT_INFINITE, &reached)), KEEL_STATUS_OK);
  signaller.join();
  EXPECT_EQ(reached, 1);
  ASSERT_EQ(consume(keel_event_fail(event, KEEL_STATUS_DATA_LOSS, "disk on fire")), KEEL_STATUS_OK);
  ASSERT_EQ(consume(keel_event_fail(event, KEEL_STATUS_INTERNAL, "second")), KEEL_STATUS_OK);  // first wins
  std::string message;
  EXPECT_EQ(consume(keel_event_query(event, &value), &message), KEEL_STATUS_DATA_LOSS);
  EXPECT_EQ(message, "disk on fire");
  EXPECT_EQ(consume(keel_event_host_wait(event, 1, 0, &reached)), KEEL_STATUS_DATA_LOSS);
  keel_event_release(event);
}

void count_call(void* user_data) { ++*static_cast<int*>(user_data); }

TEST(QueueTest, AFailedWaitPoisonsTheQueueUntilSynchronize) {
  Harness& h = Harness::get();
  keel_queue_t* queue = nullptr;
  ASSERT_EQ(consume(keel_queue_create(device(), nullptr, &queue)), KEEL_STATUS_OK);
  keel_event_t* failed = nullptr;
  keel_event_t* signalled = nullptr;
  ASSERT_EQ(consume(keel_event_create(device(), 0, &failed)), KEEL_STATUS_OK);
  ASSERT_EQ(consume(keel_event_create(device(), 0, &signalled)), KEEL_STATUS_OK);
  ASSERT_EQ(consume(keel_event_fail(failed, KEEL_STATUS_CANCELLED, "upstream")), KEEL_STATUS_OK);

  HostTensor ones = HostTensor::zeros(KEEL_DTYPE_F32, {4});
  for (int64_t i = 0; i < 4; ++i) ones.set(i, 1);
  DeviceTensor a = h.upload(device(), ones, Layout::kDense);
  DeviceTensor y = h.upload(device(), HostTensor::zeros(KEEL_DTYPE_F32, {4}), Layout::kDense);
  const keel_op_t* add = nullptr;
  ASSERT_EQ(consume(keel_op_find("add", &add)), KEEL_STATUS_OK);
  const keel_tensor_t in[2] = {a.view(), a.view()};
  const keel_tensor_t out[1] = {y.view()};

  ASSERT_EQ(consume(keel_queue_wait(queue, failed, 1)), KEEL_STATUS_OK);
  EXPECT_EQ(consume(keel_op_run(queue, add, nullptr, in, 2, out, 1)), KEEL_STATUS_OK);  // skipped
  int callbacks = 0;
  ASSERT_EQ(consume(keel_queue_host_callback(queue, count_call, &callbacks)), KEEL_STATUS_OK);
  EXPECT_EQ(callbacks, 1);  // callbacks still run
  ASSERT_EQ(consume(keel_queue_signal(queue, signalled, 1)), KEEL_STATUS_OK);
  std::string message;
  uint64_t value = 0;
  EXPECT_EQ(consume(keel_event_query(signalled, &value), &message), KEEL_STATUS_CANCELLED);
  EXPECT_EQ(message, "upstream");
  EXPECT_EQ(h.download(y).get(0), 0) << "work after the failed wait was skipped";

  EXPECT_EQ(consume(keel_queue_synchronize(queue), &message), KEEL_STATUS_CANCELLED);
  EXPECT_EQ(consume(keel_queue_synchronize(queue)), KEEL_STATUS_OK);  // cleared
  EXPECT_EQ(consume(keel_op_run(queue, add, nullptr, in, 2, out, 1)), KEEL_STATUS_OK);
  EXPECT_EQ(consume(keel_queue_synchronize(queue)), KEEL_STATUS_OK);
  EXPECT_EQ(h.download(y).get(0), 2) << "the queue runs again";
  keel_event_release(failed);
  keel_event_release(signalled);
  keel_queue_release(queue);
}

}  // namespace
}  // namespace keel::onednn_test
