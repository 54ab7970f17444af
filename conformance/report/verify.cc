#include "report/verify.h"

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "model/embedded_files.h"
#include "model/must_pass.h"
#include "model/suite_info.h"
#include "report/certificate.h"
#include "report/json_schema.h"
#include "report/verdicts.h"

namespace keel::conform {
namespace {

std::map<Outcome, size_t> read_counts(const nlohmann::json& counts) {
  std::map<Outcome, size_t> out;
  for (Outcome outcome : kAllOutcomes) out[outcome] = counts.value(outcome_name(outcome), size_t{0});
  return out;
}

std::map<Outcome, size_t> full_counts(const std::map<Outcome, size_t>& counts) {
  std::map<Outcome, size_t> out;
  for (Outcome outcome : kAllOutcomes) out[outcome] = counts.count(outcome) ? counts.at(outcome) : 0;
  return out;
}

class Verifier {
 public:
  explicit Verifier(const nlohmann::json& certificate) : cert_(certificate) {}

  std::vector<std::string> run() {
    const std::optional<std::string_view> schema_text = embedded_file("certificate.schema.json");
    if (!schema_text) return {"this suite was built without its certificate schema"};
    const nlohmann::json schema = nlohmann::json::parse(*schema_text);
    for (const std::string& error : validate_json_schema(schema, cert_)) problems_.push_back("schema: " + error);
    if (!problems_.empty()) return problems_;  // the checks below assume the shape the schema guarantees
    check_suite();
    check_integrity();
    read_cases();
    check_profiles();
    check_summary();
    return problems_;
  }

 private:
  void problem(std::string text) { problems_.push_back(std::move(text)); }

  void check_suite() {
    const std::string version = cert_["suite"]["version"];
    if (version != suite_version()) {
      problem("the certificate was made by suite " + version + "; this verifier is suite " + suite_version() +
              " (verify with the suite that made it)");
    }
  }

  void check_integrity() {
    if (cases_digest(cert_["cases"]) != cert_["integrity"]["cases_sha256"].get<std::string>()) {
      problem("integrity: the cases do not match integrity.cases_sha256 (the case list was edited)");
    }
  }

  void read_cases() {
    std::set<std::string> waived_patterns;
    const bool has_waivers = cert_["run"]["waivers"].is_object();
    for (const nlohmann::json& entry : cert_["cases"]) {
      const std::string id = entry["id"];
      if (!ids_.insert(id).second) problem("case " + id + " appears twice");
      const Profile profile = *parse_profile(entry["profile"].get<std::string>());
      const Outcome outcome = *parse_outcome(entry["outcome"].get<std::string>());
      outcomes_[id] = {profile, outcome};
      totals_[outcome] += 1;
      const bool waived_outcome = outcome == Outcome::kExpectedFail || outcome == Outcome::kXpass;
      if (waived_outcome && (!entry.contains("waiver") || !entry.contains("raw_outcome") || !has_waivers)) {
        problem("case " + id + " is " + outcome_name(outcome) + " without a waiver from the run's waiver file");
      }
      if (entry.value("must_pass", false) != is_on_list(profile, id)) {
        problem("case " + id + " says must_pass=" + (entry.value("must_pass", false) ? "true" : "false") +
                " but the " + profile_name(profile) + " list says otherwise");
      }
    }
  }

  bool is_on_list(Profile profile, const std::string& id) {
    auto found = list_sets_.find(profile);
    if (found == list_sets_.end()) {
      const MustPassList& list = committed_list(profile);
      found = list_sets_.emplace(profile, std::set<std::string>(list.case_ids.begin(), list.case_ids.end())).first;
    }
    return found->second.count(id) > 0;
  }

  void check_profiles() {
    std::vector<Profile> profiles;
    std::map<Profile, std::vector<std::string>> lists;
    for (const nlohmann::json& entry : cert_["profiles"]) {
      const Profile profile = *parse_profile(entry["name"].get<std::string>());
      profiles.push_back(profile);
      const MustPassList& list = committed_list(profile);
      const nlohmann::json& recorded = entry["must_pass_list"];
      const std::string name = profile_name(profile);
      if (recorded["file"] != list.file || recorded["version"] != list.version || recorded["sha256"] != list.sha256 ||
          recorded["cases"] != list.case_ids.size()) {
        problem(name + ": must-pass list " + recorded["file"].get<std::string>() + " version " +
                recorded["version"].dump() + " (sha256 " + recorded["sha256"].get<std::string>() +
                ") is not this suite's (version " + std::to_string(list.version) + ", sha256 " + list.sha256 + ")");
      }
      if (list.version > 0) lists[profile] = list.case_ids;
    }
    const bool complete = cert_["run"]["complete"].get<bool>();
    if (complete != is_complete_run(cert_["run"]["mode"] == "quick", cert_["run"]["filter"].get<std::string>())) {
      problem("run.complete does not match run.mode and run.filter");
    }
    for (const auto& [id, recorded] : outcomes_) {
      if (std::find(profiles.begin(), profiles.end(), recorded.profile) == profiles.end()) {
        problem("case " + id + " belongs to " + profile_name(recorded.profile) + ", which the certificate does not judge");
      }
    }
    const std::vector<ProfileSummary> summaries = summarize_profiles(profiles, outcomes_, lists, complete);
    bool requested_pass = true;
    for (size_t i = 0; i < summaries.size(); ++i) {
      const nlohmann::json& entry = cert_["profiles"][i];
      const ProfileSummary& summary = summaries[i];
      const std::string name = profile_name(summary.profile);
      if (read_counts(entry["counts"]) != full_counts(summary.counts)) problem(name + ": counts do not match its cases");
      if (entry["must_pass_run"] != summary.must_pass_run || entry["must_pass_satisfied"] != summary.must_pass_satisfied) {
        problem(name + ": must_pass_run / must_pass_satisfied do not match the cases");
      }
      const std::string verdict = summary.passed ? "pass" : "fail";
      if (entry["verdict"] != verdict) {
        problem(name + ": the verdict says " + entry["verdict"].get<std::string>() + ", the cases give " + verdict +
                " (" + summary.reason + ")");
      }
      if (entry["requested"].get<bool>() && !summary.passed) requested_pass = false;
    }
    const std::string result = requested_pass ? "pass" : "fail";
    if (cert_["summary"]["result"] != result) {
      problem("summary.result says " + cert_["summary"]["result"].get<std::string>() + ", the profiles give " + result);
    }
  }

  void check_summary() {
    if (cert_["summary"]["cases"] != cert_["cases"].size()) problem("summary.cases does not match the number of cases");
    if (read_counts(cert_["summary"]["counts"]) != full_counts(totals_)) problem("summary.counts do not match the cases");
  }

  const nlohmann::json& cert_;
  std::vector<std::string> problems_;
  std::set<std::string> ids_;
  std::map<std::string, RecordedOutcome> outcomes_;
  std::map<Outcome, size_t> totals_;
  std::map<Profile, std::set<std::string>> list_sets_;
};

}  // namespace

std::vector<std::string> verify_certificate(const nlohmann::json& certificate) {
  return Verifier(certificate).run();
}

std::vector<std::string> verify_certificate_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return {"cannot read " + path};
  std::ostringstream text;
  text << file.rdbuf();
  const nlohmann::json certificate = nlohmann::json::parse(text.str(), nullptr, false);
  if (certificate.is_discarded()) return {path + " is not JSON"};
  return verify_certificate(certificate);
}

}  // namespace keel::conform
