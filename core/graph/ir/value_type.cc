#include "graph/ir/value_type.h"

#include <algorithm>

namespace keel::graph {

ValueType ValueType::of(keel_dtype_t dtype, std::span<const int64_t> shape) {
  ValueType type;
  type.dtype = dtype;
  type.rank_known = true;
  for (int64_t d : shape) type.dims.push_back(Dim::of(d));
  return type;
}

bool ValueType::is_static() const {
  return known() && rank_known && std::all_of(dims.begin(), dims.end(), [](const Dim& d) { return d.is_static(); });
}

std::vector<int64_t> ValueType::shape() const {
  std::vector<int64_t> shape;
  shape.reserve(dims.size());
  for (const Dim& d : dims) shape.push_back(d.value);
  return shape;
}

std::optional<spec::TensorMeta> ValueType::meta() const {
  if (!is_static() || dims.size() > KEEL_MAX_RANK) return std::nullopt;
  spec::TensorMeta meta;
  meta.dtype = dtype;
  meta.rank = static_cast<uint32_t>(dims.size());
  for (size_t i = 0; i < dims.size(); ++i) meta.dims[i] = dims[i].value;
  return meta;
}

uint64_t ValueType::byte_size() const {
  if (!is_static()) return 0;
  const int64_t count = element_count(shape());
  if (count < 0) return UINT64_MAX;
  uint64_t bytes = 0;
  if (__builtin_mul_overflow(static_cast<uint64_t>(count), dtype_bytes(dtype), &bytes)) return UINT64_MAX;
  return bytes;
}

std::string format_shape(std::span<const int64_t> shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i) text += (i ? "," : "") + std::to_string(shape[i]);
  return text + "]";
}

std::string format_type(const ValueType& type) {
  if (!type.known()) return "?";
  std::string text = dtype_text(type.dtype);
  if (!type.rank_known) return text + "[*]";
  text += "[";
  for (size_t i = 0; i < type.dims.size(); ++i) {
    const Dim& d = type.dims[i];
    text += i ? "," : "";
    text += d.is_static() ? std::to_string(d.value) : (d.symbol.empty() ? "?" : d.symbol);
  }
  return text + "]";
}

size_t dtype_bytes(keel_dtype_t dtype) {
  for (const spec::DtypeInfo& info : spec::all_dtypes()) {
    if (info.dtype == dtype) return info.bytes;
  }
  return 0;
}

const char* dtype_text(keel_dtype_t dtype) { return spec::dtype_name(dtype); }

keel_dtype_t dtype_from_text(std::string_view name) {
  for (const spec::DtypeInfo& info : spec::all_dtypes()) {
    if (name == info.name) return info.dtype;
  }
  return KEEL_DTYPE_INVALID;
}

bool is_float_dtype(keel_dtype_t dtype) {
  return dtype == KEEL_DTYPE_F16 || dtype == KEEL_DTYPE_BF16 || dtype == KEEL_DTYPE_F32 || dtype == KEEL_DTYPE_F64;
}

int64_t element_count(std::span<const int64_t> shape) {
  int64_t count = 1;
  for (int64_t d : shape) {
    if (d < 0) return -1;
    if (__builtin_mul_overflow(count, d, &count)) return -1;
  }
  return count;
}

}  // namespace keel::graph
