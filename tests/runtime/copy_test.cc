// Copies keep every bit (NaN payloads, signalling NaNs, -0.0, denormals, infinities) on every path, and
// ranges outside a buffer are OUT_OF_RANGE without touching it.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "reference_device_test.h"

namespace keel::test {
namespace {

using CopyTest = ReferenceDeviceTest;

// f32 bit patterns that a copy through float registers or a conversion would change. Kept as integers so
// the test itself never loads them into a floating-point register.
const uint32_t kSpecialF32Bits[] = {
    0x7f800001u,  // signalling NaN, smallest payload
    0x7fa5a5a5u,  // signalling NaN, custom payload
    0xff800001u,  // negative signalling NaN
    0x7fc00000u,  // quiet NaN
    0x7fc12345u,  // quiet NaN, custom payload
    0xffffffffu,  // negative quiet NaN, every payload bit set
    0x80000000u,  // -0.0
    0x00000000u,  // +0.0
    0x00000001u,  // smallest denormal
    0x807fffffu,  // largest negative denormal
    0x00400000u,  // a denormal
    0x7f800000u,  // +inf
    0xff800000u,  // -inf
    0x3f800000u,  // 1.0
    0x7f7fffffu,  // largest finite
};

// `count` f32 values cycling through the special patterns, each mixed with its index so that a copy from
// the wrong offset cannot match by accident.
std::vector<uint32_t> SpecialData(size_t count) {
  std::vector<uint32_t> data(count);
  constexpr size_t kPatterns = sizeof kSpecialF32Bits / sizeof kSpecialF32Bits[0];
  for (size_t i = 0; i < count; ++i) {
    const uint32_t pattern = kSpecialF32Bits[i % kPatterns];
    // Change the payload only for NaNs (exponent all ones, mantissa non-zero), keeping them NaNs.
    const bool nan = (pattern & 0x7f800000u) == 0x7f800000u && (pattern & 0x007fffffu) != 0;
    data[i] = nan ? pattern ^ (static_cast<uint32_t>(i / kPatterns) & 0x3fu) << 8 : pattern;
  }
  return data;
}

constexpr size_t kCount = 1031;  // odd, so no path can round up to a convenient size
constexpr uint64_t kBytes = kCount * sizeof(uint32_t);

std::string Hex(uint32_t bits) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%08x", bits);
  return text;
}

::testing::AssertionResult SameBits(const std::vector<uint32_t>& expected, const std::vector<uint32_t>& actual) {
  if (expected.size() != actual.size()) return ::testing::AssertionFailure() << "sizes differ";
  for (size_t i = 0; i < expected.size(); ++i) {
    if (expected[i] != actual[i]) {
      return ::testing::AssertionFailure()
             << "element " << i << ": wrote " << Hex(expected[i]) << ", read " << Hex(actual[i]);
    }
  }
  return ::testing::AssertionSuccess();
}

TEST_F(CopyTest, WriteReadKeepsEveryBit) {
  const std::vector<uint32_t> data = SpecialData(kCount);
  Buffer buffer = Allocate(kBytes);
  ASSERT_TRUE(IsOk(keel_buffer_write(buffer.get(), 0, data.data(), kBytes)));
  std::vector<uint32_t> read(kCount);
  ASSERT_TRUE(IsOk(keel_buffer_read(buffer.get(), 0, read.data(), kBytes)));
  EXPECT_TRUE(SameBits(data, read));
  if (const void* host = keel_buffer_host_pointer(buffer.get())) {
    EXPECT_EQ(std::memcmp(host, data.data(), kBytes), 0) << "the host pointer disagrees with buffer_read";
  }
}

TEST_F(CopyTest, UnalignedOffsetsKeepEveryBit) {
  const std::vector<uint32_t> data = SpecialData(kCount);
  Buffer buffer = Allocate(kBytes + 8);
  ASSERT_TRUE(IsOk(keel_buffer_write(buffer.get(), 3, data.data(), kBytes)));
  std::vector<uint32_t> read(kCount);
  ASSERT_TRUE(IsOk(keel_buffer_read(buffer.get(), 3, read.data(), kBytes)));
  EXPECT_TRUE(SameBits(data, read));
}

TEST_F(CopyTest, BufferCopyKeepsEveryBit) {
  const std::vector<uint32_t> data = SpecialData(kCount);
  Buffer src = Allocate(kBytes + 4);
  Buffer dst = Allocate(kBytes + 12);
  ASSERT_TRUE(IsOk(keel_buffer_write(src.get(), 4, data.data(), kBytes)));
  ASSERT_TRUE(IsOk(keel_buffer_copy(src.get(), 4, dst.get(), 10, kBytes)));
  std::vector<uint32_t> read(kCount);
  ASSERT_TRUE(IsOk(keel_buffer_read(dst.get(), 10, read.data(), kBytes)));
  EXPECT_TRUE(SameBits(data, read));
}

TEST_F(CopyTest, QueueWriteCopyReadKeepEveryBit) {
  const std::vector<uint32_t> data = SpecialData(kCount);
  Buffer a = Allocate(kBytes);
  Buffer b = Allocate(kBytes + 4);
  Queue queue = NewQueue();
  std::vector<uint32_t> read(kCount);
  ASSERT_TRUE(IsOk(keel_queue_write(queue.get(), a.get(), 0, data.data(), kBytes)));
  ASSERT_TRUE(IsOk(keel_queue_copy(queue.get(), a.get(), 0, b.get(), 4, kBytes)));
  ASSERT_TRUE(IsOk(keel_queue_read(queue.get(), b.get(), 4, read.data(), kBytes)));
  ASSERT_TRUE(IsOk(keel_queue_synchronize(queue.get())));
  EXPECT_TRUE(SameBits(data, read));
}

TEST_F(CopyTest, QueueAndSyncCopiesSeeEachOther) {
  const std::vector<uint32_t> data = SpecialData(kCount);
  Buffer buffer = Allocate(kBytes);
  Queue queue = NewQueue();
  ASSERT_TRUE(IsOk(keel_queue_write(queue.get(), buffer.get(), 0, data.data(), kBytes)));
  ASSERT_TRUE(IsOk(keel_queue_synchronize(queue.get())));
  std::vector<uint32_t> read(kCount);
  ASSERT_TRUE(IsOk(keel_buffer_read(buffer.get(), 0, read.data(), kBytes)));
  EXPECT_TRUE(SameBits(data, read));
}

class OutOfRangeTest : public ReferenceDeviceTest {
 protected:
  static constexpr uint64_t kSize = 64;
  void SetUp() override {
    ReferenceDeviceTest::SetUp();
    if (HasFatalFailure()) return;
    a_ = Allocate(kSize);
    b_ = Allocate(kSize);
    ASSERT_TRUE(IsOk(keel_buffer_write(a_.get(), 0, Marker().data(), kSize)));
    ASSERT_TRUE(IsOk(keel_buffer_write(b_.get(), 0, Marker().data(), kSize)));
  }
  static std::vector<unsigned char> Marker() {
    std::vector<unsigned char> marker(kSize);
    for (size_t i = 0; i < kSize; ++i) marker[i] = static_cast<unsigned char>(0x40 + i);
    return marker;
  }
  // Both buffers still hold the marker: a refused copy wrote nothing.
  void ExpectUntouched() {
    std::vector<unsigned char> read(kSize);
    ASSERT_TRUE(IsOk(keel_buffer_read(a_.get(), 0, read.data(), kSize)));
    EXPECT_EQ(read, Marker());
    ASSERT_TRUE(IsOk(keel_buffer_read(b_.get(), 0, read.data(), kSize)));
    EXPECT_EQ(read, Marker());
  }
  Buffer a_;
  Buffer b_;
  std::vector<unsigned char> host_ = std::vector<unsigned char>(2 * kSize, 0xee);
};

TEST_F(OutOfRangeTest, SyncCopies) {
  EXPECT_EQ(CodeOf(keel_buffer_write(a_.get(), 60, host_.data(), 8)), KEEL_STATUS_OUT_OF_RANGE);
  EXPECT_EQ(CodeOf(keel_buffer_write(a_.get(), 0, host_.data(), kSize + 1)), KEEL_STATUS_OUT_OF_RANGE);
  EXPECT_EQ(CodeOf(keel_buffer_write(a_.get(), UINT64_MAX, host_.data(), 2)), KEEL_STATUS_OUT_OF_RANGE);
  EXPECT_EQ(CodeOf(keel_buffer_read(a_.get(), 1, host_.data(), kSize)), KEEL_STATUS_OUT_OF_RANGE);
  EXPECT_EQ(CodeOf(keel_buffer_read(a_.get(), 8, host_.data(), UINT64_MAX)), KEEL_STATUS_OUT_OF_RANGE);
  EXPECT_EQ(CodeOf(keel_buffer_copy(a_.get(), 32, b_.get(), 0, 33)), KEEL_STATUS_OUT_OF_RANGE);
  EXPECT_EQ(CodeOf(keel_buffer_copy(a_.get(), 0, b_.get(), 32, 33)), KEEL_STATUS_OUT_OF_RANGE);
  EXPECT_EQ(CodeOf(keel_buffer_copy(a_.get(), UINT64_MAX - 7, b_.get(), 0, 16)), KEEL_STATUS_OUT_OF_RANGE);
  EXPECT_EQ(CodeOf(keel_buffer_copy(a_.get(), 0, b_.get(), UINT64_MAX - 7, 16)), KEEL_STATUS_OUT_OF_RANGE);
  ExpectUntouched();
  // The last byte and the empty range at the end are in range.
  EXPECT_TRUE(IsOk(keel_buffer_read(a_.get(), kSize - 1, host_.data(), 1)));
  EXPECT_TRUE(IsOk(keel_buffer_read(a_.get(), kSize, host_.data(), 0)));
}

TEST_F(OutOfRangeTest, QueueCopies) {
  Queue queue = NewQueue();
  keel_queue_t* q = queue.get();
  EXPECT_EQ(CodeOf(keel_queue_write(q, a_.get(), 60, host_.data(), 8)), KEEL_STATUS_OUT_OF_RANGE);
  EXPECT_EQ(CodeOf(keel_queue_write(q, a_.get(), UINT64_MAX, host_.data(), 2)), KEEL_STATUS_OUT_OF_RANGE);
  EXPECT_EQ(CodeOf(keel_queue_read(q, a_.get(), 1, host_.data(), kSize)), KEEL_STATUS_OUT_OF_RANGE);
  EXPECT_EQ(CodeOf(keel_queue_copy(q, a_.get(), 32, b_.get(), 0, 33)), KEEL_STATUS_OUT_OF_RANGE);
  EXPECT_EQ(CodeOf(keel_queue_copy(q, a_.get(), 0, b_.get(), 32, 33)), KEEL_STATUS_OUT_OF_RANGE);
  const uint32_t pattern = 0xdeadbeef;
  EXPECT_EQ(CodeOf(keel_queue_fill(q, a_.get(), 48, 32, &pattern, 4)), KEEL_STATUS_OUT_OF_RANGE);
  EXPECT_EQ(CodeOf(keel_queue_fill(q, a_.get(), UINT64_MAX - 3, 8, &pattern, 4)), KEEL_STATUS_OUT_OF_RANGE);
  // A refused call enqueues nothing and does not poison the queue.
  EXPECT_TRUE(IsOk(keel_queue_synchronize(q)));
  ExpectUntouched();
}

}  // namespace
}  // namespace keel::test
