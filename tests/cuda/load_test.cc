// The CUDA plugin on any machine, GPU or not: it exports only its two entry points, needs no CUDA library to
// load, and is either accepted with its devices or rejected as UNAVAILABLE with the cause in the loader
// report. Fake driver libraries (fake_driver.c) and the toolkit's stub library drive each refusal.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "elf_exports.h"
#include "elf_needed.h"
#include "fake_host.h"
#include "keel_test_support.h"

namespace keel::test {
namespace {

const std::string kPlugin = std::string(KEEL_BUILD_PLUGIN_DIR) + "/libkeel_cuda.so";

std::string fake_driver(const char* name) { return std::string(KEEL_CUDA_FAKE_DRIVER_DIR) + "/" + name; }

// Points the plugin at another driver library for the scope (KEEL_CUDA_DRIVER_LIBRARY).
class DriverOverride {
 public:
  explicit DriverOverride(const std::string& library) { setenv("KEEL_CUDA_DRIVER_LIBRARY", library.c_str(), 1); }
  ~DriverOverride() { unsetenv("KEEL_CUDA_DRIVER_LIBRARY"); }
  DriverOverride(const DriverOverride&) = delete;
  DriverOverride& operator=(const DriverOverride&) = delete;
};

// Loads the CUDA plugin alone and returns its loader entry.
LoaderEntry load(Runtime* runtime) {
  RuntimeConfig config;
  config.plugin_paths = {kPlugin};
  EXPECT_TRUE(IsOk(CreateRuntime(config, runtime)));
  const std::vector<LoaderEntry> report = LoaderReport(runtime->get());
  const LoaderEntry* entry = FindEntry(report, "libkeel_cuda.so");
  EXPECT_NE(entry, nullptr) << Describe(report);
  return entry != nullptr ? *entry : LoaderEntry{};
}

// The plugin refuses with UNAVAILABLE and a reason containing `expected`.
void expect_unavailable(const std::string& expected) {
  Runtime runtime;
  const LoaderEntry entry = load(&runtime);
  EXPECT_EQ(entry.outcome, KEEL_LOADER_REJECTED) << entry;
  EXPECT_EQ(entry.plugin_name, "cuda") << entry;
  EXPECT_NE(entry.reason.find("UNAVAILABLE"), std::string::npos) << entry;
  EXPECT_NE(entry.reason.find(expected), std::string::npos) << entry << "\nexpected: " << expected;
  keel_device_t* device = nullptr;
  EXPECT_EQ(CodeOf(keel_runtime_find_device(runtime.get(), "cuda", &device)), KEEL_STATUS_NOT_FOUND);
}

TEST(CudaLoadTest, ExportsExactlyTheEntryPoints) {
  std::set<std::string> exports;
  std::string error;
  ASSERT_TRUE(ReadElfExports(kPlugin, &exports, &error)) << error;
  EXPECT_EQ(exports, (std::set<std::string>{"keel_plugin_init", "keel_plugin_probe"}));
}

TEST(CudaLoadTest, NeedsNoCudaLibraryToLoad) {
  std::vector<std::string> needed;
  std::string error;
  ASSERT_TRUE(ReadElfNeeded(kPlugin, &needed, &error)) << error;
  for (const std::string& library : needed) {
    for (const char* cuda : {"libcuda.", "libcudart", "libcublas", "libcudnn", "libkeel."}) {
      EXPECT_EQ(library.rfind(cuda, 0), std::string::npos) << "libkeel_cuda.so needs " << library;
    }
  }
  void* handle = dlopen(kPlugin.c_str(), RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(handle, nullptr) << dlerror();
  EXPECT_EQ(dlclose(handle), 0);
}

TEST(CudaLoadTest, ProbeIsPositiveWithoutTouchingTheDriver) {
  const DriverOverride missing("libkeel_test_no_such_driver.so.1");  // probe must not care
  std::string error;
  const auto library = PluginLibrary::Open(kPlugin, &error);
  ASSERT_NE(library, nullptr) << error;
  EXPECT_EQ(library->probe()(), 1);
}

TEST(CudaLoadTest, AcceptedWithDevicesOrRejectedWithTheReason) {
  Runtime runtime;
  const LoaderEntry entry = load(&runtime);
  std::cout << "[ cuda     ] " << entry << "\n";
  if (entry.outcome == KEEL_LOADER_ACCEPTED) {
    keel_device_t* device = nullptr;
    ASSERT_TRUE(IsOk(keel_runtime_find_device(runtime.get(), "cuda:0", &device)));
    keel_device_properties_t properties{};
    properties.struct_size = sizeof properties;
    ASSERT_TRUE(IsOk(keel_device_properties(device, &properties)));
    EXPECT_STREQ(properties.vendor, "NVIDIA");
    return;
  }
  EXPECT_EQ(entry.outcome, KEEL_LOADER_REJECTED);
  EXPECT_EQ(entry.plugin_name, "cuda");
  EXPECT_EQ(entry.probe_score, 1);
  EXPECT_NE(entry.reason.find("keel_plugin_init failed: UNAVAILABLE"), std::string::npos) << entry;
  const bool known = entry.reason.find("no CUDA driver (libcuda.so.1 not found)") != std::string::npos ||
                     entry.reason.find("no CUDA device") != std::string::npos ||
                     entry.reason.find("no usable CUDA device") != std::string::npos ||
                     entry.reason.find("the CUDA driver") != std::string::npos;
  EXPECT_TRUE(known) << entry;
}

TEST(CudaLoadTest, WithoutADriverLibraryTheReasonNamesIt) {
  const DriverOverride missing("libkeel_test_no_such_driver.so.1");
  expect_unavailable("no CUDA driver (libkeel_test_no_such_driver.so.1 not found)");
}

TEST(CudaLoadTest, ADriverWithoutDevices) {
  const DriverOverride fake(fake_driver("libfake_cuda_no_device.so"));
  expect_unavailable("no CUDA device (cuInit: CUDA_ERROR_NO_DEVICE (no CUDA-capable device is detected))");
}

TEST(CudaLoadTest, ADriverThatCountsZeroDevices) {
  const DriverOverride fake(fake_driver("libfake_cuda_zero_devices.so"));
  expect_unavailable("no CUDA device (the driver reports none)");
}

TEST(CudaLoadTest, ADriverTooOldForTheRuntime) {
  const DriverOverride fake(fake_driver("libfake_cuda_old.so"));
  expect_unavailable("the CUDA driver supports CUDA 12.4 but this plugin was built with CUDA");
}

TEST(CudaLoadTest, ADriverMissingAnEntryPoint) {
  const DriverOverride fake(fake_driver("libfake_cuda_incomplete.so"));
  expect_unavailable("lacks cuLaunchHostFunc");
}

TEST(CudaLoadTest, TheToolkitStubLibrary) {
  const std::string stub = std::string(KEEL_CUDA_TOOLKIT_LIBRARY_DIR) + "/stubs/libcuda.so";
  if (!std::filesystem::exists(stub)) GTEST_SKIP() << "no stub library at " << stub;
  const DriverOverride fake(stub);
  expect_unavailable("CUDA_ERROR_STUB_LIBRARY");
}

TEST(CudaLoadTest, DirectInitReportsUnavailableWithoutLeaksOrRegistrations) {
  const DriverOverride missing("libkeel_test_no_such_driver.so.1");
  std::string error;
  const auto library = PluginLibrary::Open(kPlugin, &error);
  ASSERT_NE(library, nullptr) << error;
  FakeHost host(FakeHostOptions{});
  keel_plugin_init_args_t args{};
  const keel_status_t status = host.Init(library->init(), &args);
  ASSERT_NE(status, nullptr);
  EXPECT_EQ(FakeHost::Code(status), KEEL_STATUS_UNAVAILABLE);
  EXPECT_NE(FakeHost::Message(status).find("no CUDA driver"), std::string::npos) << FakeHost::Message(status);
  FakeHost::Release(status);
  EXPECT_EQ(args.api, nullptr);
  EXPECT_STREQ(args.plugin_name, "cuda");
  EXPECT_EQ(host.statuses_live(), 0);
  EXPECT_EQ(host.kernel_register_calls(), 0);
  EXPECT_TRUE(host.problems().empty());
}

TEST(CudaLoadTest, RefusesAHostOfAnotherMajorVersion) {
  std::string error;
  const auto library = PluginLibrary::Open(kPlugin, &error);
  ASSERT_NE(library, nullptr) << error;
  FakeHostOptions options;
  options.abi_min = KEEL_MAKE_VERSION(2, 0);
  options.abi_max = KEEL_MAKE_VERSION(2, 3);
  FakeHost host(options);
  keel_plugin_init_args_t args{};
  const keel_status_t status = host.Init(library->init(), &args);
  ASSERT_NE(status, nullptr);
  EXPECT_EQ(FakeHost::Code(status), KEEL_STATUS_FAILED_PRECONDITION);
  FakeHost::Release(status);
  EXPECT_EQ(args.api, nullptr);
  EXPECT_EQ(host.statuses_live(), 0);
}

// The kernel table names operators by string (plugins/cuda/kernels/registry.cc); a name the spec does not
// have would only be logged at registration, so check them against this libkeel's spec here. Also lists the
// spec's operators without a CUDA kernel.
TEST(CudaLoadTest, EveryKernelNamesAnOperatorOfTheSpec) {
  std::ifstream source(std::string(KEEL_SOURCE_DIR) + "/plugins/cuda/kernels/registry.cc");
  ASSERT_TRUE(source.good());
  const std::string text((std::istreambuf_iterator<char>(source)), std::istreambuf_iterator<char>());
  const std::regex entry(R"re(\{"([a-z0-9_]+)", "([a-z0-9_]*)", -?[0-9]+, k[A-Za-z]+, )re");
  std::set<std::string> names;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), entry); it != std::sregex_iterator(); ++it) {
    names.insert((*it)[1]);
  }
  ASSERT_GT(names.size(), 30u);
  for (const std::string& name : names) {
    const keel_op_t* op = nullptr;
    EXPECT_EQ(CodeOf(keel_op_find(name.c_str(), &op)), KEEL_STATUS_OK) << name << " is not an operator of the spec";
  }
  std::string missing;
  for (size_t i = 0; i < keel_op_count(); ++i) {
    keel_op_info_t info{};
    info.struct_size = sizeof info;
    if (!IsOk(keel_op_describe(keel_op_at(i), &info))) continue;
    if (names.count(info.name) == 0) missing += std::string(" ") + info.name;
  }
  std::cout << "[ cuda     ] " << names.size() << " operators have CUDA kernels; without:" << missing << "\n";
}

}  // namespace
}  // namespace keel::test
