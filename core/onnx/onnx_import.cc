#include "onnx/onnx_import.h"

#include <map>
#include <vector>

#include "graph/ir/errors.h"
#include "graph/serialize/graph_file.h"
#include "onnx/converters.h"
#include "onnx/defs/schema.h"
#include "onnx/tensor_proto.h"

namespace keel::onnx_import {
namespace {

using graph::ValueId;

// Models larger than this are rejected before parsing (protobuf's own limit is 2 GiB).
constexpr uint64_t kMaxModelBytes = uint64_t{1} << 31;

graph::ValueType type_from_proto(const onnx::TypeProto& type, const std::string& what) {
  if (!type.has_tensor_type()) graph::fail(KEEL_STATUS_UNIMPLEMENTED, what + ": only tensor types are supported");
  const onnx::TypeProto::Tensor& tensor = type.tensor_type();
  graph::ValueType out;
  out.dtype = dtype_from_onnx(tensor.elem_type());
  if (out.dtype == KEEL_DTYPE_INVALID) {
    graph::fail(KEEL_STATUS_UNIMPLEMENTED,
                what + ": dtype " + onnx_dtype_name(tensor.elem_type()) + " is not in the spec");
  }
  if (!tensor.has_shape()) return out;
  if (tensor.shape().dim_size() > KEEL_MAX_RANK)
    graph::fail_invalid(what + ": rank above " + std::to_string(KEEL_MAX_RANK));
  out.rank_known = true;
  for (const auto& dim : tensor.shape().dim()) {
    if (dim.has_dim_value()) {
      if (dim.dim_value() < 0) graph::fail_invalid(what + ": negative dimension");
      out.dims.push_back(graph::Dim::of(dim.dim_value()));
    } else if (dim.has_dim_param() && !dim.dim_param().empty()) {
      out.dims.push_back(graph::Dim::named(dim.dim_param()));
    } else {
      out.dims.push_back(graph::Dim::unknown());
    }
  }
  return out;
}

// The default domain's opset of the model.
int64_t default_opset(const onnx::ModelProto& model) {
  int64_t opset = -1;
  for (const auto& entry : model.opset_import()) {
    if (entry.domain().empty() || entry.domain() == "ai.onnx") opset = entry.version();
  }
  if (opset < 0 && model.opset_import_size() > 0) {
    graph::fail(KEEL_STATUS_UNIMPLEMENTED,
                "the model uses only domain '" + model.opset_import(0).domain() + "', not the default ONNX domain");
  }
  if (opset < 0) graph::fail_invalid("the model imports no opset");
  return opset;
}

class Importer {
 public:
  Importer(const onnx::ModelProto& model, std::string source)
      : model_(model), source_(std::move(source)), ctx_(graph_) {}

  graph::Graph run() {
    opset_ = default_opset(model_);
    if (opset_ < kMinOpset || opset_ > kMaxOpset) {
      graph::fail(KEEL_STATUS_UNIMPLEMENTED, source_ + ": opset " + std::to_string(opset_) +
                                                 " is outside the supported " + std::to_string(kMinOpset) + "-" +
                                                 std::to_string(kMaxOpset));
    }
    const onnx::GraphProto& g = model_.graph();
    graph_.name = g.name().empty() ? "onnx" : g.name();
    graph_.metadata["source"] = source_;
    graph_.metadata["producer"] =
        model_.producer_name() + (model_.producer_version().empty() ? "" : " " + model_.producer_version());
    graph_.metadata["opset"] = std::to_string(opset_);
    if (g.sparse_initializer_size() > 0)
      graph::fail(KEEL_STATUS_UNIMPLEMENTED, source_ + ": sparse initializers are not supported");

    for (const onnx::TensorProto& init : g.initializer()) {
      const std::string what = "initializer '" + init.name() + "'";
      if (init.name().empty()) graph::fail_invalid(source_ + ": an initializer has no name");
      if (ctx_.lookup(init.name()) != graph::kNoValue) graph::fail_invalid(source_ + ": " + what + " is defined twice");
      ctx_.define(init.name(), graph_.add_constant(init.name(), tensor_from_proto(init, what)));
    }
    for (const onnx::ValueInfoProto& input : g.input()) {
      if (ctx_.lookup(input.name()) != graph::kNoValue) continue;  // an initializer listed as an input (IR < 4)
      const ValueId id = graph_.add_value(input.name(), type_from_proto(input.type(), "input '" + input.name() + "'"));
      ctx_.define(input.name(), id);
      graph_.inputs.push_back(id);
    }
    for (const onnx::ValueInfoProto& info : g.value_info()) declared_[info.name()] = &info;
    for (const onnx::NodeProto& node : g.node()) convert(node);
    if (!unsupported_.empty()) {
      std::string message = source_ + ": " + std::to_string(unsupported_.size()) + " node(s) cannot be imported:";
      for (const std::string& line : unsupported_) message += "\n  " + line;
      graph::fail(KEEL_STATUS_UNIMPLEMENTED, message);
    }
    for (const onnx::ValueInfoProto& output : g.output()) add_output(output);
    return std::move(graph_);
  }

