// Device memory of the OpenCL plugin: impossible sizes are RESOURCE_EXHAUSTED (never a crash), copies keep
// every bit (NaN payloads, -0) at any offset, overlapping copies behave like memmove, fills at unaligned
// offsets, and the statistics follow allocations.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "harness.h"

namespace keel::opencl_test {
namespace {

class MemoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    KEEL_REQUIRE_OPENCL();
    device_ = Devices::get().opencl;
  }
  keel_status_t try_allocate(uint64_t size, keel_buffer_t** out) {
    keel_buffer_allocate_args_t args{};
    args.struct_size = sizeof args;
    args.size = size;
    return keel_buffer_allocate(device_, &args, out);
  }
  Buffer allocate(uint64_t size) {
    keel_buffer_t* buffer = nullptr;
    EXPECT_TRUE(IsOk(try_allocate(size, &buffer)));
    return Buffer(buffer);
  }
  keel_memory_stats_t stats() {
    keel_memory_stats_t s{};
    s.struct_size = sizeof s;
    EXPECT_TRUE(IsOk(keel_device_memory_stats(device_, 0, &s)));
    return s;
  }
  uint64_t attribute(const char* key) {
    size_t count = 0;
    EXPECT_TRUE(IsOk(keel_device_attributes(device_, nullptr, &count)));
    std::vector<keel_attribute_t> attributes(count);
    EXPECT_TRUE(IsOk(keel_device_attributes(device_, attributes.data(), &count)));
    for (const keel_attribute_t& a : attributes) {
      if (std::string(a.key) == key) return std::stoull(a.value);
    }
    ADD_FAILURE() << "no attribute " << key;
    return 0;
  }

  keel_device_t* device_ = nullptr;
};

TEST_F(MemoryTest, ImpossibleSizesAreResourceExhausted) {
  const keel_memory_stats_t before = stats();
  keel_buffer_t* buffer = nullptr;
  const Status huge(try_allocate(UINT64_MAX, &buffer));
  EXPECT_EQ(huge.code(), KEEL_STATUS_RESOURCE_EXHAUSTED) << huge.to_string();
  const uint64_t largest = attribute("max_allocation_bytes");
  const Status too_large(try_allocate(largest + 1, &buffer));
  EXPECT_EQ(too_large.code(), KEEL_STATUS_RESOURCE_EXHAUSTED) << too_large.to_string();
  EXPECT_NE(too_large.message().find("largest allocation"), std::string::npos) << too_large.message();
  const keel_memory_stats_t after = stats();
  EXPECT_EQ(after.bytes_in_use, before.bytes_in_use);
  EXPECT_EQ(after.allocation_count, before.allocation_count);
}

TEST_F(MemoryTest, AllocationsBeyondTheDeviceMemoryAreRefused) {
  // Largest-size buffers until the device's memory is used up; OpenCL allocates lazily, so this touches
  // nothing, and the plugin refuses the one that no longer fits.
  const uint64_t largest = attribute("max_allocation_bytes");
  const uint64_t limit = stats().bytes_limit;
  std::vector<Buffer> held;
  keel_status_code_t last = KEEL_STATUS_OK;
  for (uint64_t i = 0; i <= limit / largest + 1 && last == KEEL_STATUS_OK; ++i) {
    keel_buffer_t* buffer = nullptr;
    last = CodeOf(try_allocate(largest, &buffer));
    if (last == KEEL_STATUS_OK) held.emplace_back(buffer);
  }
  EXPECT_EQ(last, KEEL_STATUS_RESOURCE_EXHAUSTED);
  EXPECT_LE(stats().bytes_in_use, limit);
}

TEST_F(MemoryTest, StatisticsFollowAllocations) {
  const keel_memory_stats_t start = stats();
  ASSERT_TRUE(IsOk(keel_device_memory_reset_peak(device_, 0)));
  {
    Buffer a = allocate(1000);
    Buffer empty = allocate(0);
    Buffer b = allocate(24);
    const keel_memory_stats_t during = stats();
    EXPECT_EQ(during.bytes_in_use, start.bytes_in_use + 1024);
    EXPECT_EQ(during.allocation_count, start.allocation_count + 3);
    EXPECT_GE(during.peak_bytes_in_use, during.bytes_in_use);
    EXPECT_GT(during.bytes_limit, 0u);
  }
  const keel_memory_stats_t end = stats();
  EXPECT_EQ(end.bytes_in_use, start.bytes_in_use);
  EXPECT_EQ(end.allocation_count, start.allocation_count);
  EXPECT_GE(end.peak_bytes_in_use, start.bytes_in_use + 1024);
}

std::vector<unsigned char> special_bytes(size_t size) {
  std::vector<unsigned char> bytes(size);
  const uint32_t words[] = {0x7fa00123u, 0xffc00042u, 0x80000000u, 0x7f800001u, 0x00000001u, 0xdeadbeefu};
  for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<unsigned char>(words[(i / 4) % 6] >> (8 * (i % 4)));
  return bytes;
}

