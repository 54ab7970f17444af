// The CUDA device's runtime surface through libkeel: properties, both memory spaces, statistics, running out
// of memory, synchronous and queue-ordered copies (pageable and pinned host memory), fills at any offset.
#include <gtest/gtest.h>

#include <cstring>
#include <numeric>
#include <string>
#include <vector>

#include "harness/gpu_env.h"

namespace keel::cuda_test {
namespace {

using keel::test::CodeOf;
using keel::test::IsOk;

class CudaRuntimeTest : public GpuTest {
 protected:
  void SetUp() override {
    GpuTest::SetUp();
    if (!IsSkipped() && !env().testing_cuda()) GTEST_SKIP() << "checks the CUDA plugin's runtime surface";
  }

  Buffer allocate_bytes(uint64_t size, uint32_t space = 0, uint32_t flags = 0, uint64_t alignment = 0) {
    keel_buffer_allocate_args_t args{};
    args.struct_size = sizeof args;
    args.memory_space = space;
    args.size = size;
    args.flags = flags;
    args.alignment = alignment;
    keel_buffer_t* raw = nullptr;
    EXPECT_TRUE(IsOk(keel_buffer_allocate(device(), &args, &raw)));
    return Buffer(raw);
  }

  keel_memory_stats_t stats(uint32_t space) {
    keel_memory_stats_t out{};
    out.struct_size = sizeof out;
    EXPECT_TRUE(IsOk(keel_device_memory_stats(device(), space, &out)));
    return out;
  }

