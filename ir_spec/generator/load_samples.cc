// samples: valid calls for numeric tests and conformance, each with optional data domains per input.
#include <algorithm>
#include <map>
#include <set>

#include "op_loader.h"

namespace keel::specgen {
namespace {

// "[2,3], f32[3]; axis=-1; x: positive": the sample in one line, for reports.
std::string sample_text(const SampleDef& s) {
  std::string text;
  for (const ExampleTensor& t : s.call.inputs) text += (text.empty() ? "" : ", ") + t.text;
  std::string attrs;
  for (const ExampleAttr& a : s.call.attrs) attrs += (attrs.empty() ? "" : ", ") + a.name + "=" + a.value.text;
  std::string domains;
  for (const SampleDomain& d : s.domains) domains += (domains.empty() ? "" : ", ") + d.input + ": " + d.text;
  if (!attrs.empty()) text += (text.empty() ? "" : "; ") + attrs;
  if (!domains.empty()) text += (text.empty() ? "" : "; ") + domains;
  return text.empty() ? "(defaults)" : text;
}

// A pinned dtype must be one the input allows, and the pinned inputs of one type variable must agree.
bool check_pinned_dtypes(const YamlFile& file, const YAML::Node& node, const OpDef& op, const ExampleDef& call,
                         const std::string& what) {
  bool ok = true;
  std::map<std::string, std::string> bound;  // type variable → the first pinned dtype
  for (size_t i = 0; i < call.inputs.size(); ++i) {
    const ExampleTensor& t = call.inputs[i];
    const TensorDef& decl = op.inputs[std::min(i, op.inputs.size() - 1)];
    if (t.dtype.empty()) continue;
    if (decl.type_kind == TypeKind::kFixed && t.dtype != decl.type_ref) {
      file.error(node, what + " pins input '" + decl.name + "' to " + t.dtype + "; it is always " + decl.type_ref);
      ok = false;
    }
    if (decl.type_kind != TypeKind::kVar) continue;
    const TypeVarDef& var = op.types[static_cast<size_t>(op.type_var_index(decl.type_ref))];
    if (std::find(var.dtypes.begin(), var.dtypes.end(), t.dtype) == var.dtypes.end()) {
      file.error(node,
                 what + " pins input '" + decl.name + "' to " + t.dtype + ", which " + var.name + " does not allow");
      ok = false;
    }
    auto [it, fresh] = bound.emplace(var.name, t.dtype);
    if (!fresh && it->second != t.dtype) {
      file.error(node, what + " pins two inputs bound to " + var.name + " to " + it->second + " and " + t.dtype);
      ok = false;
    }
  }
  return ok;
}

std::vector<SampleDomain> load_domains(const YamlFile& file, const YAML::Node& map, const OpDef& op,
                                       const std::string& what) {
  std::vector<SampleDomain> out;
  if (!file.expect_map(map, "domains of " + what)) return out;
  std::set<std::string> seen;
  for (const auto& entry : map) {
    SampleDomain d;
    d.input = scalar_of(entry.first);
    d.where = file.at(entry.second);
    if (op.input_index(d.input) < 0) {
      file.error(entry.first, what + " gives a domain to '" + d.input + "', which is not an input");
      continue;
    }
    if (!seen.insert(d.input).second) {
      file.error(entry.first, what + " gives input '" + d.input + "' two domains");
      continue;
    }
    d.text = scalar_of(entry.second);
    std::optional<Expr> e = read_expr(file, entry.second, "domain of '" + d.input + "' in " + what);
    if (!e) continue;
    if (!e->is_call() && !e->is_name()) {
      file.error(entry.second,
                 "domain of '" + d.input + "' in " + what + " must be a name or a call, not '" + d.text + "'");
      continue;
    }
    d.call = *e;
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace

void load_samples(const YamlFile& file, const YAML::Node& list, const GlobalSpec& global, OpDef& op) {
  if (!file.expect_sequence(list, "samples of '" + op.name + "'")) return;
  size_t index = 0;
  for (const YAML::Node& node : list) {
    const std::string what = "sample " + std::to_string(++index) + " of '" + op.name + "'";
    if (!file.check_keys(node, what, {}, {"inputs", "attrs", "domains"})) continue;
    std::optional<ExampleDef> call = load_call(file, node, global, op, what, /*dtype_optional=*/true);
    if (!call || !check_pinned_dtypes(file, node, op, *call, what)) continue;
    SampleDef s;
    s.call = std::move(*call);
    if (node["domains"].IsDefined()) s.domains = load_domains(file, node["domains"], op, what);
    s.text = sample_text(s);
    op.samples.push_back(std::move(s));
  }
  if (op.samples.empty()) file.error(list, "'" + op.name + "' lists no samples");
}

}  // namespace keel::specgen
