// Discovery through KEEL_PLUGIN_PATH: a directory of broken libraries, several entries, and the order
// against application paths.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "keel_test_support.h"
#include "loader_test_util.h"

namespace keel::test {
namespace {

// Sets an environment variable for one test and restores it afterwards.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

std::vector<std::string> FilesIn(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& item : std::filesystem::directory_iterator(dir)) names.push_back(item.path().filename());
  return names;
}

TEST(EnvPathTest, EveryBrokenLibraryIsReportedAndRejected) {
  ScopedEnv env("KEEL_PLUGIN_PATH", FixturePath("broken"));
  RuntimeConfig config;
  config.use_env_path = true;
  Runtime runtime;
  ASSERT_TRUE(IsOk(CreateRuntime(config, &runtime)));
  const std::vector<LoaderEntry> report = LoaderReport(runtime.get());

  const std::vector<std::string> files = FilesIn(FixturePath("broken"));
  ASSERT_GE(files.size(), 10u) << "the broken/ fixture directory is incomplete";
  EXPECT_EQ(report.size(), files.size()) << Describe(report);
  for (const std::string& file : files) {
    const LoaderEntry* entry = FindEntry(report, file);
    ASSERT_NE(entry, nullptr) << file << " missing from\n" << Describe(report);
    EXPECT_EQ(entry->outcome, KEEL_LOADER_REJECTED) << *entry;
    EXPECT_FALSE(entry->reason.empty()) << *entry;
    EXPECT_EQ(entry->origin, "KEEL_PLUGIN_PATH") << *entry;
  }
  EXPECT_EQ(keel_runtime_plugin_count(runtime.get()), 0u);
}

TEST(EnvPathTest, SeveralDirectoriesSeparatedByColons) {
  ScopedEnv env("KEEL_PLUGIN_PATH", FixturePath("broken") + ":" + FixturePath("valid"));
  RuntimeConfig config;
  config.use_env_path = true;
  Runtime runtime;
  ASSERT_TRUE(IsOk(CreateRuntime(config, &runtime)));
  const std::vector<LoaderEntry> report = LoaderReport(runtime.get());
  const LoaderEntry* valid = FindEntry(report, kValidFixtureFile);
  ASSERT_NE(valid, nullptr) << Describe(report);
  EXPECT_EQ(valid->outcome, KEEL_LOADER_ACCEPTED) << *valid;
  EXPECT_EQ(valid->origin, "KEEL_PLUGIN_PATH");
  EXPECT_EQ(keel_runtime_plugin_count(runtime.get()), 1u);
  ExpectDeviceWorks(runtime.get(), kValidFixtureDevice);
}

TEST(EnvPathTest, ApplicationPathsComeFirst) {
  // The same file through both: the application's copy wins, the environment's is the duplicate.
  ScopedEnv env("KEEL_PLUGIN_PATH", FixturePath("duplicate"));
  RuntimeConfig config;
  config.plugin_paths = {FixturePath("valid")};
  config.use_env_path = true;
  Runtime runtime;
  ASSERT_TRUE(IsOk(CreateRuntime(config, &runtime)));
  const std::vector<LoaderEntry> report = LoaderReport(runtime.get());
  const LoaderEntry* app = FindEntry(report, kValidFixtureFile);
  const LoaderEntry* env_copy = FindEntry(report, "libkeel_fixture_valid_link.so");
  ASSERT_NE(app, nullptr) << Describe(report);
  ASSERT_NE(env_copy, nullptr) << Describe(report);
  EXPECT_EQ(app->origin, "application");
  EXPECT_EQ(app->outcome, KEEL_LOADER_ACCEPTED) << *app;
  EXPECT_EQ(env_copy->origin, "KEEL_PLUGIN_PATH");
  EXPECT_EQ(env_copy->outcome, KEEL_LOADER_DUPLICATE) << *env_copy;
}

TEST(EnvPathTest, SkipEnvPathIgnoresIt) {
  ScopedEnv env("KEEL_PLUGIN_PATH", FixturePath("broken"));
  Runtime runtime;
  ASSERT_TRUE(IsOk(CreateRuntime({{FixturePath("valid")}}, &runtime)));
  const std::vector<LoaderEntry> report = LoaderReport(runtime.get());
  ASSERT_EQ(report.size(), 1u) << Describe(report);
  EXPECT_EQ(report[0].outcome, KEEL_LOADER_ACCEPTED) << report[0];
}

}  // namespace
}  // namespace keel::test
