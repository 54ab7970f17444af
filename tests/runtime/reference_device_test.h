// A test fixture holding a runtime with one plugin loaded and its first device: the reference plugin, or the
// library named by KEEL_TEST_PLUGIN, so that the runtime suite also checks a plugin under development:
//   KEEL_TEST_PLUGIN=/path/to/libkeel_acme.so build/bin/keel_runtime_tests
#ifndef KEEL_TESTS_RUNTIME_REFERENCE_DEVICE_TEST_H_
#define KEEL_TESTS_RUNTIME_REFERENCE_DEVICE_TEST_H_

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "keel_test_support.h"

namespace keel::test {

class ReferenceDeviceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* chosen = std::getenv("KEEL_TEST_PLUGIN");
    const std::string library =
        chosen != nullptr && *chosen != '\0' ? chosen : std::string(KEEL_BUILD_PLUGIN_DIR) + "/libkeel_reference.so";
    ASSERT_TRUE(IsOk(CreateRuntime({{library}}, &runtime_)));
    device_ = keel_runtime_device(runtime_.get(), 0);
    ASSERT_NE(device_, nullptr) << "no device from " << library << "\n" << Describe(LoaderReport(runtime_.get()));
  }

  // Allocates `size` bytes in memory space 0; an empty Buffer (and a test failure) when that fails.
  Buffer Allocate(uint64_t size, uint32_t flags = 0) {
    keel_buffer_allocate_args_t args{};
    args.struct_size = sizeof args;
    args.size = size;
    args.flags = flags;
    keel_buffer_t* buffer = nullptr;
    EXPECT_TRUE(IsOk(keel_buffer_allocate(device_, &args, &buffer))) << "allocating " << size << " bytes";
    return Buffer(buffer);
  }

  // The status of allocating `size` bytes; releases the buffer if there is one.
  keel_status_t TryAllocate(uint64_t size, uint64_t alignment = 0) {
    keel_buffer_allocate_args_t args{};
    args.struct_size = sizeof args;
    args.size = size;
    args.alignment = alignment;
    keel_buffer_t* buffer = nullptr;
    keel_status_t status = keel_buffer_allocate(device_, &args, &buffer);
    if (status == nullptr) keel_buffer_release(buffer);
    return status;
  }

  keel_memory_stats_t Stats() {
    keel_memory_stats_t stats{};
    stats.struct_size = sizeof stats;
    EXPECT_TRUE(IsOk(keel_device_memory_stats(device_, 0, &stats)));
    return stats;
  }

  Queue NewQueue() {
    keel_queue_t* queue = nullptr;
    EXPECT_TRUE(IsOk(keel_queue_create(device_, nullptr, &queue)));
    return Queue(queue);
  }

  Event NewEvent(uint64_t initial_value = 0) {
    keel_event_t* event = nullptr;
    EXPECT_TRUE(IsOk(keel_event_create(device_, initial_value, &event)));
    return Event(event);
  }

  Runtime runtime_;
  keel_device_t* device_ = nullptr;
};

}  // namespace keel::test

#endif  // KEEL_TESTS_RUNTIME_REFERENCE_DEVICE_TEST_H_
