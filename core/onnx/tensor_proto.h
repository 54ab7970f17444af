// ONNX TensorProto to HostTensor: initializers, Constant nodes' values, and the backend tests' .pb files.
// Every field is checked before anything is allocated: the declared shape must fit the size limit and the
// data present (raw_data or the typed field) must hold exactly that many elements.
#pragma once

#include <cstdint>
#include <string>

#include "graph/ir/host_tensor.h"
#include "onnx/onnx_pb.h"

namespace keel::onnx_import {

// The largest tensor accepted (bytes), so a hostile header cannot ask for an absurd allocation.
inline constexpr uint64_t kMaxTensorBytes = uint64_t{1} << 32;

// The Keel dtype of an ONNX TensorProto.DataType, or KEEL_DTYPE_INVALID for one the spec does not have.
keel_dtype_t dtype_from_onnx(int32_t data_type);
// "FLOAT", "UINT16", ... for messages.
std::string onnx_dtype_name(int32_t data_type);

// Throws keel::Error: UNIMPLEMENTED for a dtype the spec lacks, INVALID_ARGUMENT for external data, a
// negative or oversized shape, or data whose size does not match the shape. `what` names the tensor in
// messages ("initializer 'w'").
graph::HostTensor tensor_from_proto(const onnx::TensorProto& proto, const std::string& what);

// Parses a serialized TensorProto (a backend test's input_0.pb).
graph::HostTensor tensor_from_proto_bytes(const std::string& bytes, const std::string& what);

}  // namespace keel::onnx_import
