// The graph layer's committed ONNX node-test list (conformance/graph/onnx-node-tests.txt): it must be what
// running the installed node tests on the reference plugin gives today (regenerate with the
// keel_update_onnx_node_list target, then keel_update_conformance_lists), the catalog's graph cases must
// follow it, and the list format and profile rule themselves.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "layers/graph/onnx_node_cases.h"
#include "layers/graph/onnx_node_list.h"
#include "model/catalog.h"
#include "model/embedded_files.h"

namespace keel::conform {
namespace {

// The first line where two texts differ, for a readable failure.
std::string first_differing_line(const std::string& a, const std::string& b) {
  std::istringstream sa(a), sb(b);
  std::string la, lb;
  for (size_t n = 1;; ++n) {
    const bool more_a = static_cast<bool>(std::getline(sa, la)), more_b = static_cast<bool>(std::getline(sb, lb));
    if (!more_a && !more_b) return "none";
    if (!more_a || !more_b || la != lb) return "line " + std::to_string(n) + ": committed '" + la + "', now '" + lb + "'";
  }
}

TEST(OnnxNodeList, CommittedListMatchesTheNodeTestsOnTheReferencePlugin) {
  if (const std::string reason = onnx_import_unavailable_reason(); !reason.empty()) GTEST_SKIP() << reason;
  if (!std::filesystem::is_directory(onnx_node_test_root())) {
    GTEST_SKIP() << onnx_node_test_root() << " is missing (package libonnx-testdata)";
  }
  RuntimeOptions options;
  options.plugin_paths = {KEEL_REFERENCE_PLUGIN};
  options.use_env_path = false;
  options.use_manifests = false;
  const Runtime runtime = Runtime::create(options);
  const std::string now = generate_onnx_node_list(runtime, runtime.devices().at(0).name(), onnx_node_test_root());
  const std::string committed(embedded_file(kOnnxNodeListFile).value_or(""));
  EXPECT_TRUE(now == committed) << kOnnxNodeListFile << " is stale (first difference: "
                                << first_differing_line(committed, now)
                                << "). Regenerate with the keel_update_onnx_node_list target, then "
                                   "keel_update_conformance_lists.";
}

TEST(OnnxNodeList, TheCatalogHasOneGraphCasePerListedTest) {
  const OnnxNodeList& list = committed_onnx_node_list();
  ASSERT_GT(list.version, 0);
  EXPECT_GE(list.entries.size(), 900u);  // ONNX 1.12 has 932 node tests
  size_t must_pass = 0, quick = 0;
  for (const OnnxNodeEntry& entry : list.entries) {
    const CaseSpec* spec = find_case(std::string(kOnnxCasePrefix) + entry.test);
    ASSERT_NE(spec, nullptr) << entry.test;
    EXPECT_EQ(spec->layer, Layer::kGraph);
    EXPECT_EQ(spec->must_pass, entry.must_pass()) << entry.test;
    if (entry.profile) {
      EXPECT_EQ(spec->profile, *entry.profile) << entry.test;
    }
    must_pass += entry.must_pass() ? 1 : 0;
    quick += spec->quick ? 1 : 0;
    // Only must-pass tests run in --quick, and every entry names its operators unless it does not import.
    EXPECT_TRUE(!spec->quick || spec->must_pass) << entry.test;
    EXPECT_TRUE(!entry.ops.empty() || entry.reference.find("import") != std::string::npos) << entry.test;
  }
  EXPECT_GE(must_pass, 690u);
  EXPECT_EQ(quick, 9u);  // every test graph_layer.cc names for --quick is must-pass
}

TEST(OnnxNodeList, ProfilesFollowTheSpecsDtypeProfiles) {
  using P = std::optional<Profile>;
  EXPECT_EQ(onnx_node_profile(std::vector<keel_dtype_t>{KEEL_DTYPE_F32, KEEL_DTYPE_I64, KEEL_DTYPE_BOOL}).first,
            P(Profile::kCoreInference));
  EXPECT_EQ(onnx_node_profile(std::vector<keel_dtype_t>{KEEL_DTYPE_F16, KEEL_DTYPE_F32}).first, P(Profile::kFp16));
  EXPECT_EQ(onnx_node_profile(std::vector<keel_dtype_t>{KEEL_DTYPE_BF16}).first, P(Profile::kBf16));
  EXPECT_EQ(onnx_node_profile(std::vector<keel_dtype_t>{KEEL_DTYPE_F64, KEEL_DTYPE_I32}).first, P(Profile::kFp64));
  // Two extensions at once, or int8 (no suite profile): none, and the text says which dtype profiles.
  const auto mixed = onnx_node_profile(std::vector<keel_dtype_t>{KEEL_DTYPE_F16, KEEL_DTYPE_F64});
  EXPECT_FALSE(mixed.first);
  EXPECT_EQ(mixed.second, "none (fp16, fp64)");
  EXPECT_FALSE(onnx_node_profile(std::vector<keel_dtype_t>{KEEL_DTYPE_U8, KEEL_DTYPE_F32}).first);
}

TEST(OnnxNodeList, MalformedListsAreRefused) {
  const std::string header = "# list-version: 1\n# tests: 1\n";
  std::string error;
  const auto parsed = parse_onnx_node_list(header + "test_a\tCore-Inference\tmust-pass\tadd,mul\n", &error);
  ASSERT_TRUE(parsed) << error;
  EXPECT_TRUE(parsed->entries.at(0).must_pass());
  EXPECT_TRUE(parsed->entries.at(0).uses("mul"));
  EXPECT_FALSE(parse_onnx_node_list(header + "test_a\tCore-Inference\tmust-pass\n", &error));
  EXPECT_NE(error.find(":3: expected 4 tab-separated fields"), std::string::npos) << error;
  EXPECT_FALSE(parse_onnx_node_list(header + "test_a\tFP8\tmust-pass\t-\n", &error));
  EXPECT_NE(error.find("unknown profile 'FP8'"), std::string::npos) << error;
  EXPECT_FALSE(parse_onnx_node_list("# list-version: 1\n# tests: 2\ntest_a\tFP16\tmust-pass\t-\n", &error));
  EXPECT_NE(error.find("test count (2) is not the 1 tests listed"), std::string::npos) << error;
  // A test outside every profile is never must-pass, whatever the reference did.
  const auto none = parse_onnx_node_list(header + "test_b\tnone (fp16, fp64)\tmust-pass\tcast\n", &error);
  ASSERT_TRUE(none) << error;
  EXPECT_FALSE(none->entries.at(0).must_pass());
}

TEST(OnnxNodeList, ReasonsBecomeOneField) {
  EXPECT_EQ(list_field("a\tb\nc"), "a b c");
  const std::string long_text = std::string(239, 'x') + "\xc2\xb7" + std::string(50, 'y');  // '·' across the cut
  const std::string field = list_field(long_text);
  EXPECT_EQ(field, std::string(239, 'x') + "...");
  const std::string whole = std::string(238, 'x') + "\xc2\xb7" + std::string(50, 'y');  // '·' ends at the cut
  EXPECT_EQ(list_field(whole), std::string(238, 'x') + "\xc2\xb7...");
}

}  // namespace
}  // namespace keel::conform
