// The JSON form of a graph (ir_spec/graph_ir.md). Values are referenced by name.
#include <cmath>
#include <limits>

#include <nlohmann/json.hpp>

#include "graph/ir/errors.h"
#include "graph/serialize/encoding.h"
#include "graph/serialize/graph_file.h"
#include "graph/validate/validator.h"

namespace keel::graph {
namespace {

using Json = nlohmann::ordered_json;

// ---- Writing --------------------------------------------------------------------------------------------

Json number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return v;
}

Json write_attr(const Graph& graph, const AttrValue& a) {
  switch (a.kind) {
    case AttrValue::Kind::kInt: return Json{{"int", a.i}};
    case AttrValue::Kind::kFloat: return Json{{"float", number(a.f)}};
    case AttrValue::Kind::kBool: return Json{{"bool", a.i != 0}};
    case AttrValue::Kind::kInts: return Json{{"ints", a.ints}};
    case AttrValue::Kind::kFloats: {
      Json list = Json::array();
      for (double v : a.floats) list.push_back(number(v));
      return Json{{"floats", list}};
    }
    case AttrValue::Kind::kDtype: return Json{{"dtype", dtype_text(a.dtype)}};
    case AttrValue::Kind::kEnum: return Json{{"enum", a.text}};
    case AttrValue::Kind::kValueRef: {
      Json j{{"value", graph.valid_value(a.ref) ? graph.value(a.ref).name : std::string()}};
      if (a.element >= 0) j["element"] = a.element;
      return j;
    }
  }
  return Json();
}

Json write_attrs(const Graph& graph, const AttrMap& attrs) {
  Json j = Json::object();
  for (const auto& [name, a] : attrs) j[name] = write_attr(graph, a);
  return j;
}

Json write_value(const Value& v) {
  Json j{{"name", v.name}};
  if (v.type.known()) j["dtype"] = dtype_text(v.type.dtype);
  if (v.type.rank_known) {
    Json dims = Json::array();
    for (const Dim& d : v.type.dims) {
      if (d.is_static()) {
        dims.push_back(d.value);
      } else if (!d.symbol.empty()) {
        dims.push_back(d.symbol);
      } else {
        dims.push_back(nullptr);
      }
    }
    j["shape"] = dims;
  }
  if (v.is_constant()) j["data"] = base64_encode(v.constant->bytes());
  return j;
}

Json names(const Graph& graph, const std::vector<ValueId>& ids) {
  Json list = Json::array();
  for (ValueId id : ids) list.push_back(id == kNoValue || !graph.valid_value(id) ? std::string() : graph.value(id).name);
  return list;
}

Json write_node(const Graph& graph, const Node& node) {
  Json j{{"name", node.name}, {"op", node.op}, {"version", node.version}};
  j["inputs"] = names(graph, node.inputs);
  j["outputs"] = names(graph, node.outputs);
  if (!node.attrs.empty()) j["attrs"] = write_attrs(graph, node.attrs);
  if (!node.device.empty()) j["device"] = node.device;
  if (!node.body.empty()) {
    Json body = Json::array();
    for (const FusedStep& step : node.body) {
      Json s{{"op", step.op}, {"inputs", step.inputs}};
      if (!step.attrs.empty()) s["attrs"] = write_attrs(graph, step.attrs);
      if (step.dtype != KEEL_DTYPE_INVALID) s["dtype"] = dtype_text(step.dtype);
      body.push_back(s);
    }
    j["body"] = body;
  }
  return j;
}

// ---- Reading --------------------------------------------------------------------------------------------

[[noreturn]] void bad(const std::string& where, const std::string& what) {
  fail_invalid("graph JSON: " + where + ": " + what);
}

const Json& field(const Json& object, const char* key, const std::string& where) {
  if (!object.is_object()) bad(where, "expected an object");
  auto it = object.find(key);
  if (it == object.end()) bad(where, std::string("missing \"") + key + "\"");
  return *it;
}

std::string text_of(const Json& j, const std::string& where) {
  if (!j.is_string()) bad(where, "expected a string");
  return j.get<std::string>();
}

int64_t int_of(const Json& j, const std::string& where) {
  if (!j.is_number_integer()) bad(where, "expected an integer");
  if (j.is_number_unsigned() && j.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    bad(where, "integer out of range");
  }
  return j.get<int64_t>();
}

double float_of(const Json& j, const std::string& where) {
  if (j.is_number()) return j.get<double>();
  if (j.is_string()) {
    const std::string s = j.get<std::string>();
    if (s == "nan") return std::numeric_limits<double>::quiet_NaN();
    if (s == "inf") return std::numeric_limits<double>::infinity();
    if (s == "-inf") return -std::numeric_limits<double>::infinity();
  }
  bad(where, "expected a number (or \"nan\", \"inf\", \"-inf\")");
}

const Json& array_of(const Json& j, const std::string& where) {
  if (!j.is_array()) bad(where, "expected an array");
  return j;
}

keel_dtype_t dtype_of(const Json& j, const std::string& where) {
  const std::string name = text_of(j, where);
  const keel_dtype_t dtype = dtype_from_text(name);
  if (dtype == KEEL_DTYPE_INVALID) bad(where, "unknown dtype '" + name + "'");
  return dtype;
}

class Reader {
 public:
  explicit Reader(Graph& graph) : graph_(graph) {}

