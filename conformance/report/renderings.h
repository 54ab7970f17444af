// Human-readable renderings of a certificate: the Markdown report written next to report.json, and the
// summary table `keel conform` prints at the end of a run. Both read only the certificate JSON.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace keel::conform {

std::string render_markdown(const nlohmann::json& certificate);
std::string render_summary(const nlohmann::json& certificate);

}  // namespace keel::conform
