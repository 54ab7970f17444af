#include "onnx/tensor_proto.h"

#include <cstring>

#include "graph/ir/errors.h"

namespace keel::onnx_import {
namespace {

using onnx::TensorProto;

[[noreturn]] void bad(const std::string& what, const std::string& message) {
  graph::fail_invalid(what + ": " + message);
}

template <class Field, class Store>
void copy_typed(const Field& field, int64_t count, const std::string& what, const char* field_name, Store store) {
  if (field.size() != count) {
    bad(what, std::string(field_name) + " holds " + std::to_string(field.size()) + " elements, the shape needs " +
                  std::to_string(count));
  }
  for (int64_t i = 0; i < count; ++i) store(i, field.Get(static_cast<int>(i)));
}

}  // namespace

keel_dtype_t dtype_from_onnx(int32_t data_type) {
  switch (data_type) {
    case TensorProto::FLOAT: return KEEL_DTYPE_F32;
    case TensorProto::UINT8: return KEEL_DTYPE_U8;
    case TensorProto::INT8: return KEEL_DTYPE_I8;
    case TensorProto::INT32: return KEEL_DTYPE_I32;
    case TensorProto::INT64: return KEEL_DTYPE_I64;
    case TensorProto::BOOL: return KEEL_DTYPE_BOOL;
    case TensorProto::FLOAT16: return KEEL_DTYPE_F16;
    case TensorProto::DOUBLE: return KEEL_DTYPE_F64;
    case TensorProto::BFLOAT16: return KEEL_DTYPE_BF16;
    default: return KEEL_DTYPE_INVALID;
  }
}

std::string onnx_dtype_name(int32_t data_type) {
  if (TensorProto::DataType_IsValid(data_type)) {
    return TensorProto::DataType_Name(static_cast<TensorProto::DataType>(data_type));
  }
  return "data type " + std::to_string(data_type);
}

graph::HostTensor tensor_from_proto(const TensorProto& proto, const std::string& what) {
  if (proto.data_location() == TensorProto::EXTERNAL || proto.external_data_size() > 0) {
    bad(what, "external data is not supported (store the tensor inside the model)");
  }
  const keel_dtype_t dtype = dtype_from_onnx(proto.data_type());
  if (dtype == KEEL_DTYPE_INVALID) {
    graph::fail(KEEL_STATUS_UNIMPLEMENTED,
                what + ": dtype " + onnx_dtype_name(proto.data_type()) + " is not in the spec");
  }
  std::vector<int64_t> shape(proto.dims().begin(), proto.dims().end());
  if (shape.size() > KEEL_MAX_RANK)
    bad(what, "rank " + std::to_string(shape.size()) + " above " + std::to_string(KEEL_MAX_RANK));
  for (int64_t d : shape) {
    if (d < 0) bad(what, "negative dimension in " + graph::format_shape(shape));
  }
  const int64_t count = graph::element_count(shape);
  const uint64_t size = graph::dtype_bytes(dtype);
  if (count < 0 || static_cast<uint64_t>(count) > kMaxTensorBytes / size) {
    bad(what, "shape " + graph::format_shape(shape) + " is above the size limit");
  }
  const uint64_t nbytes = static_cast<uint64_t>(count) * size;

  if (proto.has_raw_data()) {
    const std::string& raw = proto.raw_data();
    if (raw.size() != nbytes) {
      bad(what, "raw_data holds " + std::to_string(raw.size()) + " bytes, shape " + graph::format_shape(shape) +
                    " of " + graph::dtype_text(dtype) + " needs " + std::to_string(nbytes));
    }
    std::vector<uint8_t> bytes(raw.begin(), raw.end());
    if (dtype == KEEL_DTYPE_BOOL) {
      for (uint8_t& b : bytes) b = b != 0;
    }
    return graph::HostTensor(dtype, std::move(shape), std::move(bytes));
  }

  graph::HostTensor out(dtype, shape);
  switch (proto.data_type()) {
    case TensorProto::FLOAT:
      copy_typed(proto.float_data(), count, what, "float_data", [&](int64_t i, float v) { out.as<float>()[i] = v; });
      break;
    case TensorProto::DOUBLE:
      copy_typed(proto.double_data(), count, what, "double_data",
                 [&](int64_t i, double v) { out.as<double>()[i] = v; });
      break;
    case TensorProto::INT64:
      copy_typed(proto.int64_data(), count, what, "int64_data",
                 [&](int64_t i, int64_t v) { out.as<int64_t>()[i] = v; });
      break;
    case TensorProto::FLOAT16:
    case TensorProto::BFLOAT16:
      // 16-bit floats travel as their bit patterns in int32_data.
      copy_typed(proto.int32_data(), count, what, "int32_data",
                 [&](int64_t i, int32_t v) { out.as<uint16_t>()[i] = static_cast<uint16_t>(v); });
      break;
    default:  // INT32, INT8, UINT8, BOOL: widened into int32_data
      copy_typed(proto.int32_data(), count, what, "int32_data", [&](int64_t i, int32_t v) { out.set_int(i, v); });
      break;
  }
  return out;
}

graph::HostTensor tensor_from_proto_bytes(const std::string& bytes, const std::string& what) {
  TensorProto proto;
  if (!proto.ParseFromString(bytes)) bad(what, "not a valid TensorProto (truncated or corrupt protobuf)");
  return tensor_from_proto(proto, what);
}

}  // namespace keel::onnx_import