  ValueId ref(const Json& j, const std::string& where, bool absent_ok) {
    const std::string name = text_of(j, where);
    if (name.empty()) {
      if (!absent_ok) bad(where, "empty value name");
      return kNoValue;
    }
    const ValueId id = graph_.find_value(name);
    if (id == kNoValue) bad(where, "refers to value '" + name + "', which is not declared in \"values\"");
    return id;
  }

  std::vector<ValueId> refs(const Json& j, const std::string& where, bool absent_ok) {
    std::vector<ValueId> ids;
    const Json& list = array_of(j, where);
    for (size_t i = 0; i < list.size(); ++i) ids.push_back(ref(list[i], where + "[" + std::to_string(i) + "]", absent_ok));
    return ids;
  }

  AttrValue attr(const Json& j, const std::string& where) {
    if (!j.is_object() || j.empty()) bad(where, "expected an object such as {\"int\": 1}");
    // JSON objects are unordered: a binding {"value": ..., "element": ...} may come with "element" first.
    const bool binding = j.contains("value");
    const std::string kind = binding ? std::string("value") : j.begin().key();
    const Json& v = binding ? j.at("value") : j.begin().value();
    if (kind == "int") return AttrValue::of_int(int_of(v, where));
    if (kind == "float") return AttrValue::of_float(float_of(v, where));
    if (kind == "bool") {
      if (!v.is_boolean()) bad(where, "expected true or false");
      return AttrValue::of_bool(v.get<bool>());
    }
    if (kind == "ints") {
      std::vector<int64_t> list;
      for (const Json& e : array_of(v, where)) list.push_back(int_of(e, where));
      return AttrValue::of_ints(std::move(list));
    }
    if (kind == "floats") {
      std::vector<double> list;
      for (const Json& e : array_of(v, where)) list.push_back(float_of(e, where));
      return AttrValue::of_floats(std::move(list));
    }
    if (kind == "dtype") return AttrValue::of_dtype(dtype_of(v, where));
    if (kind == "enum") return AttrValue::of_enum(text_of(v, where));
    if (kind == "value") {
      const int64_t element = j.contains("element") ? int_of(j["element"], where + ".element") : -1;
      if (element < -1) bad(where, "negative element");
      return AttrValue::of_ref(ref(v, where, false), element);
    }
    bad(where, "unknown attribute kind '" + kind + "'");
  }

  AttrMap attrs(const Json& j, const std::string& where) {
    AttrMap map;
    if (!j.is_object()) bad(where, "expected an object");
    for (auto it = j.begin(); it != j.end(); ++it) map[it.key()] = attr(it.value(), where + "." + it.key());
    return map;
  }

  void value(const Json& j, const std::string& where) {
    const std::string name = text_of(field(j, "name", where), where + ".name");
    if (name.empty()) bad(where, "empty value name");
    if (graph_.find_value(name) != kNoValue) bad(where, "value '" + name + "' is declared twice");
    ValueType type;
    if (j.contains("dtype")) type.dtype = dtype_of(j["dtype"], where + ".dtype");
    if (j.contains("shape")) {
      const Json& dims = array_of(j["shape"], where + ".shape");
      if (dims.size() > KEEL_MAX_RANK) bad(where, "rank " + std::to_string(dims.size()) + " is above 8");
      type.rank_known = true;
      for (const Json& d : dims) {
        if (d.is_null()) {
          type.dims.push_back(Dim::unknown());
        } else if (d.is_string()) {
          type.dims.push_back(Dim::named(d.get<std::string>()));
        } else {
          const int64_t v = int_of(d, where + ".shape");
          if (v < 0) bad(where, "negative dimension");
          type.dims.push_back(Dim::of(v));
        }
      }
    }
    if (!j.contains("data")) {
      graph_.add_value(name, type);
      return;
    }
    if (!type.is_static()) bad(where, "a constant needs a dtype and a static shape");
    std::optional<std::vector<uint8_t>> bytes = base64_decode(text_of(j["data"], where + ".data"));
    if (!bytes) bad(where, "\"data\" is not valid base64");
    if (bytes->size() != type.byte_size()) {
      bad(where, "\"data\" holds " + std::to_string(bytes->size()) + " bytes, " + format_type(type) + " needs " +
                     std::to_string(type.byte_size()));
    }
    graph_.add_constant(name, HostTensor(type.dtype, type.shape(), std::move(*bytes)));
  }

