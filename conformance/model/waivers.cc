#include "model/waivers.h"

#include <fstream>
#include <sstream>

#include "model/sha256.h"

namespace keel::conform {

bool glob_match(const std::string& pattern, const std::string& text) {
  size_t p = 0, t = 0, star = std::string::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (star != std::string::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::optional<WaiverSet> WaiverSet::load(const std::string& path, std::string* error) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    *error = "cannot read the waiver file " + path;
    return std::nullopt;
  }
  std::ostringstream text;
  text << file.rdbuf();
  return parse(text.str(), path, error);
}

std::optional<WaiverSet> WaiverSet::parse(const std::string& text, const std::string& origin, std::string* error) {
  const nlohmann::json document = nlohmann::json::parse(text, nullptr, false);
  const auto malformed = [&](const std::string& why) {
    *error = origin + ": " + why;
    return std::nullopt;
  };
  if (document.is_discarded() || !document.is_object()) return malformed("not a JSON object");
  if (document.value("schema", "") != "keel-conformance-waivers" || document.value("version", 0) != 1) {
    return malformed("expected \"schema\": \"keel-conformance-waivers\" and \"version\": 1");
  }
  if (!document.contains("waivers") || !document["waivers"].is_array()) return malformed("no \"waivers\" array");
  WaiverSet set;
  set.origin_ = origin;
  set.sha256_ = sha256_hex(text);
  size_t index = 0;
  for (const nlohmann::json& entry : document["waivers"]) {
    const std::string where = "waiver " + std::to_string(index++) + ": ";
    if (!entry.is_object()) return malformed(where + "not an object");
    Waiver waiver;
    for (const auto& [key, target] : {std::pair<const char*, std::string*>{"plugin", &waiver.plugin},
                                      {"device", &waiver.device},
                                      {"case", &waiver.case_pattern},
                                      {"reason", &waiver.reason},
                                      {"tracking", &waiver.tracking}}) {
      if (!entry.contains(key)) continue;
      if (!entry[key].is_string()) return malformed(where + "\"" + key + "\" is not a string");
      *target = entry[key].get<std::string>();
    }
    if (waiver.plugin.empty()) return malformed(where + "no \"plugin\"");
    if (waiver.case_pattern.empty()) return malformed(where + "no \"case\"");
    if (waiver.reason.empty()) return malformed(where + "no \"reason\" (every waiver needs one)");
    set.waivers_.push_back(std::move(waiver));
  }
  return set;
}

const Waiver* WaiverSet::find(const std::string& plugin, const std::string& device, const std::string& case_id) const {
  for (const Waiver& waiver : waivers_) {
    if (waiver.plugin != "*" && waiver.plugin != plugin) continue;
    if (!waiver.device.empty() && device.find(waiver.device) == std::string::npos) continue;
    if (glob_match(waiver.case_pattern, case_id)) return &waiver;
  }
  return nullptr;
}

Outcome WaiverSet::apply(Outcome raw, const Waiver* waiver) {
  if (waiver == nullptr) return raw;
  switch (raw) {
    case Outcome::kPass: return Outcome::kXpass;
    case Outcome::kFail:
    case Outcome::kCrashed:
    case Outcome::kTimedOut:
    case Outcome::kUnsupported: return Outcome::kExpectedFail;
    default: return raw;
  }
}

nlohmann::json waiver_to_json(const Waiver& waiver) {
  nlohmann::json json = {{"plugin", waiver.plugin}, {"case", waiver.case_pattern}, {"reason", waiver.reason}};
  if (!waiver.device.empty()) json["device"] = waiver.device;
  if (!waiver.tracking.empty()) json["tracking"] = waiver.tracking;
  return json;
}

}  // namespace keel::conform
