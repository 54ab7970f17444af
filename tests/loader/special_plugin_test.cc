// The loader against fixtures it must accept or rank: a newer minor, a short table, the same file twice,
// two builds of one plugin.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "keel_test_support.h"
#include "loader_test_util.h"

namespace keel::test {
namespace {

// Name and probe score of the plugin a runtime accepted; fails the test unless there is exactly one.
void ExpectOnePlugin(const keel_runtime_t* runtime, const std::string& name, int32_t probe_score) {
  ASSERT_EQ(keel_runtime_plugin_count(runtime), 1u) << Describe(LoaderReport(runtime));
  keel_plugin_info_t info{};
  info.struct_size = sizeof info;
  ASSERT_TRUE(IsOk(keel_plugin_info(keel_runtime_plugin(runtime, 0), &info)));
  EXPECT_EQ(std::string(info.name), name);
  EXPECT_EQ(info.probe_score, probe_score);
}

TEST(SpecialPluginTest, NewerMinorIsAcceptedAtTheHostVersion) {
  Runtime runtime;
  ASSERT_TRUE(IsOk(CreateRuntime({{FixturePath("newer_minor")}}, &runtime)));
  const std::vector<LoaderEntry> report = LoaderReport(runtime.get());
  ASSERT_EQ(report.size(), 1u) << Describe(report);
  const LoaderEntry& entry = report[0];
  EXPECT_EQ(entry.outcome, KEEL_LOADER_ACCEPTED) << entry;
  EXPECT_EQ(entry.reason, "");
  EXPECT_EQ(entry.plugin_name, "fixture_newer_minor");
  EXPECT_EQ(entry.plugin_abi_version, KEEL_MAKE_VERSION(1, 7));
  EXPECT_EQ(entry.negotiated_abi_version, KEEL_MAKE_VERSION(1, 0));
  EXPECT_EQ(keel_abi_version(), KEEL_MAKE_VERSION(1, 0)) << "update the expected negotiated version";

  keel_plugin_info_t info{};
  info.struct_size = sizeof info;
  ASSERT_TRUE(IsOk(keel_plugin_info(keel_runtime_plugin(runtime.get(), 0), &info)));
  EXPECT_EQ(info.abi_version, KEEL_MAKE_VERSION(1, 7));
  EXPECT_EQ(info.negotiated_abi_version, KEEL_MAKE_VERSION(1, 0));
  ExpectDeviceWorks(runtime.get(), "fixture_newer_minor:0");
}

TEST(SpecialPluginTest, TableWithoutOptionalLastSlotIsAccepted) {
  Runtime runtime;
  ASSERT_TRUE(IsOk(CreateRuntime({{FixturePath("short_table")}}, &runtime)));
  const std::vector<LoaderEntry> report = LoaderReport(runtime.get());
  ASSERT_EQ(report.size(), 1u) << Describe(report);
  EXPECT_EQ(report[0].outcome, KEEL_LOADER_ACCEPTED) << report[0];
  // The fixture sets buffer_import_host beyond its struct_size; calling it would return INTERNAL. No entry
  // point of keel_runtime.h reaches it yet, so this checks that the table is accepted and works.
  ExpectDeviceWorks(runtime.get(), "fixture_short_table:0");
  keel_device_t* device = keel_runtime_device(runtime.get(), 0);
  ASSERT_NE(device, nullptr);
  keel_device_properties_t properties{};
  properties.struct_size = sizeof properties;
  ASSERT_TRUE(IsOk(keel_device_properties(device, &properties)));
  EXPECT_EQ(properties.capabilities & KEEL_CAP_IMPORT_HOST_PTR, 0u);
}

TEST(SpecialPluginTest, SymlinkToAnAcceptedFileIsADuplicate) {
  Runtime runtime;
  ASSERT_TRUE(IsOk(CreateRuntime({{FixturePath("valid"), FixturePath("duplicate")}}, &runtime)));
  const std::vector<LoaderEntry> report = LoaderReport(runtime.get());
  const LoaderEntry* original = FindEntry(report, kValidFixtureFile);
  const LoaderEntry* link = FindEntry(report, "libkeel_fixture_valid_link.so");
  ASSERT_NE(original, nullptr) << Describe(report);
  ASSERT_NE(link, nullptr) << Describe(report);
  EXPECT_EQ(original->outcome, KEEL_LOADER_ACCEPTED) << *original;
  EXPECT_EQ(link->outcome, KEEL_LOADER_DUPLICATE) << *link;
  EXPECT_NE(link->reason.find(original->path), std::string::npos) << "the reason names the first path: " << *link;
  EXPECT_EQ(link->real_path, original->real_path);
  EXPECT_NE(link->path, link->real_path);
  ExpectOnePlugin(runtime.get(), "fixture_valid", 1);
}

TEST(SpecialPluginTest, FirstOfTwoPathsToOneFileWins) {
  // The link comes first this time, so the real file is the duplicate.
  Runtime runtime;
  ASSERT_TRUE(IsOk(CreateRuntime({{FixturePath("duplicate"), FixturePath("valid")}}, &runtime)));
  const std::vector<LoaderEntry> report = LoaderReport(runtime.get());
  const LoaderEntry* link = FindEntry(report, "libkeel_fixture_valid_link.so");
  const LoaderEntry* original = FindEntry(report, kValidFixtureFile);
  ASSERT_NE(link, nullptr) << Describe(report);
  ASSERT_NE(original, nullptr) << Describe(report);
  EXPECT_EQ(link->outcome, KEEL_LOADER_ACCEPTED) << *link;
  EXPECT_EQ(original->outcome, KEEL_LOADER_DUPLICATE) << *original;
  ExpectOnePlugin(runtime.get(), "fixture_valid", 1);
}

TEST(SpecialPluginTest, SameFileListedTwiceIsADuplicate) {
  const std::string file = FixturePath("valid/libkeel_fixture_valid.so");
  Runtime runtime;
  ASSERT_TRUE(IsOk(CreateRuntime({{file, file}}, &runtime)));
  const std::vector<LoaderEntry> report = LoaderReport(runtime.get());
  ASSERT_EQ(report.size(), 2u) << Describe(report);
  EXPECT_EQ(report[0].outcome, KEEL_LOADER_ACCEPTED) << report[0];
  EXPECT_EQ(report[1].outcome, KEEL_LOADER_DUPLICATE) << report[1];
  ExpectDeviceWorks(runtime.get(), kValidFixtureDevice);
}

// Both builds report the plugin name "fixture_scored"; probe scores 1 and 5.
void ExpectHigherScoreWins(const std::vector<std::string>& paths) {
  Runtime runtime;
  ASSERT_TRUE(IsOk(CreateRuntime({paths}, &runtime)));
  const std::vector<LoaderEntry> report = LoaderReport(runtime.get());
  const LoaderEntry* low = FindEntry(report, "libkeel_fixture_scored_low.so");
  const LoaderEntry* high = FindEntry(report, "libkeel_fixture_scored_high.so");
  ASSERT_NE(low, nullptr) << Describe(report);
  ASSERT_NE(high, nullptr) << Describe(report);
  EXPECT_EQ(high->outcome, KEEL_LOADER_ACCEPTED) << *high;
  EXPECT_EQ(high->probe_score, 5);
  EXPECT_EQ(low->outcome, KEEL_LOADER_SUPERSEDED) << *low;
  EXPECT_EQ(low->probe_score, 1);
  // The reason names the build that won.
  EXPECT_NE(low->reason.find(std::filesystem::canonical(high->path).string()), std::string::npos) << *low;
  ExpectOnePlugin(runtime.get(), "fixture_scored", 5);
  ExpectDeviceWorks(runtime.get(), "fixture_scored:0");
}

TEST(SpecialPluginTest, HigherProbeScoreSupersedesLowerFromADirectory) {
  ExpectHigherScoreWins({FixturePath("superseded")});
}

TEST(SpecialPluginTest, HigherProbeScoreSupersedesLowerListedFirst) {
  ExpectHigherScoreWins({FixturePath("superseded/libkeel_fixture_scored_low.so"),
                         FixturePath("superseded/libkeel_fixture_scored_high.so")});
}

TEST(SpecialPluginTest, HigherProbeScoreSupersedesLowerListedLast) {
  ExpectHigherScoreWins({FixturePath("superseded/libkeel_fixture_scored_high.so"),
                         FixturePath("superseded/libkeel_fixture_scored_low.so")});
}

TEST(SpecialPluginTest, MissingApplicationPathIsReportedNotFatal) {
  Runtime runtime;
  ASSERT_TRUE(IsOk(CreateRuntime({{FixturePath("does_not_exist"), FixturePath("valid")}}, &runtime)));
  const std::vector<LoaderEntry> report = LoaderReport(runtime.get());
  const LoaderEntry* missing = FindEntry(report, "does_not_exist");
  ASSERT_NE(missing, nullptr) << Describe(report);
  EXPECT_EQ(missing->outcome, KEEL_LOADER_REJECTED) << *missing;
  EXPECT_FALSE(missing->reason.empty()) << *missing;
  ExpectDeviceWorks(runtime.get(), kValidFixtureDevice);
}

}  // namespace
}  // namespace keel::test
