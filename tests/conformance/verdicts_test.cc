// Profile verdicts: must-pass lists, requirements, partial runs.
#include "report/verdicts.h"

#include <gtest/gtest.h>

namespace keel::conform {
namespace {

const std::map<Profile, std::vector<std::string>> kLists = {
    {Profile::kBase, {"b1", "b2"}}, {Profile::kCoreInference, {"c1"}}, {Profile::kFp64, {"d1"}}};
const std::vector<Profile> kProfiles = {Profile::kBase, Profile::kCoreInference, Profile::kFp64};

std::map<std::string, RecordedOutcome> results(Outcome b2, Outcome c1) {
  return {{"b1", {Profile::kBase, Outcome::kPass}},
          {"b2", {Profile::kBase, b2}},
          {"c1", {Profile::kCoreInference, c1}},
          {"d1", {Profile::kFp64, Outcome::kPass}},
          {"extra", {Profile::kCoreInference, Outcome::kFail}}};
}

TEST(Verdicts, EveryMustPassCasePassingPassesTheProfile) {
  const auto summaries = summarize_profiles(kProfiles, results(Outcome::kPass, Outcome::kPass), kLists, true);
  for (const ProfileSummary& summary : summaries) EXPECT_TRUE(summary.passed) << summary.reason;
  EXPECT_EQ(summaries[1].counts.at(Outcome::kFail), 1u);  // a failure off the list does not block
}

TEST(Verdicts, ExpectedFailsPassButEverythingElseBlocksAndPropagates) {
  EXPECT_TRUE(summarize_profiles(kProfiles, results(Outcome::kExpectedFail, Outcome::kPass), kLists, true)[0].passed);
  for (Outcome blocking : {Outcome::kFail, Outcome::kXpass, Outcome::kUnsupported, Outcome::kCrashed,
                           Outcome::kTimedOut, Outcome::kNotRun}) {
    const auto summaries = summarize_profiles(kProfiles, results(blocking, Outcome::kPass), kLists, true);
    EXPECT_FALSE(summaries[0].passed) << outcome_name(blocking);
    EXPECT_FALSE(summaries[1].passed) << "Core-Inference requires Base";
    EXPECT_FALSE(summaries[2].passed) << "FP64 requires Core-Inference";
    EXPECT_NE(summaries[2].reason.find("requires"), std::string::npos) << summaries[2].reason;
  }
}

TEST(Verdicts, MissingCasesFailOnlyACompleteRun) {
  auto partial = results(Outcome::kPass, Outcome::kPass);
  partial.erase("b2");
  EXPECT_FALSE(summarize_profiles(kProfiles, partial, kLists, true)[0].passed);
  EXPECT_TRUE(summarize_profiles(kProfiles, partial, kLists, false)[0].passed);
}

TEST(Verdicts, AProfileWithoutAListFails) {
  const std::map<Profile, std::vector<std::string>> no_lists;
  EXPECT_FALSE(summarize_profiles({Profile::kBase}, results(Outcome::kPass, Outcome::kPass), no_lists, true)[0].passed);
}

}  // namespace
}  // namespace keel::conform
