// Printing tensors: nested brackets, long axes elided to their first and last three entries.
#include <cstdio>
#include <ostream>
#include <sstream>

#include "tensor/make.h"

namespace keel {
namespace {

constexpr int64_t kEdge = 3;      // entries shown at each end of an elided axis
constexpr int64_t kElideAbove = 8;

std::string format(Dtype dtype, double v) {
  if (dtype == Dtype::boolean) return v != 0 ? "true" : "false";
  char buf[32];
  if (!is_floating_point(dtype)) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.6g", v);
  }
  return buf;
}

void write(std::ostream& out, const std::vector<double>& values, Dtype dtype, std::span<const int64_t> shape,
           size_t axis, int64_t offset, int64_t stride_below) {
  if (axis == shape.size()) {
    out << format(dtype, values[static_cast<size_t>(offset)]);
    return;
  }
  const int64_t n = shape[axis];
  const int64_t inner = stride_below / (n > 0 ? n : 1);
  std::vector<int64_t> shown;  // -1 stands for the elided middle
  for (int64_t i = 0; i < n; ++i) {
    if (n > kElideAbove && i == kEdge) {
      shown.push_back(-1);
      i = n - kEdge - 1;
      continue;
    }
    shown.push_back(i);
  }
  out << "[";
  for (size_t k = 0; k < shown.size(); ++k) {
    if (k > 0) out << ", ";
    if (shown[k] < 0) {
      out << "...";
    } else {
      write(out, values, dtype, shape, axis + 1, offset + shown[k] * inner, inner);
    }
  }
  out << "]";
}

}  // namespace

std::ostream& operator<<(std::ostream& out, const Tensor& t) {
  if (!t.defined()) return out << "tensor(undefined)";
  const std::vector<double> values = detail::to_doubles(t);
  out << "tensor(";
  write(out, values, t.dtype(), t.shape(), 0, 0, t.numel());
  out << ", dtype=" << dtype_name(t.dtype()) << ", shape=[";
  for (int64_t i = 0; i < t.rank(); ++i) out << (i ? "," : "") << t.shape()[i];
  out << "], device=" << t.device().name();
  if (std::string fn = t.grad_fn_name(); !fn.empty()) {
    out << ", grad_fn=" << fn;
  } else if (t.requires_grad()) {
    out << ", requires_grad=true";
  }
  return out << ")";
}

std::string to_string(const Tensor& t) {
  std::ostringstream out;
  out << t;
  return out.str();
}

}  // namespace keel
