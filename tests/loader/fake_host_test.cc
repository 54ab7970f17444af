// Every built plugin (and KEEL_TEST_PLUGIN), driven directly by hand-written hosts of other ABI versions:
// a host of another major is refused cleanly; a host table that ends before kernel_register is respected; a
// newer minor host with a longer table works at the plugin's version.
#include "fake_host.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "layers/abi/plugin_slots.h"  // the conformance suite's table of the v1.0 slots

namespace keel::test {
namespace {

namespace fs = std::filesystem;

// libkeel_<name>.so in the build's plugin directory, sorted, plus the library KEEL_TEST_PLUGIN names (a
// plugin under development).
std::vector<std::string> PluginsToCheck() {
  std::vector<std::string> paths;
  if (fs::is_directory(KEEL_BUILD_PLUGIN_DIR)) {
    for (const auto& item : fs::directory_iterator(KEEL_BUILD_PLUGIN_DIR)) {
      const std::string name = item.path().filename();
      if (name.rfind("libkeel_", 0) == 0 && item.path().extension() == ".so") paths.push_back(item.path());
    }
  }
  std::sort(paths.begin(), paths.end());
  if (const char* extra = std::getenv("KEEL_TEST_PLUGIN"); extra != nullptr && *extra != '\0') {
    paths.push_back(extra);
  }
  return paths;
}

TEST(FakeHostTest, ReferencePluginIsBuilt) {
  EXPECT_TRUE(fs::exists(std::string(KEEL_BUILD_PLUGIN_DIR) + "/libkeel_reference.so"));
}

class FakeHostPluginTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string error;
    library_ = PluginLibrary::Open(GetParam(), &error);
    ASSERT_NE(library_, nullptr) << error;
    if (library_->probe()() <= 0) GTEST_SKIP() << "probe says the plugin cannot run on this system";
  }

  // True, releasing the status, when init answered UNAVAILABLE: not on this system, nothing to check.
  static bool IsUnavailable(keel_status_t status) {
    if (FakeHost::Code(status) != KEEL_STATUS_UNAVAILABLE) return false;
    FakeHost::Release(status);
    return true;
  }

  // Expects `status` to be a clean failure (a known code and a message), releases it.
  static void ExpectCleanFailure(keel_status_t status) {
    ASSERT_NE(status, nullptr) << "init accepted a host it cannot talk to";
    EXPECT_NE(FakeHost::Code(status), KEEL_STATUS_OK);
    EXPECT_LE(FakeHost::Code(status), KEEL_STATUS_DATA_LOSS);
    EXPECT_FALSE(FakeHost::Message(status).empty());
    FakeHost::Release(status);
  }

  // After a successful init: the table is complete, then shut the plugin down.
  static void ExpectUsableThenShutdown(const keel_plugin_init_args_t& args) {
    ASSERT_NE(args.api, nullptr);
    for (const conform::PluginApiSlot& slot : conform::kPluginApiSlotsV1_0) {
      if (!slot.optional) {
        EXPECT_TRUE(conform::plugin_api_has_slot(*args.api, slot)) << "mandatory slot " << slot.name;
      }
    }
    ASSERT_NE(args.plugin_name, nullptr);
    EXPECT_TRUE(std::regex_match(args.plugin_name, std::regex("[a-z0-9_]+"))) << args.plugin_name;
    EXPECT_EQ(KEEL_VERSION_MAJOR(args.plugin_abi_version), 1u);
    size_t devices = 0;
    keel_status_t status = args.api->device_count(args.plugin_ctx, &devices);
    EXPECT_EQ(status, nullptr) << FakeHost::Message(status);
    FakeHost::Release(status);
    args.api->shutdown(args.plugin_ctx);
  }

  std::unique_ptr<PluginLibrary> library_;
};

