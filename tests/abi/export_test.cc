// Every plugin exports exactly keel_plugin_probe and keel_plugin_init (DESIGN §2), read from the ELF
// dynamic symbol table. The fixtures and libkeel show the reader sees what is really there.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "elf_exports.h"

namespace keel::test {
namespace {

namespace fs = std::filesystem;

const std::set<std::string> kEntryPoints = {"keel_plugin_init", "keel_plugin_probe"};

std::string Join(const std::set<std::string>& names) {
  std::ostringstream text;
  for (const std::string& name : names) text << " " << name;
  return text.str();
}

std::set<std::string> Exports(const std::string& path) {
  std::set<std::string> exports;
  std::string error;
  EXPECT_TRUE(ReadElfExports(path, &exports, &error)) << error;
  return exports;
}

std::vector<std::string> Split(const std::string& list) {
  std::vector<std::string> parts;
  std::istringstream stream(list);
  for (std::string part; std::getline(stream, part, ',');) {
    if (!part.empty()) parts.push_back(part);
  }
  return parts;
}

TEST(ExportTest, EveryPluginTheBuildDefinesExists) {
  for (const std::string& name : Split(KEEL_EXPECTED_PLUGINS)) {
    EXPECT_TRUE(fs::exists(std::string(KEEL_BUILD_PLUGIN_DIR) + "/libkeel_" + name + ".so")) << name;
  }
}

TEST(ExportTest, EveryBuiltPluginExportsExactlyTheEntryPoints) {
  int checked = 0;
  for (const auto& item : fs::directory_iterator(KEEL_BUILD_PLUGIN_DIR)) {
    const std::string name = item.path().filename();
    if (name.rfind("libkeel_", 0) != 0 || item.path().extension() != ".so") continue;
    EXPECT_EQ(Exports(item.path()), kEntryPoints) << name << " exports:" << Join(Exports(item.path()));
    ++checked;
  }
  EXPECT_GE(checked, static_cast<int>(Split(KEEL_EXPECTED_PLUGINS).size()));
}

TEST(ExportTest, ReaderSeesExactlyWhatAFixtureExports) {
  EXPECT_EQ(Exports(std::string(KEEL_TEST_FIXTURE_DIR) + "/valid/libkeel_fixture_valid.so"), kEntryPoints);
  EXPECT_EQ(Exports(std::string(KEEL_TEST_FIXTURE_DIR) + "/no_init/libkeel_fixture_no_init.so"),
            std::set<std::string>{"keel_plugin_probe"});
}

TEST(ExportTest, ReaderSeesTheWholeLibkeelApi) {
  const std::set<std::string> exports = Exports(KEEL_LIBRARY_PATH);
  EXPECT_EQ(exports.count("keel_runtime_create"), 1u);
  EXPECT_EQ(exports.count("keel_status_release"), 1u);
  EXPECT_EQ(exports.count("keel_plugin_init"), 0u);
  EXPECT_GT(exports.size(), 40u);
}

TEST(ExportTest, ReaderRefusesWhatIsNotElf) {
  std::set<std::string> exports;
  std::string error;
  EXPECT_FALSE(ReadElfExports(std::string(KEEL_TEST_FIXTURE_DIR) + "/garbage/libkeel_garbage.so", &exports, &error));
  EXPECT_NE(error.find("not an ELF file"), std::string::npos) << error;
  EXPECT_FALSE(ReadElfExports(std::string(KEEL_TEST_FIXTURE_DIR) + "/does_not_exist.so", &exports, &error));
}

}  // namespace
}  // namespace keel::test
