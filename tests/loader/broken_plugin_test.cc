// The loader against each broken fixture: the candidate is rejected with a reason that says why, nothing
// crashes, and a valid plugin loaded beside it works.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "keel_test_support.h"
#include "loader_test_util.h"

namespace keel::test {
namespace {

struct BrokenCase {
  const char* name;                       // test name
  const char* dir;                        // fixture directory
  const char* file;                       // library file in it
  std::vector<const char*> reason_parts;  // each must appear in the reason (case-insensitive)
  int32_t probe_score;                    // what the report must say; -1: probe never called
};

std::ostream& operator<<(std::ostream& os, const BrokenCase& c) { return os << c.name; }

class BrokenPluginTest : public ::testing::TestWithParam<BrokenCase> {};

TEST_P(BrokenPluginTest, IsRejectedWithReasonAndRuntimeStillWorks) {
  const BrokenCase& c = GetParam();
  Runtime runtime;
  ASSERT_TRUE(IsOk(CreateRuntime({{FixturePath(c.dir), FixturePath("valid")}}, &runtime)));
  const std::vector<LoaderEntry> report = LoaderReport(runtime.get());

  const LoaderEntry* entry = FindEntry(report, c.file);
  ASSERT_NE(entry, nullptr) << "no entry for " << c.file << " in\n" << Describe(report);
  EXPECT_EQ(entry->outcome, KEEL_LOADER_REJECTED) << *entry;
  for (const char* part : c.reason_parts) {
    EXPECT_TRUE(ContainsNoCase(entry->reason, part)) << "reason lacks '" << part << "': " << *entry;
  }
  EXPECT_EQ(entry->probe_score, c.probe_score) << *entry;
  EXPECT_EQ(entry->negotiated_abi_version, 0u) << *entry;
  EXPECT_EQ(entry->origin, "application") << *entry;

  const LoaderEntry* valid = FindEntry(report, kValidFixtureFile);
  ASSERT_NE(valid, nullptr) << Describe(report);
  EXPECT_EQ(valid->outcome, KEEL_LOADER_ACCEPTED) << *valid;
  EXPECT_EQ(keel_runtime_plugin_count(runtime.get()), 1u) << Describe(report);
  EXPECT_EQ(keel_runtime_device_count(runtime.get()), 1u);
  ExpectDeviceWorks(runtime.get(), kValidFixtureDevice);
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, BrokenPluginTest,
    ::testing::Values(
        BrokenCase{"MissingInit", "no_init", "libkeel_fixture_no_init.so", {"keel_plugin_init"}, -1},
        BrokenCase{"MissingProbe", "no_probe", "libkeel_fixture_no_probe.so", {"keel_plugin_probe"}, -1},
        BrokenCase{"AbiMajor2", "abi_major2", "libkeel_fixture_abi_major2.so", {"major"}, 1},
        BrokenCase{"ProbeZero", "probe_zero", "libkeel_fixture_probe_zero.so", {"probe"}, 0},
        BrokenCase{"InitFails", "init_fails", "libkeel_fixture_init_fails.so", {"no device: fixture"}, 1},
        BrokenCase{
            "InitThrows", "init_throws", "libkeel_fixture_init_throws.so", {"exception", "fixture: init throws"}, 1},
        BrokenCase{"NullMandatorySlot", "null_slot", "libkeel_fixture_null_slot.so", {"memory_stats"}, 1},
        BrokenCase{"NotALibrary", "garbage", "libkeel_garbage.so", {"dlopen"}, -1},
        BrokenCase{"InitLeavesApiNull", "null_api", "libkeel_fixture_null_api.so", {"api"}, 1},
        BrokenCase{"BadPluginName", "bad_name", "libkeel_fixture_bad_name.so", {"name"}, 1}),
    [](const ::testing::TestParamInfo<BrokenCase>& param) { return std::string(param.param.name); });

TEST(BrokenPluginTest, AbiMajor2ReportsTheVersionItClaimed) {
  Runtime runtime;
  ASSERT_TRUE(IsOk(CreateRuntime({{FixturePath("abi_major2")}}, &runtime)));
  const std::vector<LoaderEntry> report = LoaderReport(runtime.get());
  ASSERT_EQ(report.size(), 1u) << Describe(report);
  EXPECT_EQ(report[0].plugin_abi_version, KEEL_MAKE_VERSION(2, 0)) << report[0];
  EXPECT_EQ(keel_runtime_plugin_count(runtime.get()), 0u);
}

TEST(BrokenPluginTest, NothingLoadableStillGivesARuntime) {
  Runtime runtime;
  ASSERT_TRUE(IsOk(CreateRuntime({{FixturePath("broken")}}, &runtime)));
  ASSERT_NE(runtime, nullptr);
  EXPECT_EQ(keel_runtime_plugin_count(runtime.get()), 0u);
  EXPECT_EQ(keel_runtime_device_count(runtime.get()), 0u);
  for (const LoaderEntry& entry : LoaderReport(runtime.get())) {
    EXPECT_NE(entry.outcome, KEEL_LOADER_ACCEPTED) << entry;
    EXPECT_FALSE(entry.reason.empty()) << entry;
  }
}

}  // namespace
}  // namespace keel::test
