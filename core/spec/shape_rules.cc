#include "spec/shape_rules.h"

#include <algorithm>
#include <cmath>

#include "spec/axes.h"

namespace keel::spec::shape_rules {
namespace {

void set_shape(TensorMeta* out, std::span<const int64_t> dims) {
  out->rank = static_cast<uint32_t>(std::min<size_t>(dims.size(), KEEL_MAX_RANK));
  std::copy_n(dims.begin(), out->rank, out->dims);
}

// Appends the numpy broadcast of `a` and `b` (each an aligned-right list of dimensions) to `out`.
void broadcast_into(std::span<const int64_t> a, std::span<const int64_t> b, TensorMeta* out) {
  size_t rank = std::max(a.size(), b.size());
  for (size_t i = 0; i < rank; ++i) {
    size_t k = rank - i;  // the k-th dimension from the back
    int64_t da = k <= a.size() ? a[a.size() - k] : 1;
    int64_t db = k <= b.size() ? b[b.size() - k] : 1;
    out->dims[out->rank++] = da == 1 ? db : da;
  }
}

}  // namespace

void same(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> outs) {
  TensorMeta* out = &outs[0];
  set_shape(out, call.tensors(args[0])[0].shape());
}

void broadcast(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> outs) {
  TensorMeta acc;  // 0-D: broadcasts with anything
  for (const TensorMeta& t : call.tensors(args[0])) {
    if (t.absent()) continue;  // an absent optional input takes no part
    TensorMeta next;
    broadcast_into(acc.shape(), t.shape(), &next);
    acc = next;
  }
  set_shape(&outs[0], acc.shape());
}

void reduce(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> outs) {
  TensorMeta* out = &outs[0];
  const TensorMeta& x = call.tensors(args[0])[0];
  std::span<const int64_t> axes = call.attr_ints(args[1]);
  bool keepdims = call.attr_int(args[2]) != 0;
  uint32_t reduced = 0;  // bit a: axis a is reduced
  for (int64_t axis : axes) reduced |= 1u << normalize_axis(axis, x.rank);
  if (axes.empty()) reduced = (1u << x.rank) - 1;
  out->rank = 0;
  for (uint32_t a = 0; a < x.rank; ++a) {
    if (!(reduced & (1u << a))) {
      out->dims[out->rank++] = x.dims[a];
    } else if (keepdims) {
      out->dims[out->rank++] = 1;
    }
  }
}

void matmul(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> outs) {
  TensorMeta* out = &outs[0];
  const TensorMeta& a = call.tensors(args[0])[0];
  const TensorMeta& b = call.tensors(args[1])[0];
  std::span<const int64_t> batch_a = a.shape().first(a.rank > 2 ? a.rank - 2 : 0);
  std::span<const int64_t> batch_b = b.shape().first(b.rank > 2 ? b.rank - 2 : 0);
  out->rank = 0;
  broadcast_into(batch_a, batch_b, out);
  if (a.rank >= 2) out->dims[out->rank++] = a.dims[a.rank - 2];  // M; a 1-D a has none
  if (b.rank >= 2) out->dims[out->rank++] = b.dims[b.rank - 1];  // N; a 1-D b has none
}

void reshape(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> outs) {
  TensorMeta* out = &outs[0];
  const TensorMeta& x = call.tensors(args[0])[0];
  std::span<const int64_t> shape = call.attr_ints(args[1]);
  set_shape(out, shape);
  int64_t known = 1;
  for (int64_t d : shape) known *= d == -1 ? 1 : d;
  for (uint32_t i = 0; i < out->rank; ++i) {
    if (out->dims[i] == -1) out->dims[i] = known == 0 ? 0 : x.element_count() / known;
  }
}

void permute(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> outs) {
  TensorMeta* out = &outs[0];
  const TensorMeta& x = call.tensors(args[0])[0];
  std::span<const int64_t> perm = call.attr_ints(args[1]);
  out->rank = x.rank;
  for (uint32_t i = 0; i < x.rank; ++i) out->dims[i] = x.dims[normalize_axis(perm[i], x.rank)];
}

void concat(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> outs) {
  TensorMeta* out = &outs[0];
  std::span<const TensorMeta> ts = call.tensors(args[0]);
  set_shape(out, ts[0].shape());
  uint32_t axis = normalize_axis(call.attr_int(args[1]), ts[0].rank);
  for (size_t i = 1; i < ts.size(); ++i) out->dims[axis] += ts[i].dims[axis];
}

void slice(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> outs) {
  TensorMeta* out = &outs[0];
  const TensorMeta& x = call.tensors(args[0])[0];
  std::span<const int64_t> starts = call.attr_ints(args[1]);
  std::span<const int64_t> ends = call.attr_ints(args[2]);
  std::span<const int64_t> axes = call.attr_ints(args[3]);
  std::span<const int64_t> steps = call.attr_ints(args[4]);
  set_shape(out, x.shape());
  for (size_t j = 0; j < starts.size(); ++j) {
    uint32_t axis = axes.empty() ? static_cast<uint32_t>(j) : normalize_axis(axes[j], x.rank);
    int64_t step = steps.empty() ? 1 : steps[j];
    out->dims[axis] = slice_length(x.dims[axis], starts[j], ends[j], step);
  }
}

void from_attr(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> outs) {
  TensorMeta* out = &outs[0];
  set_shape(out, call.attr_ints(args[0]));
}

void arange(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> outs) {
  TensorMeta* out = &outs[0];
  out->rank = 1;
  out->dims[0] = arange_length(call.attr_float(args[0]), call.attr_float(args[1]), call.attr_float(args[2]));
}

int64_t slice_length(int64_t dim, int64_t start, int64_t end, int64_t step) {
  // Python's PySlice_AdjustIndices: count from the back, then clamp to the axis; a negative step may stop
  // "before index 0", which is -1.
  auto adjust = [&](int64_t index) {
    if (index < 0) {
      index += dim;
      if (index < 0) index = step < 0 ? -1 : 0;
    } else if (index >= dim) {
      index = step < 0 ? dim - 1 : dim;
    }
    return index;
  };
  start = adjust(start);
  end = adjust(end);
  if (step > 0) return start < end ? (end - start - 1) / step + 1 : 0;
  return end < start ? (end - start + 1) / step + 1 : 0;  // no -step: step may be INT64_MIN
}

int64_t arange_length(double start, double limit, double delta) {
  double n = std::ceil((limit - start) / delta);
  if (!std::isfinite(n) || n >= 2147483648.0) return -1;  // includes delta == 0 and NaN
  return n > 0 ? static_cast<int64_t>(n) : 0;
}

}  // namespace keel::spec::shape_rules
