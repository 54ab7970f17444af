// ONNX import: a ModelProto (opsets 7-17 of the default domain) becomes a graph::Graph of spec operators.
// Older models (opsets 1-6) import too when every node's operator version is one a converter handles (each
// converter, and the spec's mapping for 1:1 operators, names the versions it accepts; others are reported
// as unsupported).
//
// Initializers and Constant nodes become graph constants; graph inputs and outputs keep their names and
// declared types (symbolic dimensions stay symbols). Each node goes through a converter (onnx/converters.h).
// Nodes no converter can express are collected, and the import fails once with UNIMPLEMENTED listing every
// one of them (op type, version, node name, reason). A malformed model (truncated protobuf, missing or
// doubly defined values, wrong attribute types, oversized tensors) fails with INVALID_ARGUMENT; nothing in
// the file can crash the importer. The result is not yet validated: call graph::validate (or let the
// executor do it).
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "graph/ir/graph.h"

namespace keel::onnx_import {

inline constexpr int64_t kMinOpset = 1;
inline constexpr int64_t kMaxOpset = 17;

graph::Graph import_onnx(const std::string& path);
graph::Graph import_onnx_bytes(std::span<const uint8_t> bytes, const std::string& source = "model");

}  // namespace keel::onnx_import
