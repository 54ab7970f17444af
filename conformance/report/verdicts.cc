#include "report/verdicts.h"

#include <algorithm>

namespace keel::conform {
namespace {

constexpr size_t kNamedCases = 3;  // how many failing ids a reason names

std::string first_ids(const std::vector<std::string>& ids) {
  std::string text;
  for (size_t i = 0; i < ids.size() && i < kNamedCases; ++i) text += (i ? ", " : "") + ids[i];
  if (ids.size() > kNamedCases) text += ", ...";
  return text;
}

}  // namespace

std::vector<ProfileSummary> summarize_profiles(const std::vector<Profile>& profiles,
                                               const std::map<std::string, RecordedOutcome>& results,
                                               const std::map<Profile, std::vector<std::string>>& lists,
                                               bool complete) {
  std::vector<ProfileSummary> summaries;
  std::map<Profile, bool> passed;
  for (Profile profile : profiles) {
    ProfileSummary summary;
    summary.profile = profile;
    for (const auto& [id, recorded] : results) {
      if (recorded.profile == profile) summary.counts[recorded.outcome] += 1;
    }
    const auto list = lists.find(profile);
    const std::vector<std::string> empty;
    const std::vector<std::string>& ids = list == lists.end() ? empty : list->second;
    summary.must_pass_cases = ids.size();
    for (const std::string& id : ids) {
      const auto found = results.find(id);
      if (found == results.end()) {
        summary.missing.push_back(id);
        continue;
      }
      summary.must_pass_run += 1;
      if (satisfies_must_pass(found->second.outcome)) {
        summary.must_pass_satisfied += 1;
      } else {
        summary.blocking.push_back(id + " (" + outcome_name(found->second.outcome) + ")");
      }
    }
    std::vector<std::string> failed_requirements;
    for (Profile required : profile_info(profile).requires_profiles) {
      if (!passed[required]) failed_requirements.push_back(profile_name(required));
    }
    if (list == lists.end()) {
      summary.reason = "no must-pass list";
    } else if (!summary.blocking.empty()) {
      summary.reason = std::to_string(summary.blocking.size()) + " must-pass case(s) did not pass: " +
                       first_ids(summary.blocking);
    } else if (complete && !summary.missing.empty()) {
      summary.reason = std::to_string(summary.missing.size()) + " must-pass case(s) have no result: " +
                       first_ids(summary.missing);
    } else if (!failed_requirements.empty()) {
      summary.reason = "requires " + first_ids(failed_requirements) + ", which did not pass";
    } else {
      summary.passed = true;
      summary.reason = std::to_string(summary.must_pass_satisfied) + " of " + std::to_string(summary.must_pass_cases) +
                       " must-pass cases passed" + (complete ? "" : " (partial run)");
    }
    passed[profile] = summary.passed;
    summaries.push_back(std::move(summary));
  }
  return summaries;
}

}  // namespace keel::conform
