// Node converters: ONNX operator → spec operators. Operators that map 1:1 (same inputs in order, attributes
// that differ only in spelling: transA → trans_a) are converted from the spec's own ONNX mapping (`onnx:`
// entries of ir_spec/ops/*.yaml) by convert_generic; the others have hand-written converters, grouped by
// kind in convert_*.cc.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "onnx/import_context.h"

namespace keel::onnx_import {

using ConvertFn = void (*)(ImportContext& ctx);

struct Converter {
  const char* op_type;
  int64_t min_version;  // the oldest ONNX version of the operator the converter handles
  ConvertFn convert;
};

std::span<const Converter> nn_converters();         // convolution, pooling, normalization, gemm, losses
std::span<const Converter> shape_converters();      // reshape, slice, squeeze, split, pad, resize, ...
std::span<const Converter> index_converters();      // gather/scatter, topk, cumsum, one_hot, reductions
std::span<const Converter> misc_converters();       // constants, cast, clip, variadic elementwise, ...
std::span<const Converter> composite_converters();  // ONNX operators composed of several spec operators

// The hand-written converter for `op_type`, or nullptr.
const Converter* find_converter(std::string_view op_type);

// Converts a node through the spec's ONNX mapping. Returns false when no spec operator maps `op_type`;
// throws Unsupported when one does but not this version or these attributes.
bool convert_generic(ImportContext& ctx);

// ONNX attribute spelling → the spec's ("transA" → "trans_a").
std::string snake_case(std::string_view name);

}  // namespace keel::onnx_import
