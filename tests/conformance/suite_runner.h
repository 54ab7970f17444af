// Running `keel conform` from tests: a scratch directory per run, the command's exit code and output, the
// streamed results and the certificate; the fault-injection plugin's configuration; and expectations drawn
// from the case catalog.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/case.h"

namespace keel::conform::test {

struct SuiteRun {
  int exit_code = -1;
  std::string output;                          // stdout and stderr
  std::string out_dir;
  std::map<std::string, nlohmann::json> lines; // results.jsonl by case id
  nlohmann::json report;                       // report.json (null when missing)
  std::string outcome(const std::string& id) const;  // "" when the case did not run
};

// Runs `keel conform <args> --out <scratch>/<name>` (plus the fault-injection config when not empty).
SuiteRun run_suite(const std::string& name, const std::vector<std::string>& args, const std::string& faulty_config = "");

// Runs any keel command line; returns the exit code and fills *output.
int run_keel(const std::vector<std::string>& args, std::string* output, const std::string& environment = "");

// Writes a fault-injection config (the backend line first, then `faults`) and returns its path.
std::string faulty_config(const std::string& name, const std::vector<std::string>& faults);

// The catalog's operator cases that satisfy `select`.
std::set<std::string> catalog_ids(const std::function<bool(const CaseSpec&)>& select);
bool has_elements(const CaseSpec& spec);  // some output of the call has an element

// Asserts (GoogleTest) that `run` differs from `baseline` in exactly the cases of `expected`, which end in
// `outcome` and passed in the baseline, and that both ran the same cases.
void expect_exactly(const SuiteRun& run, const SuiteRun& baseline, const std::set<std::string>& expected,
                    const std::string& outcome);

std::string scratch_path(const std::string& name);

// Whether any composite operator's decomposition calls `op` (the core lowers composites a plugin lacks
// into such calls, so a fault in `op` would also reach them).
bool used_by_decompositions(const std::string& op);

// Whether computing `name` or its derivatives (the spec's VJP/JVP formulas, or those of the operators of its
// decomposition when it is differentiated through it) may run a kernel of `op`.
bool derivatives_reach(const std::string& name, const std::string& op);

}  // namespace keel::conform::test
