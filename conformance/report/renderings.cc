#include "report/renderings.h"

#include <map>
#include <vector>

#include "model/outcome.h"
#include "report/text_table.h"

namespace keel::conform {
namespace {

constexpr size_t kListedPerOutcome = 50;

// Outcome columns shown in tables, in this order.
constexpr Outcome kColumns[] = {Outcome::kPass,   Outcome::kFail,     Outcome::kUnsupported, Outcome::kExpectedFail,
                                Outcome::kXpass,  Outcome::kCrashed,  Outcome::kTimedOut,    Outcome::kNotRun};

std::string text(const nlohmann::json& json, const char* key) {
  return json.contains(key) && json[key].is_string() ? json[key].get<std::string>() : "";
}

std::vector<std::string> profile_row(const nlohmann::json& profile) {
  std::vector<std::string> row = {profile["name"].get<std::string>(),
                                  profile["verdict"] == "pass" ? "PASS" : "FAIL",
                                  std::to_string(profile["must_pass_satisfied"].get<size_t>()) + "/" +
                                      std::to_string(profile["must_pass_list"]["cases"].get<size_t>())};
  for (Outcome outcome : kColumns) row.push_back(std::to_string(profile["counts"][outcome_name(outcome)].get<size_t>()));
  return row;
}

std::vector<std::string> table_header() {
  std::vector<std::string> header = {"profile", "verdict", "must-pass"};
  for (Outcome outcome : kColumns) header.emplace_back(outcome_name(outcome));
  return header;
}

std::string markdown_row(const std::vector<std::string>& cells) {
  std::string row = "|";
  for (const std::string& cell : cells) row += " " + cell + " |";
  return row + "\n";
}

std::string escape(std::string value) {
  std::string out;
  for (char c : value) {
    if (c == '|') out += "\\|";
    else if (c == '\n') out += ' ';
    else out += c;
  }
  return out;
}

}  // namespace

std::string render_summary(const nlohmann::json& certificate) {
  const nlohmann::json& plugin = certificate["plugin"];
  const nlohmann::json& device = certificate["device"];
  std::string out = "Keel conformance " + text(certificate["suite"], "version") + " (spec " +
                    text(certificate, "spec_version") + "), " + text(certificate["run"], "mode") + " run: plugin " +
                    text(plugin, "name") + " " + text(plugin, "version") + " on " + text(device, "keel_name") + " (" +
                    text(device, "name") + ")\n\n";
  TextTable table(table_header());
  for (const nlohmann::json& profile : certificate["profiles"]) table.add(profile_row(profile));
  out += table.render();
  for (const nlohmann::json& profile : certificate["profiles"]) {
    if (profile["verdict"] != "pass") out += "  " + profile["name"].get<std::string>() + ": " + text(profile, "reason") + "\n";
  }
  out += "\nResult: " + std::string(certificate["summary"]["result"] == "pass" ? "PASS" : "FAIL") + " (" +
         std::to_string(certificate["summary"]["cases"].get<size_t>()) + " cases";
  if (!certificate["run"]["complete"].get<bool>()) out += "; partial run, not a certificate of conformance";
  return out + ")\n";
}

std::string render_markdown(const nlohmann::json& certificate) {
  const nlohmann::json& plugin = certificate["plugin"];
  const nlohmann::json& device = certificate["device"];
  const nlohmann::json& run = certificate["run"];
  std::string out = "# Keel conformance report: " + text(plugin, "name") + " on " + text(device, "keel_name") + "\n\n";
  out += "**Result: " + std::string(certificate["summary"]["result"] == "pass" ? "PASS" : "FAIL") + "**";
  if (!run["complete"].get<bool>()) out += " (partial run: " + text(run, "mode") + " mode" +
                                          (text(run, "filter").empty() ? "" : ", filter `" + text(run, "filter") + "`") +
                                          "; not a certificate of conformance)";
  out += "\n\n| | |\n|---|---|\n";
  out += markdown_row({"Plugin", escape(text(plugin, "name") + " " + text(plugin, "version") + " (ABI " +
                                        text(plugin, "abi_version") + ", negotiated " +
                                        text(plugin, "negotiated_abi_version") + ")")});
  out += markdown_row({"Library", "`" + escape(text(plugin, "path")) + "`"});
  out += markdown_row({"Device", escape(text(device, "name") + " (" + text(device, "vendor") + ", " + text(device, "type") + ")")});
  std::string capabilities;
  for (const nlohmann::json& name : device["capabilities"]) capabilities += (capabilities.empty() ? "" : ", ") + name.get<std::string>();
  out += markdown_row({"Capabilities", capabilities.empty() ? "-" : capabilities});
  out += markdown_row({"Suite", text(certificate["suite"], "version") + " (" + text(certificate["suite"], "git_revision") +
                                    (certificate["suite"]["git_dirty"].get<bool>() ? ", modified" : "") + ")"});
  out += markdown_row({"Operator spec", text(certificate, "spec_version")});
  out += markdown_row({"Started", text(run, "started_utc") + ", " + std::to_string(run["duration_s"].get<double>()) + " s"});
  out += markdown_row({"Command", "`" + escape(text(run, "command")) + "`"});

  out += "\n## Profiles\n\n" + markdown_row(table_header());
  std::string rule = "|";
  for (size_t i = 0; i < table_header().size(); ++i) rule += "---|";
  out += rule + "\n";
  for (const nlohmann::json& profile : certificate["profiles"]) out += markdown_row(profile_row(profile));
  out += "\n";
  for (const nlohmann::json& profile : certificate["profiles"]) {
    out += "- **" + profile["name"].get<std::string>() + "**: " + escape(text(profile, "reason")) + " (list " +
           text(profile["must_pass_list"], "file") + " v" + std::to_string(profile["must_pass_list"]["version"].get<int>()) +
           ", sha256 `" + text(profile["must_pass_list"], "sha256").substr(0, 16) + "…`)\n";
  }

  std::map<std::string, std::vector<const nlohmann::json*>> by_outcome;
  for (const nlohmann::json& entry : certificate["cases"]) {
    if (entry["outcome"] != "pass") by_outcome[entry["outcome"].get<std::string>()].push_back(&entry);
  }
  for (Outcome outcome : kColumns) {
    const auto found = by_outcome.find(outcome_name(outcome));
    if (found == by_outcome.end()) continue;
    out += "\n## " + std::string(outcome_name(outcome)) + " (" + std::to_string(found->second.size()) + ")\n\n";
    out += "| case | profile | reason |\n|---|---|---|\n";
    for (size_t i = 0; i < found->second.size() && i < kListedPerOutcome; ++i) {
      const nlohmann::json& entry = *found->second[i];
      out += markdown_row({"`" + text(entry, "id") + "`", text(entry, "profile"), escape(text(entry, "reason"))});
    }
    if (found->second.size() > kListedPerOutcome) {
      out += "\n…and " + std::to_string(found->second.size() - kListedPerOutcome) + " more (see report.json).\n";
    }
  }
  return out;
}

}  // namespace keel::conform
