#include "model/catalog.h"

#include <stdexcept>
#include <unordered_map>

#include "layers/abi/abi_cases.h"
#include "layers/autograd/autograd_layer.h"
#include "layers/graph/graph_layer.h"
#include "layers/ops/determinism_cases.h"
#include "layers/ops/negative_cases.h"
#include "layers/ops/numeric_cases.h"
#include "layers/runtime/memory_cases.h"
#include "layers/runtime/runtime_cases.h"
#include "layers/runtime/stress_cases.h"

namespace keel::conform {
namespace {

std::vector<CaseSpec> build_catalog() {
  std::vector<CaseSpec> cases;
  add_abi_cases(cases);
  add_memory_cases(cases);
  add_runtime_cases(cases);
  add_stress_cases(cases);
  add_numeric_cases(cases);
  add_negative_cases(cases);
  add_determinism_cases(cases);
  add_graph_cases(cases);
  add_autograd_cases(cases);
  std::unordered_map<std::string_view, size_t> seen;
  for (size_t i = 0; i < cases.size(); ++i) {
    if (!seen.emplace(cases[i].id, i).second) throw std::logic_error("duplicate conformance case id " + cases[i].id);
    if (cases[i].group.empty()) cases[i].group = cases[i].id;
  }
  return cases;
}

}  // namespace

const std::vector<CaseSpec>& all_cases() {
  static const std::vector<CaseSpec> kCases = build_catalog();
  return kCases;
}

const CaseSpec* find_case(std::string_view id) {
  static const std::unordered_map<std::string_view, const CaseSpec*> kById = [] {
    std::unordered_map<std::string_view, const CaseSpec*> by_id;
    for (const CaseSpec& spec : all_cases()) by_id.emplace(spec.id, &spec);
    return by_id;
  }();
  const auto it = kById.find(id);
  return it == kById.end() ? nullptr : it->second;
}

}  // namespace keel::conform
