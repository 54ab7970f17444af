// Shared by the loader tests: where the fixtures are and a quick check that a loaded device works.
#ifndef KEEL_TESTS_LOADER_LOADER_TEST_UTIL_H_
#define KEEL_TESTS_LOADER_LOADER_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <string_view>

#include "keel_test_support.h"

namespace keel::test {

// A path under the fixture directory, e.g. FixturePath("no_init").
inline std::string FixturePath(std::string_view relative) {
  return std::string(KEEL_TEST_FIXTURE_DIR) + "/" + std::string(relative);
}

// The valid fixture plugin, loaded beside broken ones to show the runtime still works.
inline const char* const kValidFixtureFile = "libkeel_fixture_valid.so";
inline const char* const kValidFixtureDevice = "fixture_valid:0";

// Allocates on `device_name`, writes, reads back and compares.
inline void ExpectDeviceWorks(const keel_runtime_t* runtime, const char* device_name) {
  keel_device_t* device = nullptr;
  ASSERT_TRUE(IsOk(keel_runtime_find_device(runtime, device_name, &device)));
  keel_buffer_allocate_args_t args{};
  args.struct_size = sizeof args;
  args.size = 16;
  keel_buffer_t* raw = nullptr;
  ASSERT_TRUE(IsOk(keel_buffer_allocate(device, &args, &raw)));
  Buffer buffer(raw);
  const std::array<unsigned char, 16> written = {1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 0, 255, 7, 9};
  std::array<unsigned char, 16> read{};
  ASSERT_TRUE(IsOk(keel_buffer_write(buffer.get(), 0, written.data(), written.size())));
  ASSERT_TRUE(IsOk(keel_buffer_read(buffer.get(), 0, read.data(), read.size())));
  EXPECT_EQ(read, written);
}

}  // namespace keel::test

#endif  // KEEL_TESTS_LOADER_LOADER_TEST_UTIL_H_
