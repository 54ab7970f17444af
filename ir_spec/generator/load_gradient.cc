// gradient: {none: why} or {let, requires, vjp, jvp}, and decomposition: {let, <output>: formula}. Formulas
// are parsed here; check_spec() resolves the names and calls in them.
#include <set>

#include "names.h"
#include "op_loader.h"

namespace keel::specgen {
namespace {

// Reads a mapping of name → formula. `allow_none` accepts the word `none` (a non-differentiable input or
// output).
// Entries named `skip` are left to the caller.
std::vector<FormulaDef> load_formulas(const YamlFile& file, const YAML::Node& map, const std::string& what,
                                      bool allow_none, const std::string& skip = "") {
  std::vector<FormulaDef> out;
  if (!file.expect_map(map, what)) return out;
  std::set<std::string> names;
  for (const auto& entry : map) {
    FormulaDef f;
    f.name = scalar_of(entry.first);
    if (!skip.empty() && f.name == skip) continue;
    f.where = file.at(entry.second);
    if (!names.insert(f.name).second) {
      file.error(entry.first, "duplicate entry '" + f.name + "' in " + what);
      continue;
    }
    f.text = scalar_of(entry.second);
    if (!(allow_none && f.text == "none"))
      f.expr = read_expr(file, entry.second, what + " formula for '" + f.name + "'");
    out.push_back(std::move(f));
  }
  return out;
}

// The formulas of `list` name exactly the tensors of `tensors`.
void check_covers(const YamlFile& file, const YAML::Node& node, const std::vector<FormulaDef>& list,
                  const std::vector<TensorDef>& tensors, const std::string& what, const std::string& kind) {
  for (const FormulaDef& f : list) {
    bool known = false;
    for (const TensorDef& t : tensors) known = known || t.name == f.name;
    if (!known) file.error(f.where, what + " has a formula for '" + f.name + "', which is not an " + kind);
  }
  for (const TensorDef& t : tensors) {
    bool covered = false;
    for (const FormulaDef& f : list) covered = covered || f.name == t.name;
    if (!covered) file.error(node, what + " is missing the " + kind + " '" + t.name + "'");
  }
}

}  // namespace

void load_gradient(const YamlFile& file, const YAML::Node& node, const GlobalSpec& global, OpDef& op) {
  GradientDef& g = op.gradient;
  g.where = file.at(node);
  const std::string what = "gradient of '" + op.name + "'";
  if (!file.expect_map(node, what)) return;
  if (node["none"].IsDefined()) {
    if (!file.check_keys(node, what, {"none"}, {})) return;
    g.differentiable = false;
    g.none_reason = file.get_string(node["none"], "none").value_or("");
    return;
  }
  if (!file.check_keys(node, what, {"vjp", "jvp"}, {"let", "requires"})) return;
  g.differentiable = true;
  if (node["let"].IsDefined()) {
    g.let = load_formulas(file, node["let"], "let of '" + op.name + "'", /*allow_none=*/false);
    for (const FormulaDef& f : g.let) {
      if (!is_identifier(f.name)) file.error(f.where, "let name '" + f.name + "' is not an identifier");
      if (op.input_index(f.name) >= 0 || op.output_index(f.name) >= 0 || op.find_attr(f.name) || f.name == "grad") {
        file.error(f.where, "let name '" + f.name + "' hides an input, output, attribute or grad");
      }
    }
  }
  if (node["requires"].IsDefined() && file.expect_map(node["requires"], "requires")) {
    const YAML::Node& req = node["requires"];
    for (const auto& entry : req) {
      std::string name = scalar_of(entry.first);
      const AttrDef* attr = op.find_attr(name);
      if (!attr) {
        file.error(entry.first, "requires names unknown attribute '" + name + "'");
        continue;
      }
      std::optional<AttrValue> value =
          read_attr_value(file, entry.second, *attr, global, "requires value of '" + name + "'");
      if (value) g.requires_attrs.emplace_back(name, value->text);
    }
  }
  g.vjp = load_formulas(file, node["vjp"], "vjp of '" + op.name + "'", /*allow_none=*/true);
  g.jvp = load_formulas(file, node["jvp"], "jvp of '" + op.name + "'", /*allow_none=*/true);
  check_covers(file, node["vjp"], g.vjp, op.inputs, "vjp of '" + op.name + "'", "input");
  check_covers(file, node["jvp"], g.jvp, op.outputs, "jvp of '" + op.name + "'", "output");
}

void load_decomposition(const YamlFile& file, const YAML::Node& node, OpDef& op) {
  DecompositionDef& d = op.decomposition;
  d.where = file.at(node);
  const std::string what = "decomposition of '" + op.name + "'";
  if (!file.expect_map(node, what)) return;
  if (node["let"].IsDefined()) d.let = load_formulas(file, node["let"], "let of the " + what, /*allow_none=*/false);
  for (const FormulaDef& f : d.let) {
    if (!is_identifier(f.name)) file.error(f.where, "let name '" + f.name + "' is not an identifier");
    if (op.input_index(f.name) >= 0 || op.output_index(f.name) >= 0 || op.find_attr(f.name)) {
      file.error(f.where, "let name '" + f.name + "' hides an input, output or attribute");
    }
  }
  d.outputs = load_formulas(file, node, what, /*allow_none=*/false, /*skip=*/"let");
  check_covers(file, node, d.outputs, op.outputs, what, "output");
}

}  // namespace keel::specgen
