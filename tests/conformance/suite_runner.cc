#include "suite_runner.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "model/catalog.h"

namespace keel::conform::test {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

std::string quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::string scratch_path(const std::string& name) { return std::string(KEEL_CONFORMANCE_SCRATCH) + "/" + name; }

std::string SuiteRun::outcome(const std::string& id) const {
  const auto found = lines.find(id);
  return found == lines.end() ? "" : found->second.value("outcome", "");
}

int run_keel(const std::vector<std::string>& args, std::string* output, const std::string& environment) {
  std::filesystem::create_directories(KEEL_CONFORMANCE_SCRATCH);
  const std::string log = scratch_path("command-" + std::to_string(::getpid()) + ".log");
  std::string command = environment.empty() ? "" : "env " + environment + " ";
  command += quoted(KEEL_CLI_PATH);
  for (const std::string& arg : args) command += " " + quoted(arg);
  command += " > " + quoted(log) + " 2>&1";
  const int status = std::system(command.c_str());
  *output = read_file(log);
  std::filesystem::remove(log);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

SuiteRun run_suite(const std::string& name, const std::vector<std::string>& args, const std::string& faulty_config) {
  SuiteRun run;
  run.out_dir = scratch_path(name);
  std::filesystem::remove_all(run.out_dir);
  std::vector<std::string> full = {"conform"};
  full.insert(full.end(), args.begin(), args.end());
  full.insert(full.end(), {"--reference", KEEL_REFERENCE_PLUGIN, "--out", run.out_dir, "--no-progress"});
  run.exit_code = run_keel(full, &run.output, faulty_config.empty() ? "" : "KEEL_FAULTY_CONFIG=" + quoted(faulty_config));
  std::istringstream stream(read_file(run.out_dir + "/results.jsonl"));
  for (std::string line; std::getline(stream, line);) {
    nlohmann::json json = nlohmann::json::parse(line, nullptr, false);
    if (json.is_object() && json.contains("id")) run.lines[json["id"].get<std::string>()] = json;
  }
  const std::string report = read_file(run.out_dir + "/report.json");
  run.report = report.empty() ? nlohmann::json() : nlohmann::json::parse(report, nullptr, false);
  return run;
}

std::string faulty_config(const std::string& name, const std::vector<std::string>& faults) {
  std::filesystem::create_directories(KEEL_CONFORMANCE_SCRATCH);
  const std::string path = scratch_path(name + ".faults");
  std::ofstream file(path, std::ios::trunc);
  file << "backend " << KEEL_REFERENCE_PLUGIN << "\n";
  for (const std::string& fault : faults) file << fault << "\n";
  return path;
}

bool has_elements(const CaseSpec& spec) {
  if (!spec.call) return false;
  for (const spec::TensorMeta& meta : spec.call->outputs) {
    if (meta.element_count() > 0) return true;
  }
  return false;
}

std::set<std::string> catalog_ids(const std::function<bool(const CaseSpec&)>& select) {
  std::set<std::string> ids;
  for (const CaseSpec& spec : all_cases()) {
    if (select(spec)) ids.insert(spec.id);
  }
  return ids;
}

void expect_exactly(const SuiteRun& run, const SuiteRun& baseline, const std::set<std::string>& expected,
                    const std::string& outcome) {
  ASSERT_FALSE(baseline.lines.empty()) << baseline.output;
  EXPECT_EQ(run.lines.size(), baseline.lines.size()) << "the runs differ in how many cases have a result\n" << run.output;
  size_t seen = 0;
  for (const auto& [id, line] : baseline.lines) {
    const std::string got = run.outcome(id);
    const std::string before = line.value("outcome", "");
    if (expected.count(id)) {
      ++seen;
      EXPECT_EQ(before, "pass") << id << " must pass without the fault, or this test proves nothing";
      EXPECT_EQ(got, outcome) << id << ": "
                              << (run.lines.count(id) ? run.lines.at(id).dump() : std::string("no result"));
    } else {
      EXPECT_EQ(got, before) << id << " changed although no fault targets it: "
                             << (run.lines.count(id) ? run.lines.at(id).dump() : std::string("no result"));
    }
  }
  if (!expected.empty()) {
    EXPECT_GT(seen, 0u) << "no case of the expected set ran";
  }
}

namespace {

bool calls(const spec::ExprNode* node, const std::string& op) {
  if (node == nullptr) return false;
  if (node->kind == spec::ExprKind::kOpCall && op == node->text) return true;
  for (uint32_t i = 0; i < node->arg_count; ++i) {
    if (calls(&node->args[i], op)) return true;
  }
  return false;
}

}  // namespace

namespace {

bool any_calls(const spec::Formula* formulas, size_t count, const std::function<bool(const std::string&)>& reaches);

// Every operator an expression calls, and whether one of them satisfies `reaches`.
bool calls_any(const spec::ExprNode* node, const std::function<bool(const std::string&)>& reaches) {
  if (node == nullptr) return false;
  if (node->kind == spec::ExprKind::kOpCall && reaches(node->text)) return true;
  for (uint32_t i = 0; i < node->arg_count; ++i) {
    if (calls_any(&node->args[i], reaches)) return true;
  }
  return false;
}

bool any_calls(const spec::Formula* formulas, size_t count, const std::function<bool(const std::string&)>& reaches) {
  for (size_t i = 0; i < count; ++i) {
    if (calls_any(formulas[i].expr, reaches)) return true;
  }
  return false;
}

// Whether evaluating `name` may run a kernel of `op`: it is `op`, or a composite whose decomposition does.
bool evaluation_reaches(const std::string& name, const std::string& op) {
  if (name == op) return true;
  const spec::OpSchema* schema = spec::find_op(name.c_str());
  if (schema == nullptr) return false;
  const spec::DecompositionSchema& d = schema->decomposition;
  const auto reaches = [&op](const std::string& callee) { return evaluation_reaches(callee, op); };
  return any_calls(d.let, d.let_count, reaches) || any_calls(d.outputs, d.output_count, reaches);
}

}  // namespace

bool derivatives_reach(const std::string& name, const std::string& op) {
  if (evaluation_reaches(name, op)) return true;
  const spec::OpSchema* schema = spec::find_op(name.c_str());
  if (schema == nullptr) return false;
  const spec::GradientSchema& g = schema->gradient;
  const auto evaluates = [&op](const std::string& callee) { return evaluation_reaches(callee, op); };
  if (any_calls(g.let, g.let_count, evaluates) || any_calls(g.vjp, g.vjp_count, evaluates) ||
      any_calls(g.jvp, g.jvp_count, evaluates)) {
    return true;
  }
  // An operator differentiated through its decomposition: the derivatives of the operators it calls.
  const spec::DecompositionSchema& d = schema->decomposition;
  if (g.vjp_count != 0 || d.output_count == 0) return false;
  const auto differentiates = [&op](const std::string& callee) { return derivatives_reach(callee, op); };
  return any_calls(d.let, d.let_count, differentiates) || any_calls(d.outputs, d.output_count, differentiates);
}

bool used_by_decompositions(const std::string& op) {
  for (const spec::OpSchema& schema : spec::all_ops()) {
    const spec::DecompositionSchema& decomposition = schema.decomposition;
    for (size_t i = 0; i < decomposition.let_count; ++i) {
      if (calls(decomposition.let[i].expr, op)) return true;
    }
    for (size_t i = 0; i < decomposition.output_count; ++i) {
      if (calls(decomposition.outputs[i].expr, op)) return true;
    }
  }
  return false;
}

}  // namespace keel::conform::test