TEST_F(MemoryTest, RoundTripsKeepEveryBitAtAnyOffset) {
  const std::vector<unsigned char> data = special_bytes(4099);
  Buffer buffer = allocate(5000);
  for (const uint64_t offset : {0u, 1u, 3u, 7u, 901u}) {
    ASSERT_TRUE(IsOk(keel_buffer_write(buffer.get(), offset, data.data(), data.size())));
    std::vector<unsigned char> read(data.size());
    ASSERT_TRUE(IsOk(keel_buffer_read(buffer.get(), offset, read.data(), read.size())));
    EXPECT_EQ(read, data) << "offset " << offset;
  }
  // Device to device, through a queue, and back.
  Buffer other = allocate(5000);
  ASSERT_TRUE(IsOk(keel_buffer_copy(buffer.get(), 901, other.get(), 5, data.size())));
  keel_queue_t* queue = Devices::get().opencl_queue.get();
  std::vector<unsigned char> read(data.size());
  ASSERT_TRUE(IsOk(keel_queue_read(queue, other.get(), 5, read.data(), read.size())));
  ASSERT_TRUE(IsOk(keel_queue_synchronize(queue)));
  EXPECT_EQ(read, data);
}

TEST_F(MemoryTest, OverlappingCopiesBehaveLikeMemmove) {
  const std::vector<unsigned char> data = special_bytes(256);
  Buffer buffer = allocate(256);
  keel_queue_t* queue = Devices::get().opencl_queue.get();
  for (const bool queued : {false, true}) {
    for (const auto& [from, to] : {std::pair<uint64_t, uint64_t>{0, 10}, {10, 0}, {3, 4}}) {
      ASSERT_TRUE(IsOk(keel_buffer_write(buffer.get(), 0, data.data(), data.size())));
      const uint64_t size = 200;
      if (queued) {
        ASSERT_TRUE(IsOk(keel_queue_copy(queue, buffer.get(), from, buffer.get(), to, size)));
        ASSERT_TRUE(IsOk(keel_queue_synchronize(queue)));
      } else {
        ASSERT_TRUE(IsOk(keel_buffer_copy(buffer.get(), from, buffer.get(), to, size)));
      }
      std::vector<unsigned char> expected = data;
      std::memmove(expected.data() + to, data.data() + from, size);
      std::vector<unsigned char> read(256);
      ASSERT_TRUE(IsOk(keel_buffer_read(buffer.get(), 0, read.data(), read.size())));
      EXPECT_EQ(read, expected) << (queued ? "queue_copy " : "buffer_copy ") << from << " -> " << to;
    }
  }
}

TEST_F(MemoryTest, FillsAtUnalignedOffsets) {
  Buffer buffer = allocate(100);
  keel_queue_t* queue = Devices::get().opencl_queue.get();
  const unsigned char pattern[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  for (const uint32_t size : {2u, 4u, 8u}) {
    for (const uint64_t offset : {1u, 3u, 5u}) {
      const std::vector<unsigned char> zeros(100, 0);
      ASSERT_TRUE(IsOk(keel_buffer_write(buffer.get(), 0, zeros.data(), zeros.size())));
      const uint64_t length = size * 9;
      ASSERT_TRUE(IsOk(keel_queue_fill(queue, buffer.get(), offset, length, pattern, size)));
      ASSERT_TRUE(IsOk(keel_queue_synchronize(queue)));
      std::vector<unsigned char> read(100);
      ASSERT_TRUE(IsOk(keel_buffer_read(buffer.get(), 0, read.data(), read.size())));
      for (uint64_t i = 0; i < 100; ++i) {
        const unsigned char expected = i >= offset && i < offset + length ? pattern[(i - offset) % size] : 0;
        ASSERT_EQ(read[i], expected) << "pattern size " << size << ", offset " << offset << ", byte " << i;
      }
    }
  }
}

TEST_F(MemoryTest, ZeroInitializedBuffersReadAsZero) {
  keel_buffer_allocate_args_t args{};
  args.struct_size = sizeof args;
  args.size = 4097;
  args.flags = KEEL_ALLOCATE_ZERO_INIT;
  keel_buffer_t* raw = nullptr;
  ASSERT_TRUE(IsOk(keel_buffer_allocate(device_, &args, &raw)));
  const Buffer buffer(raw);
  std::vector<unsigned char> read(args.size, 0xff);
  ASSERT_TRUE(IsOk(keel_buffer_read(buffer.get(), 0, read.data(), read.size())));
  EXPECT_EQ(read, std::vector<unsigned char>(args.size, 0));
}

TEST_F(MemoryTest, DeviceMemoryIsNotHostAccessible) {
  keel_memory_space_properties_t space{};
  space.struct_size = sizeof space;
  ASSERT_TRUE(IsOk(keel_device_memory_space_properties(device_, 0, &space)));
  EXPECT_EQ(space.kind, static_cast<keel_memory_kind_t>(KEEL_MEMORY_KIND_DEVICE));
  EXPECT_EQ(space.host_accessible, 0);
  Buffer buffer = allocate(64);
  EXPECT_EQ(keel_buffer_host_pointer(buffer.get()), nullptr);
  keel_buffer_t* imported = nullptr;
  char host[16];
  EXPECT_EQ(CodeOf(keel_buffer_import_host(device_, host, sizeof host, &imported)), KEEL_STATUS_UNIMPLEMENTED);
}

}  // namespace
}  // namespace keel::opencl_test
