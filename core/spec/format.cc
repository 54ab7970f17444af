#include "spec/format.h"

#include <charconv>

namespace keel::spec {

std::string format_ints(std::span<const int64_t> values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    out += std::to_string(values[i]);
  }
  return out + "]";
}

std::string format_shape(const TensorMeta& t) { return format_ints(t.shape()); }

std::string format_number(double value) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  return ec == std::errc() ? std::string(buf, end) : std::string("?");
}

std::string format_dtypes(const TypeVar& var) {
  std::string out;
  for (size_t i = 0; i < var.dtype_count; ++i) {
    if (i > 0) out += ", ";
    out += dtype_name(var.dtypes[i]);
  }
  return out;
}

}  // namespace keel::spec
