#include "report/certificate.h"

#include <algorithm>
#include <map>
#include <set>

#include "model/must_pass.h"
#include "model/sha256.h"
#include "model/suite_info.h"
#include "report/verdicts.h"
#include "runner/protocol.h"
#include "spec/op_schema.h"

namespace keel::conform {
namespace {

nlohmann::json counts_json(const std::map<Outcome, size_t>& counts) {
  nlohmann::json json = nlohmann::json::object();
  for (Outcome outcome : kAllOutcomes) {
    const auto found = counts.find(outcome);
    json[outcome_name(outcome)] = found == counts.end() ? 0 : found->second;
  }
  return json;
}

nlohmann::json profile_names(const std::vector<Profile>& profiles) {
  nlohmann::json names = nlohmann::json::array();
  for (Profile profile : profiles) names.push_back(profile_name(profile));
  return names;
}

bool contains(const std::vector<Profile>& profiles, Profile profile) {
  return std::find(profiles.begin(), profiles.end(), profile) != profiles.end();
}

// Whether the committed must-pass list of the case's profile names it.
bool on_list(const CaseSpec& spec) {
  static const std::map<Profile, std::set<std::string>> kLists = [] {
    std::map<Profile, std::set<std::string>> lists;
    for (Profile profile : kAllProfiles) {
      const MustPassList& list = committed_list(profile);
      lists[profile] = std::set<std::string>(list.case_ids.begin(), list.case_ids.end());
    }
    return lists;
  }();
  return kLists.at(spec.profile).count(spec.id) > 0;
}

nlohmann::json case_json(const RecordedCase& recorded) {
  const CaseSpec& spec = *recorded.spec;
  nlohmann::json json = {{"id", spec.id},
                         {"profile", profile_name(spec.profile)},
                         {"layer", layer_name(spec.layer)},
                         {"must_pass", on_list(spec)},
                         {"outcome", outcome_name(recorded.result.outcome)},
                         {"time_ms", recorded.result.time_ms}};
  if (!recorded.result.reason.empty()) json["reason"] = recorded.result.reason;
  if (recorded.result.max_ulp) json["max_ulp"] = *recorded.result.max_ulp;
  if (recorded.result.max_abs_error) json["max_abs_error"] = *recorded.result.max_abs_error;
  if (recorded.waiver != nullptr) {
    json["raw_outcome"] = outcome_name(recorded.raw_outcome);
    json["waiver"] = recorded.waiver->reason;
  }
  return json;
}

}  // namespace

std::string cases_digest(const nlohmann::json& cases) { return sha256_hex(json_line(cases)); }

nlohmann::json build_certificate(const RunRecord& record) {
  const bool complete = is_complete_run(record.quick, record.filter);
  std::map<std::string, RecordedOutcome> outcomes;
  std::map<Outcome, size_t> totals;
  nlohmann::json cases = nlohmann::json::array();
  for (const RecordedCase& recorded : record.cases) {
    outcomes[recorded.spec->id] = {recorded.spec->profile, recorded.result.outcome};
    totals[recorded.result.outcome] += 1;
    cases.push_back(case_json(recorded));
  }
  std::map<Profile, std::vector<std::string>> lists;
  for (Profile profile : record.profiles) {
    if (committed_list(profile).version > 0) lists[profile] = committed_list(profile).case_ids;
  }
  bool all_requested_pass = true;
  nlohmann::json profiles = nlohmann::json::array();
  for (const ProfileSummary& summary : summarize_profiles(record.profiles, outcomes, lists, complete)) {
    const MustPassList& list = committed_list(summary.profile);
    const bool requested = contains(record.requested, summary.profile);
    if (requested && !summary.passed) all_requested_pass = false;
    nlohmann::json requires_profiles = nlohmann::json::array();
    for (Profile required : profile_info(summary.profile).requires_profiles) requires_profiles.push_back(profile_name(required));
    profiles.push_back({{"name", profile_name(summary.profile)},
                        {"requested", requested},
                        {"claimed", contains(record.claimed, summary.profile)},
                        {"requires", requires_profiles},
                        {"must_pass_list",
                         {{"file", list.file}, {"version", list.version}, {"sha256", list.sha256},
                          {"cases", list.case_ids.size()}}},
                        {"counts", counts_json(summary.counts)},
                        {"must_pass_run", summary.must_pass_run},
                        {"must_pass_satisfied", summary.must_pass_satisfied},
                        {"verdict", summary.passed ? "pass" : "fail"},
                        {"reason", summary.reason}});
  }
  nlohmann::json waivers = nullptr;
  if (record.waivers != nullptr) {
    nlohmann::json entries = nlohmann::json::array();
    for (const Waiver& waiver : record.waivers->waivers()) entries.push_back(waiver_to_json(waiver));
    waivers = {{"file", record.waivers->origin()}, {"sha256", record.waivers->sha256()}, {"entries", entries}};
  }
  size_t case_total = record.cases.size();
  return {
      {"schema", kCertificateSchemaName},
      {"schema_version", kCertificateSchemaVersion},
      {"suite",
       {{"name", "keel-conform"},
        {"version", suite_version()},
        {"git_revision", suite_git_revision()},
        {"git_dirty", suite_git_dirty()}}},
      {"spec_version", spec::spec_version()},
      {"host", record.target.value("host", nlohmann::json::object())},
      {"plugin", record.target.value("plugin", nlohmann::json::object())},
      {"reference", record.target.value("reference", nlohmann::json::object())},
      {"device", record.target.value("device", nlohmann::json::object())},
      {"run",
       {{"mode", record.quick ? "quick" : "full"},
        {"complete", complete},
        {"filter", record.filter},
        {"requested_profiles", profile_names(record.requested)},
        {"claimed_profiles", profile_names(record.claimed)},
        {"jobs", record.jobs},
        {"case_timeout_s", record.case_timeout_s},
        {"started_utc", record.started_utc},
        {"duration_s", record.duration_s},
        {"command", record.command},
        {"waivers", waivers}}},
      {"profiles", profiles},
      {"summary", {{"cases", case_total}, {"counts", counts_json(totals)}, {"result", all_requested_pass ? "pass" : "fail"}}},
      {"cases", cases},
      {"integrity", {{"cases_sha256", cases_digest(cases)}}},
  };
}

}  // namespace keel::conform
