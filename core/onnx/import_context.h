// The state one ONNX import shares with the node converters: the graph being built, the map from ONNX value
// names to graph values, the node being converted and helpers to read its attributes and inputs and to emit
// spec operators.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graph/ir/graph.h"
#include "onnx/onnx_pb.h"

namespace keel::onnx_import {

// Thrown by a converter for a node it cannot express in the spec (an operator, attribute value or dtype it
// does not support); the importer collects these and reports them all at once.
struct Unsupported {
  std::string reason;
};

class ImportContext {
 public:
  explicit ImportContext(graph::Graph& graph) : graph_(graph) {}

  graph::Graph& graph() { return graph_; }

  // ---- Values by ONNX name ----
  void define(const std::string& onnx_name, graph::ValueId value) { names_[onnx_name] = value; }
  // kNoValue when the name is unknown.
  graph::ValueId lookup(const std::string& onnx_name) const;

  // ---- The node being converted ----
  void begin_node(const onnx::NodeProto& node, int64_t version) {
    node_ = &node;
    version_ = version;
  }
  const onnx::NodeProto& node() const { return *node_; }
  int64_t version() const { return version_; }  // the operator version in effect (its since_version)
  std::string node_label() const;               // "node 'n' (Conv-11)"

  size_t input_count() const { return static_cast<size_t>(node_->input_size()); }
  size_t output_count() const { return static_cast<size_t>(node_->output_size()); }
  bool has_input(size_t i) const { return i < input_count() && !node_->input(static_cast<int>(i)).empty(); }
  bool has_output(size_t i) const { return i < output_count() && !node_->output(static_cast<int>(i)).empty(); }
  graph::ValueId input(size_t i) const;           // required: throws when absent
  graph::ValueId optional_input(size_t i) const;  // kNoValue when absent
  // The data of input i when it is a constant (an initializer or Constant output), else nullptr.
  const graph::HostTensor* constant_input(size_t i) const;
  // Input i's data as integers; Unsupported when it is not a constant.
  std::vector<int64_t> constant_ints(size_t i, std::string_view what) const;
  // What is known of input i's type (graph inputs, constants and declared value_info).
  graph::ValueType input_type(size_t i) const;  // a copy: emitting nodes may move the values
  keel_dtype_t input_dtype(size_t i) const;     // KEEL_DTYPE_INVALID when unknown
  // Input i's rank when known, else Unsupported naming `why`.
  size_t input_rank(size_t i, std::string_view why) const;

  // ---- Attributes ----
  const onnx::AttributeProto* attr(std::string_view name) const;
  bool has_attr(std::string_view name) const { return attr(name) != nullptr; }
  int64_t attr_int(std::string_view name, int64_t fallback) const;
  double attr_float(std::string_view name, double fallback) const;
  std::string attr_string(std::string_view name, std::string fallback) const;
  std::vector<int64_t> attr_ints(std::string_view name, std::vector<int64_t> fallback = {}) const;
  std::vector<double> attr_floats(std::string_view name, std::vector<double> fallback = {}) const;
  // Rejects (Unsupported) every attribute of the node not in `known`.
  void only_attrs(std::initializer_list<std::string_view> known) const;

  // ---- Emitting ----
  // A fresh intermediate value named after the node's first output.
  graph::ValueId temp(std::string_view suffix);
  // Adds a node of spec operator `op` writing `outputs` (fresh values when empty: `output_count` of them).
  std::vector<graph::ValueId> emit(std::string_view op, std::vector<graph::ValueId> inputs, graph::AttrMap attrs,
                                   std::vector<graph::ValueId> outputs);
  // One-output form writing a temporary.
  graph::ValueId emit1(std::string_view op, std::vector<graph::ValueId> inputs, graph::AttrMap attrs = {});
  // The value for ONNX output i, named as ONNX names it (defined in the name map).
  graph::ValueId output(size_t i);
  // Emits `op` straight into ONNX output 0.
  void emit_out(std::string_view op, std::vector<graph::ValueId> inputs, graph::AttrMap attrs = {});
  // ONNX output i is the existing value `value` (Identity-like operators).
  void alias_output(size_t i, graph::ValueId value);
  graph::ValueId constant(graph::HostTensor tensor, std::string_view suffix);

  [[noreturn]] void unsupported(const std::string& reason) const { throw Unsupported{reason}; }
  [[noreturn]] void invalid(const std::string& message) const;

 private:
  graph::Graph& graph_;
  std::map<std::string, graph::ValueId> names_;
  const onnx::NodeProto* node_ = nullptr;
  int64_t version_ = 0;
};

}  // namespace keel::onnx_import
