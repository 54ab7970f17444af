// keel.hpp: errors carry the status, owners release, views borrow.
#include <gtest/gtest.h>

#include <utility>

#include "keel/keel.hpp"

namespace {

keel::Runtime reference_runtime() {
  keel::RuntimeOptions options;
  options.plugin_paths = {KEEL_BUILD_PLUGIN_DIR "/libkeel_reference.so"};
  options.use_env_path = false;
  options.use_manifests = false;
  return keel::Runtime::create(options);
}

TEST(CppWrapperTest, ErrorsCarryCodeMessageAndSource) {
  keel::Runtime runtime = reference_runtime();
  try {
    runtime.find_device("nonexistent:3");
    FAIL() << "expected keel::Error";
  } catch (const keel::Error& error) {
    EXPECT_EQ(error.code(), KEEL_STATUS_NOT_FOUND);
    EXPECT_EQ(error.source(), "keel");
    EXPECT_NE(std::string(error.what()).find("reference:0"), std::string::npos) << error.what();
  }
}

TEST(CppWrapperTest, PluginErrorsNameThePlugin) {
  keel::Runtime runtime = reference_runtime();
  keel::Device device = runtime.find_device("reference");
  try {
    keel::Buffer::allocate(device, uint64_t{1} << 62);
    FAIL() << "an impossible allocation must fail";
  } catch (const keel::Error& error) {
    EXPECT_EQ(error.code(), KEEL_STATUS_RESOURCE_EXHAUSTED);
    EXPECT_EQ(error.source(), "reference");
  }
}

TEST(CppWrapperTest, BuffersMoveAndRelease) {
  keel::Runtime runtime = reference_runtime();
  keel::Device device = runtime.find_device("reference:0");
  const uint64_t in_use = device.memory_stats().bytes_in_use;
  {
    keel::Buffer first = keel::Buffer::allocate(device, 1000);
    keel::Buffer second = std::move(first);
    EXPECT_EQ(first.get(), nullptr);
    EXPECT_EQ(second.size(), 1000u);
    EXPECT_EQ(device.memory_stats().bytes_in_use, in_use + 1000);
  }
  EXPECT_EQ(device.memory_stats().bytes_in_use, in_use);
}

TEST(CppWrapperTest, HandlesKeepTheRuntimeAlive) {
  keel::Buffer buffer;
  {
    keel::Runtime runtime = reference_runtime();
    buffer = keel::Buffer::allocate(runtime.find_device("reference:0"), 16);
  }
  // The runtime's last reference is the buffer: the plugin is still loaded and the buffer usable.
  const float values[] = {1.5f, -2.0f, 0.0f, 4.25f};
  buffer.write(std::span<const float>(values));
  EXPECT_EQ(buffer.read_all<float>(), std::vector<float>(std::begin(values), std::end(values)));
}

TEST(CppWrapperTest, OpsAreListedAndDescribed) {
  const std::vector<keel::Op> ops = keel::Op::all();
  ASSERT_EQ(ops.size(), keel_op_count());
  const keel_op_info_t matmul = keel::Op::find("matmul").info();
  EXPECT_STREQ(matmul.name, "matmul");
  EXPECT_EQ(matmul.input_count, 2u);
  EXPECT_EQ(matmul.output_count, 1u);
  EXPECT_TRUE(matmul.differentiable);
  EXPECT_TRUE(keel::Op::find("concat").info().variadic_input);
  EXPECT_FALSE(keel::Op::find("equal").info().differentiable);
}

}  // namespace
