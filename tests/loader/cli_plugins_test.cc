// `keel plugins` with KEEL_PLUGIN_PATH pointing at the broken fixtures: exits 0, lists every candidate with
// its reason, never crashes; `--json` output parses and names every candidate.
#include <gtest/gtest.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "keel_test_support.h"
#include "loader_test_util.h"

namespace keel::test {
namespace {

namespace fs = std::filesystem;

struct CommandResult {
  bool exited = false;  // false: killed by a signal
  int exit_code = -1;
  std::string output;  // stdout only
};

// Runs the keel CLI with the broken fixtures on KEEL_PLUGIN_PATH and an empty manifest directory.
CommandResult RunKeel(const std::string& arguments) {
  const fs::path empty_manifests = fs::temp_directory_path() / "keel_cli_test_no_manifests";
  fs::create_directories(empty_manifests);
  const std::string command = "KEEL_PLUGIN_PATH='" + FixturePath("broken") + "' KEEL_MANIFEST_DIR='" +
                              empty_manifests.string() + "' '" + KEEL_CLI_PATH + "' " + arguments;
  CommandResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  char chunk[4096];
  size_t n = 0;
  while ((n = fread(chunk, 1, sizeof chunk, pipe)) > 0) result.output.append(chunk, n);
  const int status = pclose(pipe);
  result.exited = WIFEXITED(status);
  result.exit_code = result.exited ? WEXITSTATUS(status) : -1;
  return result;
}

std::vector<std::string> BrokenFiles() {
  std::vector<std::string> names;
  for (const auto& item : fs::directory_iterator(FixturePath("broken"))) names.push_back(item.path().filename());
  return names;
}

// Every string anywhere in `value`.
void CollectStrings(const nlohmann::json& value, std::vector<std::string>* out) {
  if (value.is_string()) {
    out->push_back(value.get<std::string>());
  } else if (value.is_structured()) {
    for (const auto& item : value) CollectStrings(item, out);
  }
}

bool AnyContains(const std::vector<std::string>& strings, const std::string& needle) {
  for (const std::string& s : strings) {
    if (s.find(needle) != std::string::npos) return true;
  }
  return false;
}

TEST(CliPluginsTest, ListsEveryBrokenCandidateWithItsReason) {
  const CommandResult result = RunKeel("plugins");
  ASSERT_TRUE(result.exited) << "keel plugins was killed by a signal; output:\n" << result.output;
  EXPECT_EQ(result.exit_code, 0) << result.output;
  for (const std::string& file : BrokenFiles()) {
    EXPECT_NE(result.output.find(file), std::string::npos) << file << " missing from:\n" << result.output;
  }
  for (const char* reason : {"keel_plugin_init", "keel_plugin_probe", "no device: fixture", "memory_stats"}) {
    EXPECT_TRUE(ContainsNoCase(result.output, reason)) << "no '" << reason << "' in:\n" << result.output;
  }
}

TEST(CliPluginsTest, JsonOutputParsesAndNamesEveryCandidate) {
  const CommandResult result = RunKeel("plugins --json");
  ASSERT_TRUE(result.exited) << "keel plugins --json was killed by a signal; output:\n" << result.output;
  EXPECT_EQ(result.exit_code, 0) << result.output;
  nlohmann::json parsed;
  ASSERT_NO_THROW(parsed = nlohmann::json::parse(result.output)) << result.output;
  std::vector<std::string> strings;
  CollectStrings(parsed, &strings);
  for (const std::string& file : BrokenFiles()) {
    EXPECT_TRUE(AnyContains(strings, file)) << file << " missing from:\n" << result.output;
  }
  EXPECT_TRUE(AnyContains(strings, "no device: fixture")) << result.output;
}

}  // namespace
}  // namespace keel::test