  Queue make_queue() {
    keel_queue_t* raw = nullptr;
    EXPECT_TRUE(IsOk(keel_queue_create(device(), nullptr, &raw)));
    return Queue(raw);
  }
};

TEST_F(CudaRuntimeTest, DescribesTheGpu) {
  keel_device_properties_t properties{};
  properties.struct_size = sizeof properties;
  ASSERT_TRUE(IsOk(keel_device_properties(device(), &properties)));
  EXPECT_STREQ(properties.vendor, "NVIDIA");
  EXPECT_TRUE(properties.type == KEEL_DEVICE_TYPE_GPU || properties.type == KEEL_DEVICE_TYPE_IGPU);
  EXPECT_EQ(properties.uuid_is_set, 1);
  EXPECT_EQ(properties.pci_bus_id_is_set, 1);
  EXPECT_EQ(std::strlen(properties.pci_bus_id), 12u) << properties.pci_bus_id;  // dddd:bb:dd.f
  EXPECT_GT(properties.memory_bytes, 0u);
  EXPECT_GT(properties.compute_units, 0u);
  EXPECT_EQ(properties.memory_space_count, 2u);
  EXPECT_NE(properties.capabilities & KEEL_CAP_ASYNC, 0u);
  EXPECT_NE(properties.capabilities & KEEL_CAP_HOST_PINNED, 0u);
  EXPECT_NE(properties.capabilities & KEEL_CAP_F64, 0u);
  size_t count = 0;
  ASSERT_TRUE(IsOk(keel_device_attributes(device(), nullptr, &count)));
  std::vector<keel_attribute_t> attributes(count);
  ASSERT_TRUE(IsOk(keel_device_attributes(device(), attributes.data(), &count)));
  bool has_capability = false;
  for (const keel_attribute_t& attribute : attributes) has_capability |= std::string(attribute.key) == "compute_capability";
  EXPECT_TRUE(has_capability);
}

TEST_F(CudaRuntimeTest, MemorySpaces) {
  keel_memory_space_properties_t space{};
  space.struct_size = sizeof space;
  ASSERT_TRUE(IsOk(keel_device_memory_space_properties(device(), 0, &space)));
  EXPECT_EQ(space.kind, KEEL_MEMORY_KIND_DEVICE);
  EXPECT_EQ(space.host_accessible, 0);
  ASSERT_TRUE(IsOk(keel_device_memory_space_properties(device(), 1, &space)));
  EXPECT_EQ(space.kind, KEEL_MEMORY_KIND_HOST_PINNED);
  EXPECT_EQ(space.host_accessible, 1);
  EXPECT_EQ(CodeOf(keel_device_memory_space_properties(device(), 2, &space)), KEEL_STATUS_OUT_OF_RANGE);

  Buffer device_buffer = allocate_bytes(1000, 0);
  EXPECT_EQ(keel_buffer_host_pointer(device_buffer.get()), nullptr);
  Buffer pinned = allocate_bytes(1000, 1);
  auto* host = static_cast<unsigned char*>(keel_buffer_host_pointer(pinned.get()));
  ASSERT_NE(host, nullptr);
  std::iota(host, host + 1000, 0);
  ASSERT_TRUE(IsOk(keel_buffer_copy(pinned.get(), 0, device_buffer.get(), 0, 1000)));
  std::vector<unsigned char> back(1000);
  ASSERT_TRUE(IsOk(keel_buffer_read(device_buffer.get(), 0, back.data(), back.size())));
  EXPECT_EQ(std::memcmp(back.data(), host, 1000), 0);
}

TEST_F(CudaRuntimeTest, StatisticsCountBuffersAsRequested) {
  const keel_memory_stats_t before = stats(0);
  EXPECT_GT(before.bytes_limit, 0u);
  {
    Buffer a = allocate_bytes(1000);
    Buffer b = allocate_bytes(3);
    const keel_memory_stats_t during = stats(0);
    EXPECT_EQ(during.bytes_in_use, before.bytes_in_use + 1003);
    EXPECT_EQ(during.allocation_count, before.allocation_count + 2);
    EXPECT_GE(during.peak_bytes_in_use, during.bytes_in_use);
  }
  const keel_memory_stats_t after = stats(0);
  EXPECT_EQ(after.bytes_in_use, before.bytes_in_use);
  ASSERT_TRUE(IsOk(keel_device_memory_reset_peak(device(), 0)));
  EXPECT_EQ(stats(0).peak_bytes_in_use, after.bytes_in_use);
}

TEST_F(CudaRuntimeTest, ZeroByteBuffersAreDistinctAndAlignmentIsHonoured) {
  Buffer a = allocate_bytes(0);
  Buffer b = allocate_bytes(0);
  ASSERT_NE(a.get(), nullptr);
  ASSERT_NE(b.get(), nullptr);
  Buffer pinned = allocate_bytes(10, 1, 0, 1 << 16);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(keel_buffer_host_pointer(pinned.get())) % (1 << 16), 0u);
  keel_buffer_allocate_args_t args{};
  args.struct_size = sizeof args;
  args.size = 16;
  args.alignment = 48;
  keel_buffer_t* raw = nullptr;
  EXPECT_EQ(CodeOf(keel_buffer_allocate(device(), &args, &raw)), KEEL_STATUS_INVALID_ARGUMENT);
}

TEST_F(CudaRuntimeTest, ZeroInitFillsWithZeros) {
  Buffer buffer = allocate_bytes(4097, 0, KEEL_ALLOCATE_ZERO_INIT);
  std::vector<unsigned char> bytes(4097, 0xff);
  ASSERT_TRUE(IsOk(keel_buffer_read(buffer.get(), 0, bytes.data(), bytes.size())));
  for (const unsigned char byte : bytes) ASSERT_EQ(byte, 0);
}

TEST_F(CudaRuntimeTest, ImpossibleAllocationIsResourceExhaustedAndRecoverable) {
  keel_buffer_allocate_args_t args{};
  args.struct_size = sizeof args;
  args.size = uint64_t{1} << 50;
  keel_buffer_t* raw = nullptr;
  keel::test::Status status(keel_buffer_allocate(device(), &args, &raw));
  EXPECT_EQ(status.code(), KEEL_STATUS_RESOURCE_EXHAUSTED) << status.to_string();
  EXPECT_EQ(raw, nullptr);
  Buffer fine = allocate_bytes(1 << 20);
  EXPECT_NE(fine.get(), nullptr);
  args.size = UINT64_MAX;
  EXPECT_EQ(CodeOf(keel_buffer_allocate(device(), &args, &raw)), KEEL_STATUS_RESOURCE_EXHAUSTED);
}

TEST_F(CudaRuntimeTest, SynchronousCopiesIncludingOverlap) {
  Buffer buffer = allocate_bytes(64);
  std::vector<unsigned char> data(64);
  std::iota(data.begin(), data.end(), 0);
  ASSERT_TRUE(IsOk(keel_buffer_write(buffer.get(), 0, data.data(), 64)));
  ASSERT_TRUE(IsOk(keel_buffer_copy(buffer.get(), 0, buffer.get(), 8, 32)));  // overlapping: memmove
  std::vector<unsigned char> back(64);
  ASSERT_TRUE(IsOk(keel_buffer_read(buffer.get(), 0, back.data(), 64)));
  for (int i = 0; i < 32; ++i) EXPECT_EQ(back[8 + i], i);
  EXPECT_EQ(CodeOf(keel_buffer_read(buffer.get(), 60, back.data(), 8)), KEEL_STATUS_OUT_OF_RANGE);
}

TEST_F(CudaRuntimeTest, QueueCopiesWithPageableAndPinnedHostMemory) {
  Queue queue = make_queue();
  Buffer buffer = allocate_bytes(1 << 20);
  Buffer pinned = allocate_bytes(1 << 20, 1);
  auto* staging = static_cast<uint32_t*>(keel_buffer_host_pointer(pinned.get()));
  std::vector<uint32_t> pageable(1 << 18), back(1 << 18);
  std::iota(pageable.begin(), pageable.end(), 7u);
  ASSERT_TRUE(IsOk(keel_queue_write(queue.get(), buffer.get(), 0, pageable.data(), 1 << 20)));
  ASSERT_TRUE(IsOk(keel_queue_read(queue.get(), buffer.get(), 0, staging, 1 << 20)));   // pinned destination
  ASSERT_TRUE(IsOk(keel_queue_write(queue.get(), buffer.get(), 0, staging, 1 << 20)));  // pinned source
  ASSERT_TRUE(IsOk(keel_queue_read(queue.get(), buffer.get(), 0, back.data(), 1 << 20)));
  ASSERT_TRUE(IsOk(keel_queue_synchronize(queue.get())));
  EXPECT_EQ(back, pageable);
}

TEST_F(CudaRuntimeTest, QueueReadsAndWritesHostMemoryInQueueOrder) {
  // A write whose source an earlier read fills: pageable memory is staged in stream order, not at the call.
  Queue queue = make_queue();
  Buffer a = allocate_bytes(4096), b = allocate_bytes(4096);
  std::vector<unsigned char> ones(4096, 1), middle(4096, 0), back(4096, 0);
  ASSERT_TRUE(IsOk(keel_buffer_write(a.get(), 0, ones.data(), 4096)));
  ASSERT_TRUE(IsOk(keel_queue_read(queue.get(), a.get(), 0, middle.data(), 4096)));
  ASSERT_TRUE(IsOk(keel_queue_write(queue.get(), b.get(), 0, middle.data(), 4096)));
  ASSERT_TRUE(IsOk(keel_queue_read(queue.get(), b.get(), 0, back.data(), 4096)));
  ASSERT_TRUE(IsOk(keel_queue_synchronize(queue.get())));
  EXPECT_EQ(back, ones);
}

TEST_F(CudaRuntimeTest, FillsWithEveryPatternSizeAtAnyOffset) {
  Queue queue = make_queue();
  Buffer buffer = allocate_bytes(64);
  const uint64_t pattern = 0x0807060504030201ull;
  for (const uint32_t size : {1u, 2u, 4u, 8u}) {
    for (const uint64_t offset : {0u, 1u, 3u, 8u}) {
      std::vector<unsigned char> zeros(64, 0), back(64);
      ASSERT_TRUE(IsOk(keel_buffer_write(buffer.get(), 0, zeros.data(), 64)));
      ASSERT_TRUE(IsOk(keel_queue_fill(queue.get(), buffer.get(), offset, 8 * size, &pattern, size)));
      ASSERT_TRUE(IsOk(keel_queue_synchronize(queue.get())));
      ASSERT_TRUE(IsOk(keel_buffer_read(buffer.get(), 0, back.data(), 64)));
      for (uint64_t i = 0; i < 64; ++i) {
        const bool inside = i >= offset && i < offset + 8 * size;
        const unsigned expected = inside ? static_cast<unsigned>((pattern >> (8 * ((i - offset) % size))) & 0xff) : 0u;
        ASSERT_EQ(back[i], expected) << "pattern " << size << " offset " << offset << " byte " << i;
      }
    }
  }
  EXPECT_EQ(CodeOf(keel_queue_fill(queue.get(), buffer.get(), 0, 6, &pattern, 4)), KEEL_STATUS_INVALID_ARGUMENT);
}

TEST_F(CudaRuntimeTest, QueuePriorities) {
  for (const int32_t priority : {-1, 0, 1}) {
    keel_queue_create_args_t args{};
    args.struct_size = sizeof args;
    args.priority = priority;
    keel_queue_t* raw = nullptr;
    ASSERT_TRUE(IsOk(keel_queue_create(device(), &args, &raw)));
    Queue queue(raw);
    ASSERT_TRUE(IsOk(keel_queue_synchronize(queue.get())));
  }
}

}  // namespace
}  // namespace keel::cuda_test
