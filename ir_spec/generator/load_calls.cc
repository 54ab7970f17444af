// Calls written in the spec: the inputs and attributes of negative examples and samples.
#include <set>

#include "names.h"
#include "op_loader.h"
#include "spec_limits.h"

namespace keel::specgen {
namespace {

// "f32[2,3]" → dtype f32, dims {2, 3}; "f32[]" is 0-D; "[2,3]" leaves the dtype free (when allowed); "none"
// is an absent optional input.
std::optional<ExampleTensor> parse_tensor_text(const YamlFile& file, const YAML::Node& node, const GlobalSpec& global,
                                               bool dtype_optional) {
  ExampleTensor t;
  t.text = scalar_of(node);
  if (t.text == "none") {
    t.absent = true;
    return t;
  }
  const auto malformed = [&] {
    file.error(node, "tensor '" + t.text + "' must be written " + (dtype_optional ? "[d0,d1,...] or " : "") +
                         "dtype[d0,d1,...] with non-negative integer dims, or none");
    return std::nullopt;
  };
  const size_t open = t.text.find('[');
  if (open == std::string::npos || t.text.back() != ']') return malformed();  // an empty text has no '['
  t.dtype = t.text.substr(0, open);
  if (t.dtype.empty() ? !dtype_optional : !is_lower_identifier(t.dtype)) return malformed();
  if (!t.dtype.empty() && !global.find_dtype(t.dtype)) {
    file.error(node, "tensor '" + t.text + "' has unknown dtype '" + t.dtype + "'");
    return std::nullopt;
  }
  const std::string dims = t.text.substr(open + 1, t.text.size() - open - 2);
  if (dims.find_first_not_of(" ") != std::string::npos) {
    for (size_t start = 0; start <= dims.size();) {
      size_t comma = dims.find(',', start);
      if (comma == std::string::npos) comma = dims.size();
      std::string dim = dims.substr(start, comma - start);
      dim.erase(0, dim.find_first_not_of(' '));
      dim.erase(dim.find_last_not_of(' ') + 1);
      if (!is_digits(dim)) return malformed();
      std::optional<int64_t> d = parse_int(dim);
      if (!d) {
        file.error(node, "tensor '" + t.text + "' has a dimension that does not fit in 64 bits");
        return std::nullopt;
      }
      t.dims.push_back(*d);
      start = comma + 1;
    }
  }
  if (t.dims.size() > kMaxRank) {
    file.error(node, "tensor '" + t.text + "' has rank above " + std::to_string(kMaxRank));
    return std::nullopt;
  }
  return t;
}

// The declared input a call position belongs to (the variadic tail repeats the last one).
const TensorDef& input_at(const OpDef& op, size_t position) {
  return op.inputs[std::min(position, op.inputs.size() - 1)];
}

}  // namespace

std::optional<ExampleDef> load_call(const YamlFile& file, const YAML::Node& node, const GlobalSpec& global,
                                    const OpDef& op, const std::string& what, bool dtype_optional) {
  ExampleDef ex;
  ex.where = file.at(node);
  bool ok = true;
  if (node["inputs"].IsDefined()) {
    if (!file.expect_sequence(node["inputs"], "inputs of " + what)) return std::nullopt;
    for (const YAML::Node& item : node["inputs"]) {
      std::optional<ExampleTensor> t = parse_tensor_text(file, item, global, dtype_optional);
      ok = ok && t.has_value();
      if (!t) continue;
      size_t position = ex.inputs.size();
      if (t->absent && (op.inputs.empty() || !input_at(op, position).optional)) {
        file.error(item, what + " passes none for input " + std::to_string(position + 1) + ", which is not optional");
        ok = false;
      }
      ex.inputs.push_back(std::move(*t));
    }
  }
  size_t declared = op.inputs.size();
  size_t given = node["inputs"].IsDefined() ? node["inputs"].size() : 0;
  bool count_ok = op.has_variadic_input() ? given >= declared : given == declared;
  if (!count_ok) {
    file.error(node, what + " has " + std::to_string(given) + " inputs; '" + op.name + "' takes " +
                         (op.has_variadic_input() ? "at least " : "") + std::to_string(declared));
    ok = false;
  }
  std::set<std::string> given_attrs;
  if (node["attrs"].IsDefined()) {
    if (!file.expect_map(node["attrs"], "attrs of " + what)) return std::nullopt;
    for (const auto& entry : node["attrs"]) {
      std::string name = scalar_of(entry.first);
      const AttrDef* attr = op.find_attr(name);
      if (!attr) {
        file.error(entry.first, what + " sets unknown attribute '" + name + "'");
        ok = false;
        continue;
      }
      if (!given_attrs.insert(name).second) {
        file.error(entry.first, what + " sets attribute '" + name + "' twice");
        ok = false;
        continue;
      }
      std::optional<AttrValue> value =
          read_attr_value(file, entry.second, *attr, global, "attribute '" + name + "' in " + what);
      ok = ok && value.has_value();
      if (value) ex.attrs.push_back({name, std::move(*value)});
    }
  }
  for (const AttrDef& attr : op.attrs) {
    if (attr.required && !given_attrs.count(attr.name)) {
      file.error(node, what + " must set the required attribute '" + attr.name + "'");
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return ex;
}

}  // namespace keel::specgen
