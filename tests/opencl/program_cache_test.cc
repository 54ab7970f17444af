// The on-disk program cache through libkeel: a second runtime loads what the first built, a damaged file is
// rebuilt rather than crashed on, an unwritable directory only costs the speed-up, and the device
// attributes (what `keel devices -v` prints) report all of it.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "harness.h"
#include "oracle.h"

namespace keel::opencl_test {
namespace {

// A runtime with only the OpenCL plugin, created with KEEL_CACHE_DIR pointing at `cache_root`.
class CacheRuntime {
 public:
  explicit CacheRuntime(const std::string& cache_root) {
    const char* previous = std::getenv("KEEL_CACHE_DIR");
    const std::string saved = previous != nullptr ? previous : "";
    setenv("KEEL_CACHE_DIR", cache_root.c_str(), 1);
    const Status created(keel::test::CreateRuntime({{opencl_plugin_path()}}, &runtime_));
    if (previous != nullptr) {
      setenv("KEEL_CACHE_DIR", saved.c_str(), 1);
    } else {
      unsetenv("KEEL_CACHE_DIR");
    }
    EXPECT_TRUE(created.ok()) << created.to_string();
    device_ = keel_runtime_device(runtime_.get(), 0);
  }

  keel_device_t* device() const { return device_; }

  std::map<std::string, std::string> attributes() const {
    size_t count = 0;
    EXPECT_TRUE(IsOk(keel_device_attributes(device_, nullptr, &count)));
    std::vector<keel_attribute_t> list(count);
    EXPECT_TRUE(IsOk(keel_device_attributes(device_, list.data(), &count)));
    std::map<std::string, std::string> result;
    for (const keel_attribute_t& a : list) result[a.key] = a.value;
    return result;
  }

  // Runs sigmoid over 100 floats and checks one value.
  void run_sigmoid() const {
    keel_queue_t* raw = nullptr;
    ASSERT_TRUE(IsOk(keel_queue_create(device_, nullptr, &raw)));
    const Queue queue(raw);
    keel_buffer_allocate_args_t args{};
    args.struct_size = sizeof args;
    args.size = 400;
    keel_buffer_t* x = nullptr;
    keel_buffer_t* y = nullptr;
    ASSERT_TRUE(IsOk(keel_buffer_allocate(device_, &args, &x)));
    ASSERT_TRUE(IsOk(keel_buffer_allocate(device_, &args, &y)));
    const Buffer owned_x(x), owned_y(y);
    const std::vector<float> zeros(100, 0.0f);
    ASSERT_TRUE(IsOk(keel_buffer_write(x, 0, zeros.data(), 400)));
    keel_tensor_t in{};
    in.buffer = x;
    in.dtype = KEEL_DTYPE_F32;
    in.rank = 1;
    in.shape[0] = 100;
    in.strides[0] = 1;
    keel_tensor_t out = in;
    out.buffer = y;
    const keel_op_t* op = nullptr;
    ASSERT_TRUE(IsOk(keel_op_find("sigmoid", &op)));
    ASSERT_TRUE(IsOk(keel_op_run(queue.get(), op, nullptr, &in, 1, &out, 1)));
    ASSERT_TRUE(IsOk(keel_queue_synchronize(queue.get())));
    float value = 0;
    ASSERT_TRUE(IsOk(keel_buffer_read(y, 396, &value, 4)));
    EXPECT_EQ(value, 0.5f);
  }

 private:
  Runtime runtime_;
  keel_device_t* device_ = nullptr;
};

class ProgramCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    KEEL_REQUIRE_OPENCL();
    root_ = (std::filesystem::temp_directory_path() / ("keel_cache_test_" + std::to_string(::getpid()))).string();
    std::filesystem::remove_all(root_);
  }
  void TearDown() override {
    if (!root_.empty()) std::filesystem::remove_all(root_);
  }
  std::vector<std::filesystem::path> cached_files() const {
    std::vector<std::filesystem::path> files;
    if (!std::filesystem::exists(root_ + "/opencl")) return files;
    for (const auto& entry : std::filesystem::directory_iterator(root_ + "/opencl")) files.push_back(entry.path());
    return files;
  }

  std::string root_;
};

TEST_F(ProgramCacheTest, ASecondRuntimeLoadsWhatTheFirstBuilt) {
  {
    const CacheRuntime first(root_);
    EXPECT_EQ(first.attributes()["programs_built"], "0") << "programs are built on first use, not at load";
    first.run_sigmoid();
    const auto attributes = first.attributes();
    EXPECT_EQ(attributes.at("programs_built"), "1");
    EXPECT_EQ(attributes.at("programs_loaded_from_cache"), "0");
    EXPECT_EQ(attributes.at("program_cache_dir"), root_ + "/opencl");
    EXPECT_EQ(attributes.at("programs_on_disk").rfind("1 of ", 0), 0u) << attributes.at("programs_on_disk");
  }
  ASSERT_EQ(cached_files().size(), 1u);
  const CacheRuntime second(root_);
  second.run_sigmoid();
  const auto attributes = second.attributes();
  EXPECT_EQ(attributes.at("programs_built"), "0");
  EXPECT_EQ(attributes.at("programs_loaded_from_cache"), "1");
}

TEST_F(ProgramCacheTest, ADamagedFileIsRebuiltNotCrashedOn) {
  {
    const CacheRuntime first(root_);
    first.run_sigmoid();
  }
  const std::vector<std::filesystem::path> files = cached_files();
  ASSERT_EQ(files.size(), 1u);
  {
    std::ofstream damaged(files[0], std::ios::binary | std::ios::trunc);
    damaged << "not a program binary";
  }
  const CacheRuntime second(root_);
  second.run_sigmoid();
  EXPECT_EQ(second.attributes().at("programs_built"), "1");
  EXPECT_GT(std::filesystem::file_size(files[0]), 100u) << "the rebuilt binary replaced the damaged file";
}

TEST_F(ProgramCacheTest, AnUnwritableDirectoryStillRuns) {
  const CacheRuntime runtime("/proc/self/keel_cannot_create_this");
  runtime.run_sigmoid();
  EXPECT_EQ(runtime.attributes().at("programs_built"), "1");
}

}  // namespace
}  // namespace keel::opencl_test