  void node(const Json& j, const std::string& where) {
    Node n;
    n.name = text_of(field(j, "name", where), where + ".name");
    n.op = text_of(field(j, "op", where), where + ".op");
    const int64_t version = j.contains("version") ? int_of(j["version"], where + ".version") : 1;
    if (version < 1 || version > 0xffff) bad(where, "version " + std::to_string(version) + " is out of range");
    n.version = static_cast<uint32_t>(version);
    n.inputs = refs(field(j, "inputs", where), where + ".inputs", true);
    n.outputs = refs(field(j, "outputs", where), where + ".outputs", false);
    if (j.contains("attrs")) n.attrs = attrs(j["attrs"], where + ".attrs");
    if (j.contains("device")) n.device = text_of(j["device"], where + ".device");
    if (j.contains("body")) {
      const Json& body = array_of(j["body"], where + ".body");
      for (size_t s = 0; s < body.size(); ++s) {
        const std::string at = where + ".body[" + std::to_string(s) + "]";
        FusedStep step;
        step.op = text_of(field(body[s], "op", at), at + ".op");
        step.schema = spec::find_op(step.op);
        for (const Json& e : array_of(field(body[s], "inputs", at), at + ".inputs")) {
          const int64_t v = int_of(e, at + ".inputs");
          if (v < -65536 || v > 65536) bad(at, "input index out of range");
          step.inputs.push_back(static_cast<int32_t>(v));
        }
        if (body[s].contains("attrs")) step.attrs = attrs(body[s]["attrs"], at + ".attrs");
        if (body[s].contains("dtype")) step.dtype = dtype_of(body[s]["dtype"], at + ".dtype");
        n.body.push_back(std::move(step));
      }
    }
    graph_.nodes.push_back(std::move(n));  // names are checked by validate_structure, not made unique here
  }

 private:
  Graph& graph_;
};

}  // namespace

std::string to_json(const Graph& graph, int indent) {
  Json j{{"format", "keel-graph"}, {"version", kGraphFormatVersion}, {"spec_version", spec::spec_version()}};
  j["name"] = graph.name;
  j["metadata"] = graph.metadata;
  Json values = Json::array();
  for (const Value& v : graph.values) values.push_back(write_value(v));
  j["values"] = values;
  j["inputs"] = names(graph, graph.inputs);
  j["outputs"] = names(graph, graph.outputs);
  Json nodes = Json::array();
  for (const Node& node : graph.nodes) nodes.push_back(write_node(graph, node));
  j["nodes"] = nodes;
  return j.dump(indent);
}

Graph from_json(std::string_view text) {
  Json j;
  try {
    j = Json::parse(text.begin(), text.end(), nullptr, true, false);
  } catch (const nlohmann::json::exception& error) {
    fail_invalid(std::string("graph JSON: not valid JSON: ") + error.what());
  }
  if (!j.is_object()) bad("document", "expected an object");
  if (text_of(field(j, "format", "document"), "format") != "keel-graph") {
    bad("format", "not a Keel graph (\"format\" is not \"keel-graph\")");
  }
  const int64_t version = int_of(field(j, "version", "document"), "version");
  if (version != kGraphFormatVersion) {
    bad("version", "format version " + std::to_string(version) + " is not supported (this library reads version " +
                       std::to_string(kGraphFormatVersion) + ")");
  }
  Graph graph;
  Reader reader(graph);
  if (j.contains("name")) graph.name = text_of(j["name"], "name");
  if (j.contains("metadata")) {
    const Json& meta = j["metadata"];
    if (!meta.is_object()) bad("metadata", "expected an object");
    for (auto it = meta.begin(); it != meta.end(); ++it) graph.metadata[it.key()] = text_of(it.value(), "metadata");
  }
  const Json& values = array_of(field(j, "values", "document"), "values");
  for (size_t i = 0; i < values.size(); ++i) reader.value(values[i], "values[" + std::to_string(i) + "]");
  graph.inputs = reader.refs(field(j, "inputs", "document"), "inputs", false);
  graph.outputs = reader.refs(field(j, "outputs", "document"), "outputs", false);
  const Json& nodes = array_of(field(j, "nodes", "document"), "nodes");
  for (size_t i = 0; i < nodes.size(); ++i) reader.node(nodes[i], "nodes[" + std::to_string(i) + "]");
  graph.rebuild_producers();
  validate_structure(graph);
  return graph;
}

}  // namespace keel::graph
