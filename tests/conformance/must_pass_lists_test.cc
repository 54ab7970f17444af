// The committed must-pass lists (conformance/profiles/) must match the case catalog; regenerate them with
// `cmake --build <build> --target keel_update_conformance_lists`. Also the list format itself.
#include <gtest/gtest.h>

#include "model/must_pass.h"

namespace keel::conform {
namespace {

TEST(MustPassLists, CommittedListsMatchTheCatalog) {
  for (Profile profile : kAllProfiles) {
    const ListDrift drift = list_drift(profile);
    EXPECT_TRUE(drift.empty()) << must_pass_file_name(profile) << " is stale: "
                               << (drift.file_missing ? "not committed; " : "") << drift.missing_from_list.size()
                               << " case(s) missing (first: "
                               << (drift.missing_from_list.empty() ? "-" : drift.missing_from_list.front()) << "), "
                               << drift.stale_in_list.size() << " no longer generated (first: "
                               << (drift.stale_in_list.empty() ? "-" : drift.stale_in_list.front()) << ")"
                               << (drift.reordered ? ", reordered" : "")
                               << ". Regenerate with the keel_update_conformance_lists target.";
  }
}

TEST(MustPassLists, RegeneratingACurrentListChangesNothing) {
  for (Profile profile : kAllProfiles) {
    const MustPassList& committed = committed_list(profile);
    if (committed.version == 0 || !list_drift(profile).empty()) continue;
    EXPECT_EQ(render_must_pass_list(profile, catalog_must_pass_ids(profile)), committed.contents);
  }
}

TEST(MustPassLists, ANewCaseSetGetsTheNextVersion) {
  const MustPassList& committed = committed_list(Profile::kBase);
  const std::string text = render_must_pass_list(Profile::kBase, {"abi.exports", "a.new.case"});
  std::string error;
  const std::optional<MustPassList> parsed = parse_must_pass_list(Profile::kBase, text, &error);
  ASSERT_TRUE(parsed) << error;
  EXPECT_EQ(parsed->version, committed.version + 1);
  EXPECT_EQ(parsed->case_ids, (std::vector<std::string>{"abi.exports", "a.new.case"}));
}

TEST(MustPassLists, MalformedListsAreRefused) {
  std::string error;
  EXPECT_FALSE(parse_must_pass_list(Profile::kBase, "abi.exports\n", &error));
  EXPECT_FALSE(parse_must_pass_list(Profile::kBase,
                                    "# Keel conformance must-pass list: Base\n# list-version: 1\n# cases: 2\nabi.exports\n",
                                    &error));
  EXPECT_NE(error.find("says 2 cases"), std::string::npos) << error;
  EXPECT_FALSE(parse_must_pass_list(Profile::kBase,
                                    "# Keel conformance must-pass list: FP16\n# list-version: 1\n# cases: 0\n", &error));
  EXPECT_TRUE(parse_must_pass_list(Profile::kBase,
                                   "# Keel conformance must-pass list: Base\n# list-version: 3\n# cases: 1\nabi.exports\n",
                                   &error))
      << error;
}

}  // namespace
}  // namespace keel::conform
