// Waivers: known failures a plugin vendor declares, each with a reason. A waived case that does not pass
// is reported as expected_fail (it does not fail its profile); a waived case that passes is reported as
// xpass, which does fail it, so stale waivers get removed.
//
// File format (JSON):
//   {"schema": "keel-conformance-waivers", "version": 1,
//    "waivers": [{"plugin": "onednn", "case": "ops.softmax.f16.*", "reason": "why", "tracking": "issue 12",
//                 "device": "optional substring of the device name"}]}
// `plugin` is the plugin's name (or "*"); `case` an id or a pattern with * and ?; `reason` is mandatory.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/outcome.h"

namespace keel::conform {

struct Waiver {
  std::string plugin;
  std::string device;  // empty: any device
  std::string case_pattern;
  std::string reason;
  std::string tracking;
};

class WaiverSet {
 public:
  WaiverSet() = default;
  // nullopt with *error for an unreadable or malformed file (a waiver without a reason is malformed).
  static std::optional<WaiverSet> load(const std::string& path, std::string* error);
  static std::optional<WaiverSet> parse(const std::string& text, const std::string& origin, std::string* error);

  // The first waiver that covers `case_id` for this plugin and device, or nullptr.
  const Waiver* find(const std::string& plugin, const std::string& device, const std::string& case_id) const;
  // What a raw outcome becomes under `waiver` (pass -> xpass, fail/crashed/timed_out/unsupported ->
  // expected_fail; not_run stays).
  static Outcome apply(Outcome raw, const Waiver* waiver);

  const std::vector<Waiver>& waivers() const { return waivers_; }
  const std::string& sha256() const { return sha256_; }
  const std::string& origin() const { return origin_; }

 private:
  std::vector<Waiver> waivers_;
  std::string sha256_;
  std::string origin_;
};

// '*' matches any run of characters, '?' any one.
bool glob_match(const std::string& pattern, const std::string& text);

nlohmann::json waiver_to_json(const Waiver& waiver);

}  // namespace keel::conform
