// Constraints and their negative examples.
#include <set>

#include "op_loader.h"

namespace keel::specgen {
namespace {

// The closed set of keel_status_code_e names (api/keel/keel_status.h) a violation may return.
const std::set<std::string>& status_codes() {
  static const std::set<std::string> codes = {
      "CANCELLED",          "INVALID_ARGUMENT",    "NOT_FOUND",    "ALREADY_EXISTS", "PERMISSION_DENIED",
      "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "OUT_OF_RANGE", "UNIMPLEMENTED",  "INTERNAL",
      "UNAVAILABLE",        "DEVICE_LOST",         "DATA_LOSS"};
  return codes;
}

}  // namespace

void load_constraints(const YamlFile& file, const YAML::Node& list, const GlobalSpec& global, OpDef& op) {
  if (!file.expect_sequence(list, "constraints of '" + op.name + "'")) return;
  for (const YAML::Node& node : list) {
    std::string expected_id = "C" + std::to_string(op.constraints.size() + 1);
    std::string id = scalar_of(node["id"]);
    std::string what = "constraint " + (id.empty() ? expected_id : id) + " of '" + op.name + "'";
    if (!file.check_keys(node, what, {"id", "check", "code", "text"}, {"example"})) continue;
    ConstraintDef c;
    c.where = file.at(node);
    c.id = id;
    if (id != expected_id)
      file.error(node["id"], "constraint id '" + id + "' must be '" + expected_id + "' (C1..Cn in order)");
    c.check_text = scalar_of(node["check"]);
    if (std::optional<Expr> e = read_expr(file, node["check"], "check of " + what)) c.check = *e;
    c.code = file.get_string(node["code"], "code").value_or("");
    if (!status_codes().count(c.code)) file.error(node["code"], "unknown status code '" + c.code + "'");
    c.text = file.get_string(node["text"], "text").value_or("");
    if (node["example"].IsDefined()) {
      const std::string example_what = "the example of " + c.id + " of '" + op.name + "'";
      if (file.check_keys(node["example"], example_what, {}, {"inputs", "attrs"})) {
        c.example = load_call(file, node["example"], global, op, example_what, /*dtype_optional=*/false);
      }
    }
    op.constraints.push_back(std::move(c));
  }
}

}  // namespace keel::specgen
