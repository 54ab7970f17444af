// Shape rules of the shape and indexing operators.
#include <algorithm>

#include "spec/axes.h"
#include "spec/shape_rules.h"

namespace keel::spec::shape_rules {
namespace {

void set_shape(TensorMeta* out, std::span<const int64_t> dims) {
  out->rank = static_cast<uint32_t>(std::min<size_t>(dims.size(), KEEL_MAX_RANK));
  std::copy_n(dims.begin(), out->rank, out->dims);
}

void append(TensorMeta* out, std::span<const int64_t> dims) {
  for (int64_t d : dims) out->dims[out->rank++] = d;
}

int64_t product(std::span<const int64_t> dims) {
  int64_t p = 1;
  for (int64_t d : dims) p *= d;
  return p;
}

}  // namespace

void flatten(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> outs) {
  const TensorMeta& x = call.tensors(args[0])[0];
  int64_t axis = call.attr_int(args[1]);
  auto split = static_cast<size_t>(axis < 0 ? axis + x.rank : axis);
  outs[0].rank = 2;
  outs[0].dims[0] = product(x.shape().first(split));
  outs[0].dims[1] = product(x.shape().subspan(split));
}

void expand(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> outs) {
  const TensorMeta& x = call.tensors(args[0])[0];
  std::span<const int64_t> shape = call.attr_ints(args[1]);
  size_t rank = std::max<size_t>(x.rank, shape.size());
  TensorMeta* out = &outs[0];
  out->rank = static_cast<uint32_t>(rank);
  for (size_t i = 0; i < rank; ++i) {
    size_t k = rank - i;  // the k-th dimension from the back
    int64_t a = k <= x.rank ? x.dims[x.rank - k] : 1;
    int64_t b = k <= shape.size() ? shape[shape.size() - k] : 1;
    out->dims[i] = a == 1 ? b : a;
  }
}

void squeeze(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> outs) {
  const TensorMeta& x = call.tensors(args[0])[0];
  std::span<const int64_t> axes = call.attr_ints(args[1]);
  uint32_t removed = 0;  // bit a: axis a goes
  for (int64_t axis : axes) removed |= 1u << normalize_axis(axis, x.rank);
  for (uint32_t a = 0; a < x.rank && axes.empty(); ++a) {
    if (x.dims[a] == 1) removed |= 1u << a;
  }
  for (uint32_t a = 0; a < x.rank; ++a) {
    if (!(removed & (1u << a))) outs[0].dims[outs[0].rank++] = x.dims[a];
  }
}

void unsqueeze(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> outs) {
  const TensorMeta& x = call.tensors(args[0])[0];
  std::span<const int64_t> axes = call.attr_ints(args[1]);
  auto rank = static_cast<uint32_t>(x.rank + axes.size());
  uint32_t inserted = 0;
  for (int64_t axis : axes) inserted |= 1u << normalize_axis(axis, rank);
  uint32_t next = 0;
  outs[0].rank = rank;
  for (uint32_t a = 0; a < rank; ++a) outs[0].dims[a] = inserted & (1u << a) ? 1 : x.dims[next++];
}

void split(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> outs) {
  const TensorMeta& x = call.tensors(args[0])[0];
  uint32_t axis = normalize_axis(call.attr_int(args[1]), x.rank);
  std::span<const int64_t> sizes = call.attr_ints(args[2]);
  int64_t d = x.dims[axis];
  int64_t parts = static_cast<int64_t>(outs.size());
  int64_t chunk = parts > 0 ? (d + parts - 1) / parts : 0;
  for (size_t i = 0; i < outs.size(); ++i) {
    set_shape(&outs[i], x.shape());
    if (!sizes.empty()) {
      outs[i].dims[axis] = sizes[i];
    } else {
      outs[i].dims[axis] = i + 1 < outs.size() ? chunk : d - chunk * (parts - 1);
    }
  }
}

void tile(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> outs) {
  const TensorMeta& x = call.tensors(args[0])[0];
  std::span<const int64_t> repeats = call.attr_ints(args[1]);
  set_shape(&outs[0], x.shape());
  for (uint32_t i = 0; i < x.rank; ++i) outs[0].dims[i] *= repeats[i];
}

void rank_vector(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> outs) {
  outs[0].rank = 1;
  outs[0].dims[0] = call.tensors(args[0])[0].rank;
}

void scalar_shape(const CallView&, std::span<const Arg>, std::span<TensorMeta> outs) { outs[0].rank = 0; }

void gather(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> outs) {
  const TensorMeta& x = call.tensors(args[0])[0];
  const TensorMeta& indices = call.tensors(args[1])[0];
  uint32_t axis = normalize_axis(call.attr_int(args[2]), x.rank);
  append(&outs[0], x.shape().first(axis));
  append(&outs[0], indices.shape());
  append(&outs[0], x.shape().subspan(axis + 1));
}

void gather_nd(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> outs) {
  const TensorMeta& x = call.tensors(args[0])[0];
  const TensorMeta& indices = call.tensors(args[1])[0];
  int64_t b = call.attr_int(args[2]);
  int64_t k = indices.dims[indices.rank - 1];
  append(&outs[0], indices.shape().first(indices.rank - 1));
  append(&outs[0], x.shape().subspan(static_cast<size_t>(b + k)));
}

void one_hot(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> outs) {
  const TensorMeta& indices = call.tensors(args[0])[0];
  int64_t depth = call.attr_int(args[1]);
  int64_t axis = call.attr_int(args[2]);
  auto at = static_cast<uint32_t>(axis < 0 ? axis + indices.rank + 1 : axis);
  append(&outs[0], indices.shape().first(at));
  outs[0].dims[outs[0].rank++] = depth;
  append(&outs[0], indices.shape().subspan(at));
}

void nonzero(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> outs) {
  const TensorMeta& x = call.tensors(args[0])[0];
  outs[0].rank = 2;
  outs[0].dims[0] = x.rank;
  outs[0].dims[1] = x.element_count();
}

void matrix(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> outs) {
  outs[0].rank = 2;
  outs[0].dims[0] = call.attr_int(args[0]);
  outs[0].dims[1] = call.attr_int(args[1]);
}

void embedding_grad(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> outs) {
  const TensorMeta& dy = call.tensors(args[0])[0];
  outs[0].rank = 2;
  outs[0].dims[0] = call.attr_int(args[1]);
  outs[0].dims[1] = dy.dims[dy.rank - 1];
}

}  // namespace keel::spec::shape_rules
