// `keel conform --verify report.json`: checks a certificate against this suite — the schema, the suite
// version, every must-pass list's version and SHA-256, the counts (per profile and in total) against the
// cases, the verdicts recomputed from the cases, that a complete run has a result for every must-pass
// case, that waived outcomes name a waiver, and the integrity digest of the cases.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace keel::conform {

// Every inconsistency found; empty when the certificate verifies.
std::vector<std::string> verify_certificate(const nlohmann::json& certificate);

// Reads and verifies a file (an unreadable or non-JSON file is one problem).
std::vector<std::string> verify_certificate_file(const std::string& path);

}  // namespace keel::conform