 private:
  void convert(const onnx::NodeProto& node) {
    const std::string& domain = node.domain();
    const std::string label = node.op_type() + " node '" + node.name() + "'";
    if (!domain.empty() && domain != "ai.onnx") {
      unsupported_.push_back(label + ": domain '" + domain + "' is not supported");
      return poison(node);
    }
    const onnx::OpSchema* schema = onnx::OpSchemaRegistry::Schema(node.op_type(), static_cast<int>(opset_), "");
    const int64_t version = schema != nullptr ? schema->SinceVersion() : opset_;
    ctx_.begin_node(node, version);
    try {
      const Converter* converter = find_converter(node.op_type());
      if (converter != nullptr) {
        if (version < converter->min_version) {
          throw Unsupported{"versions before " + std::to_string(converter->min_version) + " are not supported"};
        }
        converter->convert(ctx_);
      } else if (!convert_generic(ctx_)) {
        throw Unsupported{"no spec operator maps it"};
      }
      annotate(node);
    } catch (const Unsupported& why) {
      unsupported_.push_back(node.op_type() + "-" + std::to_string(version) + " node '" + node.name() +
                             "': " + why.reason);
      poison(node);
    } catch (const Error& error) {
      throw Error(error.code(), source_ + ": " + graph::error_text(error), error.source());
    }
  }

  // Outputs of a node that could not be converted still get values, so later nodes convert (and report
  // their own problems) instead of failing on an undefined input.
  void poison(const onnx::NodeProto& node) {
    for (const std::string& name : node.output()) {
      if (!name.empty() && ctx_.lookup(name) == graph::kNoValue) ctx_.define(name, graph_.add_value(name));
    }
  }

  // Declared value_info types are hints for the converters that need a rank or dtype.
  void annotate(const onnx::NodeProto& node) {
    for (const std::string& name : node.output()) {
      const auto it = declared_.find(name);
      if (it == declared_.end()) continue;
      const ValueId id = ctx_.lookup(name);
      if (id == graph::kNoValue || graph_.value(id).type.known()) continue;
      try {
        graph_.value(id).type = type_from_proto(it->second->type(), "value '" + name + "'");
      } catch (const Error&) {
        // Not a tensor type the spec has: leave the type to inference.
      }
    }
  }

  void add_output(const onnx::ValueInfoProto& output) {
    ValueId id = ctx_.lookup(output.name());
    if (id == graph::kNoValue) graph::fail_invalid(source_ + ": output '" + output.name() + "' is not defined");
    if (graph_.value(id).name != output.name() || graph_.value(id).is_constant() || is_input(id)) {
      // An output that is an input, a constant or an alias: a copy gives it its own name.
      const ValueId copy = graph_.add_value(output.name());
      graph::Node node;
      node.name = output.name() + "/copy";
      node.op = "copy";
      node.inputs = {id};
      node.outputs = {copy};
      graph_.add_node(std::move(node));
      id = copy;
    }
    graph_.outputs.push_back(id);
  }

  bool is_input(ValueId id) const {
    for (ValueId input : graph_.inputs) {
      if (input == id) return true;
    }
    return false;
  }

  const onnx::ModelProto& model_;
  std::string source_;
  graph::Graph graph_;
  ImportContext ctx_;
  int64_t opset_ = 0;
  std::map<std::string, const onnx::ValueInfoProto*> declared_;
  std::vector<std::string> unsupported_;
};

}  // namespace

graph::Graph import_onnx_bytes(std::span<const uint8_t> bytes, const std::string& source) {
  if (bytes.size() > kMaxModelBytes) graph::fail_invalid(source + ": above the 2 GiB protobuf limit");
  onnx::ModelProto model;
  if (!model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    graph::fail_invalid(source + ": not a valid ONNX model (truncated or corrupt protobuf)");
  }
  if (!model.has_graph()) graph::fail_invalid(source + ": the model has no graph");
  return Importer(model, source).run();
}

graph::Graph import_onnx(const std::string& path) {
  return import_onnx_bytes(graph::read_file_bytes(path, kMaxModelBytes), path);
}

}  // namespace keel::onnx_import