TEST_P(FakeHostPluginTest, CurrentHostWorks) {
  FakeHost host(FakeHostOptions{});
  keel_plugin_init_args_t args;
  keel_status_t status = host.Init(library_->init(), &args);
  if (IsUnavailable(status)) GTEST_SKIP() << "the plugin is unavailable on this system";
  ASSERT_EQ(status, nullptr) << FakeHost::Message(status);
  EXPECT_TRUE(keel_abi_compatible(KEEL_ABI_VERSION, KEEL_ABI_VERSION, args.plugin_abi_version));
  EXPECT_EQ(fs::path(GetParam()).filename().string(), "libkeel_" + std::string(args.plugin_name) + ".so");
  EXPECT_EQ(host.problems(), std::vector<std::string>{});
  if (std::string(args.plugin_name) == "reference") {
    EXPECT_GT(host.kernel_register_calls(), 0) << "the reference plugin registers its kernels";
  }
  ExpectUsableThenShutdown(args);
  EXPECT_EQ(host.statuses_live(), 0);
}

TEST_P(FakeHostPluginTest, OlderMajorHostIsRefusedCleanly) {
  FakeHostOptions options;
  options.abi_min = KEEL_MAKE_VERSION(0, 1);
  options.abi_max = KEEL_MAKE_VERSION(0, 9);
  FakeHost host(options);
  keel_plugin_init_args_t args;
  ExpectCleanFailure(host.Init(library_->init(), &args));
  EXPECT_EQ(host.kernel_register_calls(), 0) << "registered kernels with a host it cannot talk to";
  EXPECT_EQ(host.statuses_live(), 0) << "statuses leaked";
}

TEST_P(FakeHostPluginTest, NewerMajorHostIsRefusedCleanly) {
  FakeHostOptions options;
  options.abi_min = KEEL_MAKE_VERSION(2, 0);
  options.abi_max = KEEL_MAKE_VERSION(2, 3);
  FakeHost host(options);
  keel_plugin_init_args_t args;
  ExpectCleanFailure(host.Init(library_->init(), &args));
  EXPECT_EQ(host.kernel_register_calls(), 0) << "registered kernels with a host it cannot talk to";
  EXPECT_EQ(host.statuses_live(), 0) << "statuses leaked";
}

TEST_P(FakeHostPluginTest, HostTableEndingAtLogIsRespected) {
  // The table's struct_size stops before kernel_register; the pointer is set anyway, so a plugin that
  // ignores struct_size would call it and be counted.
  FakeHostOptions options;
  options.table_size = KEEL_STRUCT_SIZE_UNTIL(keel_host_api_t, log);
  FakeHost host(options);
  keel_plugin_init_args_t args;
  keel_status_t status = host.Init(library_->init(), &args);
  EXPECT_EQ(host.kernel_register_calls(), 0) << "called kernel_register beyond the host's struct_size";
  if (status != nullptr) {
    ExpectCleanFailure(status);  // refusing such a host is allowed
  } else {
    ExpectUsableThenShutdown(args);
  }
  EXPECT_EQ(host.statuses_live(), 0) << "statuses leaked";
}

TEST_P(FakeHostPluginTest, NewerMinorHostWithLongerTableWorks) {
  FakeHostOptions options;
  options.abi_max = KEEL_MAKE_VERSION(KEEL_ABI_VERSION_MAJOR, KEEL_ABI_VERSION_MINOR + 5);
  options.table_size = sizeof(keel_host_api_t) + FakeHost::kSpareBytes;
  FakeHost host(options);
  keel_plugin_init_args_t args;
  keel_status_t status = host.Init(library_->init(), &args);
  if (IsUnavailable(status)) GTEST_SKIP() << "the plugin is unavailable on this system";
  ASSERT_EQ(status, nullptr) << FakeHost::Message(status);
  EXPECT_TRUE(keel_abi_compatible(options.abi_min, options.abi_max, args.plugin_abi_version));
  EXPECT_EQ(host.problems(), std::vector<std::string>{});
  ExpectUsableThenShutdown(args);
  EXPECT_EQ(host.statuses_live(), 0);
}

std::string TestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = fs::path(info.param).stem().string();  // libkeel_reference
  name = name.substr(std::string("libkeel_").size());
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(BuiltPlugins, FakeHostPluginTest, ::testing::ValuesIn(PluginsToCheck()), TestName);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(FakeHostPluginTest);

}  // namespace
}  // namespace keel::test
