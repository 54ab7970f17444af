// Allocation edge cases and memory statistics on the reference device.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <random>
#include <thread>
#include <vector>

#include "reference_device_test.h"

namespace keel::test {
namespace {

using MemoryTest = ReferenceDeviceTest;

uint64_t PhysicalMemoryBytes() {
  return static_cast<uint64_t>(sysconf(_SC_PHYS_PAGES)) * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}

TEST_F(MemoryTest, ZeroByteAllocationsAreValidAndDistinct) {
  const keel_memory_stats_t before = Stats();
  Buffer a = Allocate(0);
  Buffer b = Allocate(0);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_NE(a.get(), b.get());
  EXPECT_EQ(keel_buffer_size(a.get()), 0u);
  EXPECT_EQ(keel_buffer_device(a.get()), device_);
  unsigned char byte = 0;
  EXPECT_TRUE(IsOk(keel_buffer_write(a.get(), 0, &byte, 0)));
  EXPECT_TRUE(IsOk(keel_buffer_read(b.get(), 0, &byte, 0)));
  EXPECT_TRUE(IsOk(keel_buffer_copy(a.get(), 0, b.get(), 0, 0)));
  EXPECT_EQ(CodeOf(keel_buffer_read(a.get(), 0, &byte, 1)), KEEL_STATUS_OUT_OF_RANGE);

  const keel_memory_stats_t during = Stats();
  EXPECT_EQ(during.bytes_in_use, before.bytes_in_use);
  EXPECT_EQ(during.allocation_count, before.allocation_count + 2);
  a.reset();
  b.reset();
  EXPECT_EQ(Stats().allocation_count, before.allocation_count);
}

TEST_F(MemoryTest, NullArgsAllocateAnEmptyBuffer) {
  keel_buffer_t* raw = nullptr;
  ASSERT_TRUE(IsOk(keel_buffer_allocate(device_, nullptr, &raw)));
  Buffer buffer(raw);
  ASSERT_NE(buffer, nullptr);
  EXPECT_EQ(keel_buffer_size(buffer.get()), 0u);
}

TEST_F(MemoryTest, ImpossibleSizesAreResourceExhaustedAndLeaveStatsAlone) {
  const keel_memory_stats_t before = Stats();
  const uint64_t sizes[] = {UINT64_MAX, uint64_t{1} << 60, 4 * PhysicalMemoryBytes(), UINT64_MAX - 4095};
  for (const uint64_t size : sizes) {
    keel_buffer_allocate_args_t args{};
    args.struct_size = sizeof args;
    args.size = size;
    args.flags = KEEL_ALLOCATE_ZERO_INIT;
    keel_buffer_t* buffer = nullptr;
    Status status(keel_buffer_allocate(device_, &args, &buffer));
    EXPECT_EQ(status.code(), KEEL_STATUS_RESOURCE_EXHAUSTED) << size << " bytes: " << status.to_string();
    EXPECT_FALSE(status.message().empty());
    if (status.ok()) keel_buffer_release(buffer);
  }
  const keel_memory_stats_t after = Stats();
  EXPECT_EQ(after.bytes_in_use, before.bytes_in_use);
  EXPECT_EQ(after.allocation_count, before.allocation_count);
  EXPECT_EQ(after.peak_bytes_in_use, before.peak_bytes_in_use);
  // And the device still allocates.
  EXPECT_NE(Allocate(64), nullptr);
}

TEST_F(MemoryTest, AlignmentMustBeAPowerOfTwoAndIsHonoured) {
  EXPECT_EQ(CodeOf(TryAllocate(64, 3)), KEEL_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(CodeOf(TryAllocate(64, 48)), KEEL_STATUS_INVALID_ARGUMENT);
  for (const uint64_t alignment : {uint64_t{1}, uint64_t{64}, uint64_t{4096}, uint64_t{1} << 16}) {
    keel_buffer_allocate_args_t args{};
    args.struct_size = sizeof args;
    args.size = 100;
    args.alignment = alignment;
    keel_buffer_t* raw = nullptr;
    ASSERT_TRUE(IsOk(keel_buffer_allocate(device_, &args, &raw))) << "alignment " << alignment;
    Buffer buffer(raw);
    if (void* host = keel_buffer_host_pointer(buffer.get())) {
      EXPECT_EQ(reinterpret_cast<uintptr_t>(host) % alignment, 0u) << "alignment " << alignment;
    }
  }
}

TEST_F(MemoryTest, UnknownMemorySpaceIsRefused) {
  keel_device_properties_t properties{};
  properties.struct_size = sizeof properties;
  ASSERT_TRUE(IsOk(keel_device_properties(device_, &properties)));
  keel_buffer_allocate_args_t args{};
  args.struct_size = sizeof args;
  args.memory_space = properties.memory_space_count;
  args.size = 16;
  keel_buffer_t* buffer = nullptr;
  Status status(keel_buffer_allocate(device_, &args, &buffer));
  EXPECT_FALSE(status.ok());
  if (status.ok()) keel_buffer_release(buffer);
}

TEST_F(MemoryTest, ZeroInitGivesZeroBytesEvenOnReusedMemory) {
  constexpr size_t kSize = 1 << 16;
  std::vector<unsigned char> bytes(kSize, 0xab);
  {
    Buffer dirty = Allocate(kSize);
    ASSERT_NE(dirty, nullptr);
    ASSERT_TRUE(IsOk(keel_buffer_write(dirty.get(), 0, bytes.data(), kSize)));
  }
  Buffer clean = Allocate(kSize, KEEL_ALLOCATE_ZERO_INIT);
  ASSERT_NE(clean, nullptr);
  ASSERT_TRUE(IsOk(keel_buffer_read(clean.get(), 0, bytes.data(), kSize)));
  EXPECT_EQ(std::count(bytes.begin(), bytes.end(), 0), static_cast<std::ptrdiff_t>(kSize));
}

TEST_F(MemoryTest, StatsFollowAllocateReleaseAndResetPeak) {
  const keel_memory_stats_t base = Stats();
  EXPECT_GE(base.peak_bytes_in_use, base.bytes_in_use);

  Buffer a = Allocate(1000);
  keel_memory_stats_t s = Stats();
  EXPECT_EQ(s.bytes_in_use, base.bytes_in_use + 1000);
  EXPECT_EQ(s.allocation_count, base.allocation_count + 1);
  EXPECT_GE(s.peak_bytes_in_use, base.bytes_in_use + 1000);

  Buffer b = Allocate(24);
  s = Stats();
  EXPECT_EQ(s.bytes_in_use, base.bytes_in_use + 1024);
  EXPECT_EQ(s.allocation_count, base.allocation_count + 2);
  const uint64_t peak = s.peak_bytes_in_use;
  EXPECT_GE(peak, base.bytes_in_use + 1024);

  a.reset();
  s = Stats();
  EXPECT_EQ(s.bytes_in_use, base.bytes_in_use + 24);
  EXPECT_EQ(s.allocation_count, base.allocation_count + 1);
  EXPECT_EQ(s.peak_bytes_in_use, peak) << "the peak does not drop on release";

  ASSERT_TRUE(IsOk(keel_device_memory_reset_peak(device_, 0)));
  s = Stats();
  EXPECT_EQ(s.peak_bytes_in_use, base.bytes_in_use + 24);

  b.reset();
  s = Stats();
  EXPECT_EQ(s.bytes_in_use, base.bytes_in_use);
  EXPECT_EQ(s.allocation_count, base.allocation_count);
  EXPECT_EQ(s.peak_bytes_in_use, base.bytes_in_use + 24);
  EXPECT_TRUE(s.bytes_limit == 0 || s.bytes_limit >= s.bytes_in_use);
}

TEST_F(MemoryTest, StatsStayConsistentUnderConcurrentChurn) {
  constexpr int kThreads = 4;
  constexpr int kIterations = 300;
  constexpr uint64_t kMaxSize = 1 << 14;
  constexpr size_t kHeld = 3;  // buffers each thread holds at most
  ASSERT_TRUE(IsOk(keel_device_memory_reset_peak(device_, 0)));
  const keel_memory_stats_t base = Stats();

  std::atomic<bool> done{false};
  std::atomic<uint64_t> largest{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < kThreads; ++t) {
    workers.emplace_back([&, t] {
      std::mt19937_64 random(t + 1);
      std::vector<Buffer> held;
      for (int i = 0; i < kIterations; ++i) {
        const uint64_t size = random() % kMaxSize + 1;
        uint64_t seen = largest.load();
        while (size > seen && !largest.compare_exchange_weak(seen, size)) {
        }
        held.push_back(Allocate(size));
        if (held.size() == kHeld) held.erase(held.begin() + static_cast<long>(random() % kHeld));
      }
    });
  }
  std::thread reader([&] {
    const uint64_t bound = base.bytes_in_use + kThreads * kHeld * kMaxSize;
    while (!done.load()) {
      const keel_memory_stats_t s = Stats();
      EXPECT_LE(s.bytes_in_use, s.peak_bytes_in_use);
      EXPECT_LE(s.bytes_in_use, bound);
      EXPECT_LE(s.allocation_count, base.allocation_count + kThreads * kHeld);
    }
  });
  for (std::thread& worker : workers) worker.join();
  done = true;
  reader.join();

  const keel_memory_stats_t after = Stats();
  EXPECT_EQ(after.bytes_in_use, base.bytes_in_use);
  EXPECT_EQ(after.allocation_count, base.allocation_count);
  EXPECT_GE(after.peak_bytes_in_use, base.bytes_in_use + largest.load());
  EXPECT_LE(after.peak_bytes_in_use, base.bytes_in_use + kThreads * kHeld * kMaxSize);
}

}  // namespace
}  // namespace keel::test
