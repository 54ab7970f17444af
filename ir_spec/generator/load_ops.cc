#include "load_ops.h"

#include <set>

#include "names.h"
#include "op_loader.h"
#include "yaml_reader.h"

namespace keel::specgen {
namespace {

std::string trim_trailing_space(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

void load_types(const YamlFile& file, const YAML::Node& map, const GlobalSpec& global, OpDef& op) {
  if (!file.expect_map(map, "types of '" + op.name + "'")) return;
  std::set<std::string> names;
  for (const auto& entry : map) {
    TypeVarDef var;
    var.name = scalar_of(entry.first);
    var.where = file.at(entry.first);
    if (!is_identifier(var.name) || global.find_dtype(var.name)) {
      file.error(entry.first, "type variable '" + var.name + "' must be an identifier that is not a dtype name");
      continue;
    }
    if (!names.insert(var.name).second) {
      file.error(entry.first, "duplicate type variable '" + var.name + "'");
      continue;
    }
    const YAML::Node& value = entry.second;
    if (value.IsScalar()) {
      var.set_name = value.Scalar();
      const TypeSetDef* set = global.find_type_set(var.set_name);
      if (set) {
        var.dtypes = set->dtypes;
      } else {  // keep the variable so the tensors using it are not reported too
        file.error(value, "unknown type set '" + var.set_name + "' for type variable '" + var.name + "'");
      }
    } else {
      var.dtypes = file.get_strings(value, "type variable '" + var.name + "'").value_or(std::vector<std::string>{});
      std::set<std::string> seen;
      for (const std::string& d : var.dtypes) {
        if (!global.find_dtype(d)) file.error(value, "unknown dtype '" + d + "' for type variable '" + var.name + "'");
        if (!seen.insert(d).second) file.error(value, "type variable '" + var.name + "' lists '" + d + "' twice");
      }
      if (var.dtypes.empty()) file.error(value, "type variable '" + var.name + "' allows no dtype");
    }
    op.types.push_back(std::move(var));
  }
}

// Resolves a tensor's `type`: a type variable, a fixed dtype, or (outputs only) attr(<dtype attribute>).
void resolve_tensor_type(const YamlFile& file, const YAML::Node& node, const GlobalSpec& global, const OpDef& op,
                         bool is_output, TensorDef& t) {
  if (op.type_var_index(t.type_text) >= 0) {
    t.type_kind = TypeKind::kVar;
    t.type_ref = t.type_text;
    return;
  }
  if (global.find_dtype(t.type_text)) {
    t.type_kind = TypeKind::kFixed;
    t.type_ref = t.type_text;
    return;
  }
  std::string error;
  std::optional<Expr> e = parse_expr(t.type_text, &error);
  if (e && e->is_call() && e->text == "attr" && e->args.size() == 1 && e->args[0].is_name() && e->keys[0].empty()) {
    const AttrDef* attr = op.find_attr(e->args[0].text);
    if (!is_output) {
      file.error(node, "input '" + t.name + "' cannot be typed attr(...); only outputs can");
    } else if (!attr || attr->type != AttrType::kDtype) {
      file.error(node, "type '" + t.type_text + "' of '" + t.name + "' must name a dtype attribute");
    }
    t.type_kind = TypeKind::kAttr;
    t.type_ref = e->args[0].text;
    return;
  }
  file.error(node, "unknown type '" + t.type_text + "' for '" + t.name +
                       "' (expected a type variable, a dtype or attr(<name>))");
}

void load_tensors(const YamlFile& file, const YAML::Node& list, const GlobalSpec& global, bool is_output, OpDef& op) {
  const std::string kind = is_output ? "output" : "input";
  if (!file.expect_sequence(list, kind + "s of '" + op.name + "'")) return;
  std::vector<TensorDef>& out = is_output ? op.outputs : op.inputs;
  for (const YAML::Node& node : list) {
    std::string what = "an " + kind + " of '" + op.name + "'";
    bool keys_ok = is_output ? file.check_keys(node, what, {"name", "type", "shape"}, {"doc", "variadic", "count"})
                             : file.check_keys(node, what, {"name", "type"}, {"doc", "variadic", "optional"});
    if (!keys_ok) continue;
    TensorDef t;
    t.where = file.at(node);
    t.name = file.get_string(node["name"], kind + " name").value_or("");
    t.type_text = file.get_string(node["type"], kind + " type").value_or("");
    if (node["doc"].IsDefined()) t.doc = file.get_string(node["doc"], kind + " doc").value_or("");
    if (node["variadic"].IsDefined()) t.variadic = file.get_bool(node["variadic"], "variadic").value_or(false);
    if (node["optional"].IsDefined()) t.optional = file.get_bool(node["optional"], "optional").value_or(false);
    if (t.optional && t.variadic) file.error(node, kind + " '" + t.name + "' cannot be both optional and variadic");
    if (!is_lower_identifier(t.name) || is_reserved_word(t.name)) {
      file.error(node["name"], kind + " name '" + t.name + "' must match [a-z][a-z0-9_]* and not be a keyword");
    }
    resolve_tensor_type(file, node["type"], global, op, is_output, t);
    if (is_output) {
      t.shape_text = file.get_string(node["shape"], "output shape").value_or("");
      if (std::optional<Expr> e = read_expr(file, node["shape"], "shape of '" + t.name + "'")) t.shape = *e;
      if (node["count"].IsDefined() != t.variadic) {
        file.error(node, "output '" + t.name +
                             "' must have `count:` exactly when it is variadic (the count rule "
                             "gives how many tensors it holds)");
      } else if (t.variadic) {
        t.count_text = file.get_string(node["count"], "output count").value_or("");
        if (std::optional<Expr> e = read_expr(file, node["count"], "count of '" + t.name + "'")) t.count = *e;
      }
    }
    out.push_back(std::move(t));
  }
  for (size_t i = 0; i + 1 < out.size(); ++i) {
    if (out[i].variadic) file.error(out[i].where, "only the last " + kind + " may be variadic");
  }
  if (!is_output && op.has_variadic_input()) {
    for (const TensorDef& t : op.inputs) {
      if (t.optional) file.error(t.where, "an operator with a variadic input cannot have optional inputs");
    }
  }
}

void load_tolerance(const YamlFile& file, const YAML::Node& node, const GlobalSpec& global, OpDef& op) {
  if (!file.expect_map(node, "tolerance")) return;
  ToleranceDef& tol = op.tolerance;
  tol.cls = scalar_of(node["class"]);
  const std::string what = "tolerance of '" + op.name + "'";
  if (tol.cls == "exact") {
    file.check_keys(node, what, {"class"}, {});
  } else if (tol.cls == "ulp") {
    if (!file.check_keys(node, what, {"class", "ulp"}, {}) || !file.expect_map(node["ulp"], "ulp")) return;
    for (const auto& entry : node["ulp"]) {
      std::string dtype = scalar_of(entry.first);
      if (!global.find_dtype(dtype)) file.error(entry.first, "unknown dtype '" + dtype + "' in the ulp table");
      std::optional<double> bound = file.get_number(entry.second, "ulp bound");
      if (bound && *bound < 0.5) file.error(entry.second, "an ulp bound below 0.5 cannot be met");
      tol.ulp.emplace_back(dtype, bound.value_or(0));
    }
  } else if (tol.cls == "accumulation") {
    if (!file.check_keys(node, what, {"class", "c", "k", "magnitude"}, {})) return;
    tol.c = file.get_number(node["c"], "c").value_or(0);
    tol.k = scalar_of(node["k"]);
    tol.magnitude = scalar_of(node["magnitude"]);
    if (tol.k != "reduction_size" && tol.k != "inner_dim" && tol.k != "reduction_size_plus_range" &&
        tol.k != "statistic_size") {
      file.error(node["k"], "k must be reduction_size, inner_dim, reduction_size_plus_range or statistic_size, not '" +
                                tol.k + "'");
    }
    if (tol.magnitude != "op_on_abs" && tol.magnitude != "output" && tol.magnitude != "output_plus_one" &&
        tol.magnitude != "inputs_and_output") {
      file.error(node["magnitude"], "magnitude must be op_on_abs, output, output_plus_one or inputs_and_output, not '" +
                                        tol.magnitude + "'");
    }
  } else {
    file.error(node, "unknown tolerance class '" + tol.cls + "' (expected exact, ulp or accumulation)");
  }
}

void load_onnx(const YamlFile& file, const YAML::Node& list, OpDef& op) {
  if (!file.expect_sequence(list, "onnx")) return;
  for (const YAML::Node& node : list) {
    if (!file.check_keys(node, "an onnx entry", {"op", "since", "until"}, {})) continue;
    OnnxDef o;
    o.op = file.get_string(node["op"], "onnx op").value_or("");
    o.since = static_cast<int>(file.get_int(node["since"], "since").value_or(0));
    o.until = static_cast<int>(file.get_int(node["until"], "until").value_or(0));
    if (!is_identifier(o.op)) file.error(node["op"], "onnx op '" + o.op + "' is not an identifier");
    if (o.since < 1 || o.until < o.since) file.error(node, "onnx opset range must satisfy 1 <= since <= until");
    op.onnx.push_back(std::move(o));
  }
}

// Every type variable is used by a tensor or by a dtype attribute's `of`, and every output typed by a
// variable gets its dtype from an input bound to it.
void check_type_usage(const YamlFile& file, const OpDef& op) {
  for (const TypeVarDef& var : op.types) {
    bool used = false;
    for (const TensorDef& t : op.inputs) used = used || (t.type_kind == TypeKind::kVar && t.type_ref == var.name);
    for (const TensorDef& t : op.outputs) used = used || (t.type_kind == TypeKind::kVar && t.type_ref == var.name);
    for (const AttrDef& a : op.attrs) used = used || a.of == var.name;
    if (!used) file.error(var.where, "type variable '" + var.name + "' of '" + op.name + "' is not used");
  }
  for (const TensorDef& out : op.outputs) {
    if (out.type_kind != TypeKind::kVar) continue;
    bool bound = false;
    for (const TensorDef& in : op.inputs)
      bound = bound || (in.type_kind == TypeKind::kVar && in.type_ref == out.type_ref);
    if (!bound) {
      file.error(out.where, "output '" + out.name + "' has type variable '" + out.type_ref +
                                "', which no input binds (use attr(<dtype attribute>))");
    }
  }
}

// Inputs, outputs and attributes share one namespace: formulas refer to them by name.
void check_unique_names(const YamlFile& file, const OpDef& op) {
  std::set<std::string> names;
  auto add = [&](const std::string& name, const Location& where) {
    if (name.empty()) return;
    if (name == "grad" || name.rfind("grad_", 0) == 0) {
      file.error(where, "'" + name + "' is reserved: grad and grad_<output> are cotangents in gradient formulas");
    }
    if (!names.insert(name).second)
      file.error(where, "'" + name + "' names two inputs, outputs or attributes of '" + op.name + "'");
  };
  for (const TensorDef& t : op.inputs) add(t.name, t.where);
  for (const TensorDef& t : op.outputs) add(t.name, t.where);
  for (const AttrDef& a : op.attrs) add(a.name, a.where);
}

void load_op(const YamlFile& file, const YAML::Node& node, const GlobalSpec& global, const std::string& group,
             OpDef& op) {
  op.where = file.at(node);
  op.group = group;
  op.name = scalar_of(node["name"]);
  if (!file.check_keys(node, "operator '" + op.name + "'",
                       {"name", "version", "summary", "semantics", "inputs", "outputs", "types", "tolerance",
                        "deterministic", "onnx", "gradient", "samples"},
                       {"attributes", "constraints", "decomposition"})) {
    return;
  }
  if (!is_lower_identifier(op.name))
    file.error(node["name"], "operator name '" + op.name + "' must match [a-z][a-z0-9_]*");
  std::optional<int64_t> version = file.get_int(node["version"], "version");
  if (version && *version < 1) file.error(node["version"], "version must be 1 or more");
  op.version = static_cast<int>(version.value_or(0));
  op.summary = trim_trailing_space(file.get_string(node["summary"], "summary").value_or(""));
  op.semantics = trim_trailing_space(file.get_string(node["semantics"], "semantics").value_or(""));
  op.deterministic = file.get_bool(node["deterministic"], "deterministic").value_or(true);
  if (op.summary.find('\n') != std::string::npos) file.error(node["summary"], "summary must be one line");

  load_types(file, node["types"], global, op);
  // Attributes before tensors: an output typed attr(<name>) refers to one.
  if (node["attributes"].IsDefined()) load_attributes(file, node["attributes"], global, op);
  load_tensors(file, node["inputs"], global, /*is_output=*/false, op);
  load_tensors(file, node["outputs"], global, /*is_output=*/true, op);
  if (node["outputs"].IsSequence() && node["outputs"].size() == 0) {
    file.error(node["outputs"], "operator '" + op.name + "' has no outputs");
  }
  check_type_usage(file, op);
  check_unique_names(file, op);
  if (node["constraints"].IsDefined()) load_constraints(file, node["constraints"], global, op);
  load_tolerance(file, node["tolerance"], global, op);
  load_onnx(file, node["onnx"], op);
  load_gradient(file, node["gradient"], global, op);
  if (node["decomposition"].IsDefined()) load_decomposition(file, node["decomposition"], op);
  load_samples(file, node["samples"], global, op);
}

}  // namespace

std::optional<Expr> read_expr(const YamlFile& file, const YAML::Node& node, const std::string& what) {
  if (!node.IsDefined() || !node.IsScalar()) {
    file.error(node, what + " must be an expression string");
    return std::nullopt;
  }
  std::string error;
  std::optional<Expr> e = parse_expr(node.Scalar(), &error);
  if (!e) file.error(node, what + " '" + node.Scalar() + "' does not parse: " + error);
  return e;
}

bool load_op_group(const std::string& path, const GlobalSpec& global, Diagnostics& diag, GroupDef& out) {
  size_t errors_before = diag.error_count();
  YamlFile file(path, diag);
  if (!file.load()) return false;
  const YAML::Node& root = file.root();
  if (!file.check_keys(root, "an operator file", {"group", "title", "ops"}, {})) return false;
  out.file = path;
  out.name = file.get_string(root["group"], "group").value_or("");
  out.title = file.get_string(root["title"], "title").value_or("");
  if (!is_lower_identifier(out.name))
    file.error(root["group"], "group name '" + out.name + "' must match [a-z][a-z0-9_]*");
  if (!file.expect_sequence(root["ops"], "ops")) return false;
  for (const YAML::Node& node : root["ops"]) {
    OpDef op;
    load_op(file, node, global, out.name, op);
    out.ops.push_back(std::move(op));
  }
  if (out.ops.empty()) file.error(root["ops"], "the group has no operators");
  return diag.error_count() == errors_before;
}

}  // namespace keel::specgen
