// The certificate: one schema-versioned JSON document (conformance/certificate.schema.json) describing a
// run — suite and spec versions, plugin, device, per-profile verdicts with the must-pass list each was
// judged against (file, version, SHA-256), and every case's result.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/case.h"
#include "model/waivers.h"

namespace keel::conform {

inline constexpr const char* kCertificateSchemaName = "keel-conformance-certificate";
inline constexpr int kCertificateSchemaVersion = 1;

struct RecordedCase {
  const CaseSpec* spec = nullptr;
  CaseResult result;   // the outcome after waivers
  Outcome raw_outcome; // before waivers
  const Waiver* waiver = nullptr;
};

struct RunRecord {
  nlohmann::json target;             // describe_target() from a worker: plugin, reference, device, host
  std::vector<Profile> profiles;     // every profile judged (the requested ones and what they require)
  std::vector<Profile> requested;    // asked for with --profile, or claimed by the plugin
  std::vector<Profile> claimed;      // claimed by the plugin (capability bits)
  bool quick = false;
  std::string filter;                // --filter, or ""
  int jobs = 1;
  double case_timeout_s = 0;
  std::string started_utc;           // ISO 8601
  double duration_s = 0;
  std::string command;               // the command line
  const WaiverSet* waivers = nullptr;
  std::vector<RecordedCase> cases;   // in catalog order
};

nlohmann::json build_certificate(const RunRecord& record);

// SHA-256 of the cases array as written (the certificate's integrity field).
std::string cases_digest(const nlohmann::json& cases);

// Whether the run covers every case (no --quick, no --filter).
inline bool is_complete_run(bool quick, const std::string& filter) { return !quick && filter.empty(); }

}  // namespace keel::conform
