#include "runner/protocol.h"

namespace keel::conform {

std::string json_line(const nlohmann::json& json) {
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

nlohmann::json result_to_json(const std::string& id, const CaseResult& result) {
  nlohmann::json json = {{"id", id}, {"outcome", outcome_name(result.outcome)}, {"time_ms", result.time_ms}};
  if (!result.reason.empty()) json["reason"] = result.reason;
  if (result.max_ulp) json["max_ulp"] = *result.max_ulp;
  if (result.max_abs_error) json["max_abs_error"] = *result.max_abs_error;
  return json;
}

std::optional<std::pair<std::string, CaseResult>> result_from_json(const nlohmann::json& json) {
  if (!json.is_object() || !json.contains("id") || !json["id"].is_string() || !json.contains("outcome")) {
    return std::nullopt;
  }
  const std::optional<Outcome> outcome = parse_outcome(json["outcome"].get<std::string>());
  if (!outcome) return std::nullopt;
  CaseResult result;
  result.outcome = *outcome;
  result.reason = json.value("reason", "");
  result.time_ms = json.value("time_ms", 0.0);
  if (json.contains("max_ulp") && json["max_ulp"].is_number()) result.max_ulp = json["max_ulp"].get<double>();
  if (json.contains("max_abs_error") && json["max_abs_error"].is_number()) {
    result.max_abs_error = json["max_abs_error"].get<double>();
  }
  return std::make_pair(json["id"].get<std::string>(), result);
}

}  // namespace keel::conform
