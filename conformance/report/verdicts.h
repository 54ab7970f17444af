// Per-profile tallies and verdicts, computed the same way by the runner (to write a certificate) and by
// --verify (to check one).
//
// A profile passes when every case of its must-pass list that has a result passed (or is waived:
// expected_fail), every profile it requires passes, and, in a complete run (not --quick, no --filter),
// every case of the list has a result.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "model/outcome.h"
#include "model/profiles.h"

namespace keel::conform {

struct ProfileSummary {
  Profile profile = Profile::kBase;
  std::map<Outcome, size_t> counts;  // every case of this profile that has a result
  size_t must_pass_cases = 0;        // on the committed list
  size_t must_pass_run = 0;          // of those, with a result
  size_t must_pass_satisfied = 0;    // of those, pass or expected_fail
  std::vector<std::string> missing;  // on the list, without a result (counted in complete runs only)
  std::vector<std::string> blocking; // on the list, with a result that fails the profile
  bool passed = false;
  std::string reason;                // one line: why it failed, or a summary of the pass
};

struct RecordedOutcome {
  Profile profile;
  Outcome outcome;
};

// `profiles` in dependency order (with_requirements); `results` maps case ids to outcomes; `lists` gives
// each profile's must-pass ids.
std::vector<ProfileSummary> summarize_profiles(const std::vector<Profile>& profiles,
                                               const std::map<std::string, RecordedOutcome>& results,
                                               const std::map<Profile, std::vector<std::string>>& lists,
                                               bool complete);

}  // namespace keel::conform
