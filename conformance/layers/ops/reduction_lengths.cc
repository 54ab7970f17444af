#include "layers/ops/reduction_lengths.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <string_view>

#include "layers/ops/dtype_convert.h"
#include "spec/axes.h"

namespace keel::conform {
namespace {

const spec::AttrSchema* attr_named(const OpCall& call, std::string_view name, spec::AttrType type) {
  if (!call.attrs) return nullptr;
  for (size_t i = 0; i < call.op->attr_count; ++i) {
    if (name == call.op->attrs[i].name && call.op->attrs[i].type == type) return &call.op->attrs[i];
  }
  return nullptr;
}

int64_t int_attr(const OpCall& call, std::string_view name, int64_t fallback) {
  const spec::AttrSchema* attr = attr_named(call, name, spec::AttrType::kInt);
  if (attr == nullptr) return fallback;
  int64_t value;
  std::memcpy(&value, call.attrs->bytes + attr->offset, sizeof value);
  return value;
}

bool bool_attr(const OpCall& call, std::string_view name) {
  const spec::AttrSchema* attr = attr_named(call, name, spec::AttrType::kBool);
  return attr != nullptr && call.attrs->bytes[attr->offset] != 0;
}

std::optional<std::vector<int64_t>> ints_attr(const OpCall& call, std::string_view name) {
  const spec::AttrSchema* attr = attr_named(call, name, spec::AttrType::kInts);
  if (attr == nullptr) return std::nullopt;
  const int64_t* values;
  size_t count;
  std::memcpy(&values, call.attrs->bytes + attr->offset, sizeof values);
  std::memcpy(&count, call.attrs->bytes + attr->count_offset, sizeof count);
  return std::vector<int64_t>(values, values + count);
}

// The input called `name`, or nullptr (absent inputs count as missing).
const spec::TensorMeta* input_named(const OpCall& call, std::string_view name) {
  for (size_t i = 0; i < call.inputs.size() && i < call.op->input_count; ++i) {
    if (name == call.op->inputs[i].name && !call.absent(i)) return &call.inputs[i];
  }
  return nullptr;
}

double count(const spec::TensorMeta* meta) { return meta == nullptr ? 0 : static_cast<double>(meta->element_count()); }

double dim(const spec::TensorMeta& meta, int64_t axis) {
  if (!spec::axis_in_range(axis, meta.rank)) return 1;
  return static_cast<double>(meta.dims[spec::normalize_axis(axis, meta.rank)]);
}

double product_from(const spec::TensorMeta& meta, int64_t axis) {
  double product = 1;
  if (!spec::axis_in_range(axis, meta.rank)) return product;
  for (uint32_t i = spec::normalize_axis(axis, meta.rank); i < meta.rank; ++i) product *= static_cast<double>(meta.dims[i]);
  return product;
}

bool named(const OpCall& call, std::string_view name) { return call.op->name == name; }

double reduction_size(const OpCall& call, size_t output) {
  if (call.inputs.empty()) return 1;
  const spec::TensorMeta& x = call.inputs[0];
  if (const std::optional<std::vector<int64_t>> axes = ints_attr(call, "axes")) {
    if (axes->empty()) return count(&x);
    double size = 1;
    for (int64_t axis : *axes) size *= dim(x, axis);
    return size;
  }
  if (const std::optional<std::vector<int64_t>> kernel = ints_attr(call, "kernel_shape")) {
    double size = 1;
    for (int64_t extent : *kernel) size *= static_cast<double>(extent);
    return size;
  }
  if (named(call, "cumsum")) return dim(x, int_attr(call, "axis", 0));
  if (named(call, "scatter_elements") || named(call, "scatter_nd")) return count(input_named(call, "updates")) + 1;
  if (named(call, "embedding_backward")) return std::max(1.0, count(input_named(call, "indices")));
  if (named(call, "max_pool_backward")) return std::max(1.0, count(input_named(call, "dy")));
  if (named(call, "resize")) {
    double size = 1;
    for (uint32_t i = 0; i < x.rank && i < call.outputs[output].rank; ++i) {
      if (x.dims[i] != call.outputs[output].dims[i]) size *= 4;
    }
    return size;
  }
  const double out = count(&call.outputs[output]);
  return out == 0 ? 1 : std::max(1.0, count(&x) / out);
}

double inner_dimension(const OpCall& call) {
  if (named(call, "conv_backward_weight")) {
    const spec::TensorMeta* dy = input_named(call, "dy");
    return dy != nullptr && dy->rank > 1 && dy->dims[1] > 0 ? count(dy) / static_cast<double>(dy->dims[1]) : 1;
  }
  if (const spec::TensorMeta* w = input_named(call, "w")) {
    const double groups = static_cast<double>(std::max<int64_t>(1, int_attr(call, "groups", 1)));
    if (w->rank < 2) return 1;
    double kernel = 1;
    for (uint32_t i = 2; i < w->rank; ++i) kernel *= static_cast<double>(w->dims[i]);
    return named(call, "conv_transpose") ? static_cast<double>(w->dims[0]) / groups * kernel
                                         : static_cast<double>(w->dims[1]) * kernel;
  }
  if (call.inputs.empty() || call.inputs[0].rank == 0) return 1;
  const spec::TensorMeta& a = call.inputs[0];
  if (bool_attr(call, "trans_a") && a.rank >= 2) return static_cast<double>(a.dims[a.rank - 2]);
  return static_cast<double>(a.dims[a.rank - 1]);
}

double statistic_size(const OpCall& call) {
  const spec::TensorMeta* x = input_named(call, "x");
  if (x == nullptr || x->rank == 0) return 1;
  const int64_t groups = int_attr(call, "num_groups", 0);
  if (groups > 0 && x->dims[0] > 0) return count(x) / (static_cast<double>(x->dims[0]) * static_cast<double>(groups));
  if (attr_named(call, "axis", spec::AttrType::kInt) != nullptr) return product_from(*x, int_attr(call, "axis", -1));
  return x->rank > 1 && x->dims[1] > 0 ? count(x) / static_cast<double>(x->dims[1]) : count(x);
}

// The largest |x - max(x)| over the finite elements of any slice of `x` along `axis`.
double largest_range(const HostTensor& x, uint32_t axis) {
  const spec::TensorMeta& meta = x.meta;
  const int64_t total = meta.element_count();
  if (total == 0 || meta.rank == 0) return 0;
  const int64_t length = meta.dims[axis];
  int64_t inner = 1;
  for (uint32_t i = axis + 1; i < meta.rank; ++i) inner *= meta.dims[i];
  const size_t size = dtype_bytes(meta.dtype);
  double largest = 0;
  for (int64_t o = 0; o < total / (length * inner); ++o) {
    for (int64_t in = 0; in < inner; ++in) {
      double high = -std::numeric_limits<double>::infinity(), low = std::numeric_limits<double>::infinity();
      for (int64_t k = 0; k < length; ++k) {
        const double v = read_value(meta.dtype, x.bytes.data() + static_cast<size_t>((o * length + k) * inner + in) * size);
        if (std::isfinite(v)) high = std::max(high, v), low = std::min(low, v);
      }
      if (std::isfinite(high)) largest = std::max(largest, high - low);
    }
  }
  return largest;
}

// Softmax-like operators: per element of an output shaped like the input, its slice's length and range;
// for a loss (another output shape), the terms per output plus the largest range of any slice.
std::vector<double> size_plus_range(const OpCall& call, std::span<const HostTensor> inputs, size_t output) {
  const size_t out_count = static_cast<size_t>(call.outputs[output].element_count());
  if (inputs.empty() || inputs[0].meta.rank == 0 || inputs[0].meta.element_count() == 0) {
    return std::vector<double>(out_count, 1);
  }
  const HostTensor& x = inputs[0];
  const int64_t axis_attr = int_attr(call, "axis", x.meta.rank > 1 ? 1 : 0);
  const uint32_t axis = spec::axis_in_range(axis_attr, x.meta.rank) ? spec::normalize_axis(axis_attr, x.meta.rank) : 0;
  if (static_cast<int64_t>(out_count) != x.meta.element_count()) {
    return std::vector<double>(out_count, reduction_size(call, output) + largest_range(x, axis));
  }
  // Per slice: the same value for every element of the slice.
  std::vector<double> out(out_count, 1);
  const int64_t length = x.meta.dims[axis];
  int64_t inner = 1;
  for (uint32_t i = axis + 1; i < x.meta.rank; ++i) inner *= x.meta.dims[i];
  const size_t size = dtype_bytes(x.meta.dtype);
  for (int64_t o = 0; o < x.meta.element_count() / (length * inner); ++o) {
    for (int64_t in = 0; in < inner; ++in) {
      const auto at = [&](int64_t k) { return static_cast<size_t>((o * length + k) * inner + in); };
      double high = -std::numeric_limits<double>::infinity(), range = 0;
      for (int64_t k = 0; k < length; ++k) {
        const double v = read_value(x.meta.dtype, x.bytes.data() + at(k) * size);
        if (std::isfinite(v)) high = std::max(high, v);
      }
      for (int64_t k = 0; k < length; ++k) {
        const double v = read_value(x.meta.dtype, x.bytes.data() + at(k) * size);
        if (std::isfinite(v)) range = std::max(range, std::fabs(v - high));
      }
      for (int64_t k = 0; k < length; ++k) out[at(k)] = static_cast<double>(length) + range;
    }
  }
  return out;
}

}  // namespace

std::vector<double> reduction_lengths(const OpCall& call, std::span<const HostTensor> inputs, size_t output) {
  const size_t out_count = static_cast<size_t>(call.outputs[output].element_count());
  switch (call.op->tolerance.k) {
    case spec::ReductionSize::kReductionSize: return std::vector<double>(out_count, reduction_size(call, output));
    case spec::ReductionSize::kInnerDim: return std::vector<double>(out_count, inner_dimension(call));
    case spec::ReductionSize::kReductionSizePlusRange: return size_plus_range(call, inputs, output);
    case spec::ReductionSize::kStatisticSize: return std::vector<double>(out_count, statistic_size(call));
    case spec::ReductionSize::kNone: break;
  }
  return std::vector<double>(out_count, 1);
}

}  // namespace keel::conform
