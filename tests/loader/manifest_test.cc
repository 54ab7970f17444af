// Discovery through a manifest directory: valid manifests (absolute and relative library paths), malformed
// JSON, a missing library, files that are not manifests.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "keel_test_support.h"
#include "loader_test_util.h"

namespace keel::test {
namespace {

namespace fs = std::filesystem;

class ManifestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "keel_manifest_test_XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Writes <dir>/<file_name> with `text`.
  void Write(const std::string& file_name, const std::string& text) { std::ofstream(dir_ / file_name) << text; }

  void WriteManifest(const std::string& file_name, const std::string& name, const std::string& library) {
    Write(file_name,
          "{\n  \"name\": \"" + name + "\",\n  \"library\": \"" + library + "\",\n  \"abi_version\": \"1.0\"\n}\n");
  }

  std::vector<LoaderEntry> Load(const std::string& manifest_dir) {
    RuntimeConfig config;
    config.use_manifests = true;
    config.manifest_dir = manifest_dir;
    EXPECT_TRUE(IsOk(CreateRuntime(config, &runtime_)));
    return runtime_ ? LoaderReport(runtime_.get()) : std::vector<LoaderEntry>{};
  }

  // The entry that names `text` in its path or its origin.
  static const LoaderEntry* EntryMentioning(const std::vector<LoaderEntry>& report, const std::string& text) {
    for (const LoaderEntry& entry : report) {
      if (entry.path.find(text) != std::string::npos || entry.origin.find(text) != std::string::npos) {
        return &entry;
      }
    }
    return nullptr;
  }

  fs::path dir_;
  Runtime runtime_;
};

TEST_F(ManifestTest, AbsoluteLibraryPathIsLoaded) {
  WriteManifest("fixture_valid.json", "fixture_valid", FixturePath("valid/libkeel_fixture_valid.so"));
  const std::vector<LoaderEntry> report = Load(dir_.string());
  ASSERT_EQ(report.size(), 1u) << Describe(report);
  EXPECT_EQ(report[0].outcome, KEEL_LOADER_ACCEPTED) << report[0];
  EXPECT_TRUE(report[0].origin.rfind("manifest ", 0) == 0) << report[0];
  EXPECT_NE(report[0].origin.find("fixture_valid.json"), std::string::npos) << report[0];
  ExpectDeviceWorks(runtime_.get(), kValidFixtureDevice);
}

TEST_F(ManifestTest, RelativeLibraryPathIsResolvedAgainstTheManifestDirectory) {
  const fs::path library = FixturePath("newer_minor/libkeel_fixture_newer_minor.so");
  const std::string relative = fs::relative(library, dir_).string();
  ASSERT_FALSE(relative.empty());
  ASSERT_NE(relative.front(), '/');
  WriteManifest("newer_minor.json", "fixture_newer_minor", relative);

  // Run from elsewhere so that resolving against the working directory would fail.
  const fs::path cwd = fs::current_path();
  fs::current_path("/");
  const std::vector<LoaderEntry> report = Load(dir_.string());
  fs::current_path(cwd);

  ASSERT_EQ(report.size(), 1u) << Describe(report);
  EXPECT_EQ(report[0].outcome, KEEL_LOADER_ACCEPTED) << report[0];
  EXPECT_EQ(fs::path(report[0].real_path), fs::canonical(library)) << report[0];
}

TEST_F(ManifestTest, MalformedJsonIsRejectedWithReason) {
  Write("broken.json", "{ \"name\": \"fixture_valid\", \"library\": ");
  WriteManifest("fixture_valid.json", "fixture_valid", FixturePath("valid/libkeel_fixture_valid.so"));
  const std::vector<LoaderEntry> report = Load(dir_.string());
  const LoaderEntry* broken = EntryMentioning(report, "broken.json");
  ASSERT_NE(broken, nullptr) << Describe(report);
  EXPECT_EQ(broken->outcome, KEEL_LOADER_REJECTED) << *broken;
  EXPECT_TRUE(ContainsNoCase(broken->reason, "json")) << *broken;
  // The good manifest beside it still loads.
  ExpectDeviceWorks(runtime_.get(), kValidFixtureDevice);
}

TEST_F(ManifestTest, ManifestWithoutLibraryFieldIsRejected) {
  Write("nameless.json", "{ \"name\": \"fixture_valid\" }\n");
  const std::vector<LoaderEntry> report = Load(dir_.string());
  const LoaderEntry* entry = EntryMentioning(report, "nameless.json");
  ASSERT_NE(entry, nullptr) << Describe(report);
  EXPECT_EQ(entry->outcome, KEEL_LOADER_REJECTED) << *entry;
  EXPECT_TRUE(ContainsNoCase(entry->reason, "library")) << *entry;
}

TEST_F(ManifestTest, MissingLibraryIsRejectedWithReason) {
  WriteManifest("missing.json", "missing", (dir_ / "libkeel_missing.so").string());
  const std::vector<LoaderEntry> report = Load(dir_.string());
  ASSERT_EQ(report.size(), 1u) << Describe(report);
  EXPECT_EQ(report[0].outcome, KEEL_LOADER_REJECTED) << report[0];
  EXPECT_NE(report[0].path.find("libkeel_missing.so"), std::string::npos) << report[0];
  EXPECT_FALSE(report[0].reason.empty()) << report[0];
  EXPECT_EQ(keel_runtime_plugin_count(runtime_.get()), 0u);
}

TEST_F(ManifestTest, OnlyJsonFilesAreManifests) {
  Write("README.txt", "not a manifest\n");
  Write("fixture_valid.json.bak", "{}\n");
  WriteManifest("fixture_valid.json", "fixture_valid", FixturePath("valid/libkeel_fixture_valid.so"));
  const std::vector<LoaderEntry> report = Load(dir_.string());
  ASSERT_EQ(report.size(), 1u) << Describe(report);
  EXPECT_EQ(report[0].outcome, KEEL_LOADER_ACCEPTED) << report[0];
}

TEST_F(ManifestTest, SkipManifestsIgnoresTheDirectory) {
  WriteManifest("fixture_valid.json", "fixture_valid", FixturePath("valid/libkeel_fixture_valid.so"));
  RuntimeConfig config;
  config.manifest_dir = dir_.string();
  ASSERT_TRUE(IsOk(CreateRuntime(config, &runtime_)));
  EXPECT_EQ(keel_runtime_loader_entry_count(runtime_.get()), 0u);
}

TEST_F(ManifestTest, EnvironmentNamesTheDirectoryWhenOptionsDoNot) {
  WriteManifest("fixture_valid.json", "fixture_valid", FixturePath("valid/libkeel_fixture_valid.so"));
  const char* old = std::getenv("KEEL_MANIFEST_DIR");
  const std::string saved = old ? old : "";
  setenv("KEEL_MANIFEST_DIR", dir_.c_str(), 1);
  const std::vector<LoaderEntry> report = Load("");
  if (old) {
    setenv("KEEL_MANIFEST_DIR", saved.c_str(), 1);
  } else {
    unsetenv("KEEL_MANIFEST_DIR");
  }
  ASSERT_EQ(report.size(), 1u) << Describe(report);
  EXPECT_EQ(report[0].outcome, KEEL_LOADER_ACCEPTED) << report[0];
}

}  // namespace
}  // namespace keel::test
