// Predicates of the shape and indexing operators: flatten, expand, squeeze, unsqueeze, split, gather,
// scatter, one_hot, topk.
#include <algorithm>

#include "spec/axes.h"
#include "spec/predicate_text.h"
#include "spec/predicates.h"

namespace keel::spec::predicates {
namespace {

bool shapes_equal(std::span<const int64_t> a, std::span<const int64_t> b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

std::string rank_limit() { return std::to_string(KEEL_MAX_RANK); }

}  // namespace

bool axis_in_range_inclusive(const CallView& call, std::span<const Arg> args, std::string* why) {
  int64_t axis = call.attr_int(args[0]);
  int64_t rank = call.tensors(args[1])[0].rank;
  if (axis >= -rank && axis <= rank) return true;
  return fail(why, attr_label(call, args[0]) + " is " + std::to_string(axis) + ", outside [-" + std::to_string(rank) +
                       ", " + std::to_string(rank) + "] for " + tensor_label(call, args[1]));
}

bool insert_axis_in_range(const CallView& call, std::span<const Arg> args, std::string* why) {
  int64_t axis = call.attr_int(args[0]);
  int64_t rank = call.tensors(args[1])[0].rank;
  if (rank + 1 > static_cast<int64_t>(KEEL_MAX_RANK)) {
    return fail(why, tensor_label(call, args[1]) + " already has rank " + std::to_string(rank) +
                         "; the output would exceed rank " + rank_limit());
  }
  if (axis >= -(rank + 1) && axis <= rank) return true;
  return fail(why, attr_label(call, args[0]) + " is " + std::to_string(axis) + ", outside [-" +
                       std::to_string(rank + 1) + ", " + std::to_string(rank) + "] for " + tensor_label(call, args[1]));
}

bool expand_broadcastable(const CallView& call, std::span<const Arg> args, std::string* why) {
  const TensorMeta& x = call.tensors(args[0])[0];
  std::span<const int64_t> shape = call.attr_ints(args[1]);
  if (shape.size() > KEEL_MAX_RANK) {
    return fail(why, attr_label(call, args[1]) + " has " + std::to_string(shape.size()) + " entries; the limit is " +
                         rank_limit());
  }
  size_t rank = std::max<size_t>(x.rank, shape.size());
  for (size_t k = 1; k <= rank; ++k) {
    int64_t a = k <= x.rank ? x.dims[x.rank - k] : 1;
    int64_t b = k <= shape.size() ? shape[shape.size() - k] : 1;
    if (a != b && a != 1 && b != 1) {
      return fail(why, tensor_label(call, args[0]) + " does not broadcast with " + attr_label(call, args[1]) + " " +
                           format_ints(shape) + ": dimension -" + std::to_string(k) + " is " + std::to_string(a) +
                           " vs " + std::to_string(b));
    }
  }
  return true;
}

bool squeezable(const CallView& call, std::span<const Arg> args, std::string* why) {
  std::span<const int64_t> axes = call.attr_ints(args[0]);
  const TensorMeta& x = call.tensors(args[1])[0];
  for (int64_t axis : axes) {
    uint32_t a = normalize_axis(axis, x.rank);
    if (x.dims[a] != 1) {
      return fail(why, attr_label(call, args[0]) + " names axis " + std::to_string(axis) + " of " +
                           tensor_label(call, args[1]) + ", which has size " + std::to_string(x.dims[a]) + ", not 1");
    }
  }
  return true;
}

bool unsqueeze_axes_valid(const CallView& call, std::span<const Arg> args, std::string* why) {
  std::span<const int64_t> axes = call.attr_ints(args[0]);
  const TensorMeta& x = call.tensors(args[1])[0];
  size_t out_rank = x.rank + axes.size();
  if (out_rank > KEEL_MAX_RANK) {
    return fail(why, attr_label(call, args[0]) + " " + format_ints(axes) + " would give rank " +
                         std::to_string(out_rank) + "; the limit is " + rank_limit());
  }
  uint32_t seen = 0;
  for (int64_t axis : axes) {
    if (!keel::spec::axis_in_range(axis, static_cast<uint32_t>(out_rank))) {
      return fail(why, attr_label(call, args[0]) + " entry " + std::to_string(axis) + " is out of range for the " +
                           "output rank " + std::to_string(out_rank));
    }
    uint32_t a = normalize_axis(axis, static_cast<uint32_t>(out_rank));
    if (seen & (1u << a)) {
      return fail(why, attr_label(call, args[0]) + " " + format_ints(axes) + " names output axis " + std::to_string(a) +
                           " twice");
    }
    seen |= 1u << a;
  }
  return true;
}

bool split_sizes_valid(const CallView& call, std::span<const Arg> args, std::string* why) {
  const TensorMeta& x = call.tensors(args[0])[0];
  int64_t d = x.dims[normalize_axis(call.attr_int(args[1]), x.rank)];
  std::span<const int64_t> sizes = call.attr_ints(args[2]);
  int64_t parts = call.attr_int(args[3]);
  if (sizes.empty() == (parts == 0)) {
    return fail(why, "exactly one of " + attr_label(call, args[2]) + " and " + attr_label(call, args[3]) +
                         " must be set (" + attr_label(call, args[2]) + " " + format_ints(sizes) + ", " +
                         attr_label(call, args[3]) + " " + std::to_string(parts) + ")");
  }
  if (!sizes.empty()) {
    int64_t total = 0;
    for (int64_t s : sizes) {
      if (s < 0 || __builtin_add_overflow(total, s, &total)) {
        return fail(why, attr_label(call, args[2]) + " " + format_ints(sizes) + " has a negative entry");
      }
    }
    if (total == d) return true;
    return fail(why, attr_label(call, args[2]) + " " + format_ints(sizes) + " sums to " + std::to_string(total) +
                         ", but the split axis of " + tensor_label(call, args[0]) + " has " + std::to_string(d));
  }
  if (parts < 1) return fail(why, attr_label(call, args[3]) + " is " + std::to_string(parts) + "; it must be >= 1");
  int64_t chunk = (d + parts - 1) / parts;
  if (d - chunk * (parts - 1) >= 0) return true;
  return fail(why, "an axis of " + std::to_string(d) + " cannot be cut into " + std::to_string(parts) + " pieces of " +
                       std::to_string(chunk) + " with a smaller last one");
}

bool gather_rank_fits(const CallView& call, std::span<const Arg> args, std::string* why) {
  const TensorMeta& x = call.tensors(args[0])[0];
  const TensorMeta& indices = call.tensors(args[1])[0];
  if (x.rank - 1 + indices.rank <= KEEL_MAX_RANK) return true;
  return fail(why, tensor_label(call, args[0]) + " gathered by " + tensor_label(call, args[1]) + " would have rank " +
                       std::to_string(x.rank - 1 + indices.rank) + "; the limit is " + rank_limit());
}

bool index_dims_fit(const CallView& call, std::span<const Arg> args, std::string* why) {
  const TensorMeta& indices = call.tensors(args[0])[0];
  const TensorMeta& x = call.tensors(args[1])[0];
  uint32_t axis = normalize_axis(call.attr_int(args[2]), x.rank);
  for (uint32_t i = 0; i < indices.rank && i < x.rank; ++i) {
    if (i != axis && indices.dims[i] > x.dims[i]) {
      return fail(why, tensor_label(call, args[0]) + " is larger than " + tensor_label(call, args[1]) + " along axis " +
                           std::to_string(i) + ", which is not the indexed axis");
    }
  }
  return true;
}

bool same_shape(const CallView& call, std::span<const Arg> args, std::string* why) {
  std::span<const TensorMeta> ts = call.tensors(args[0]);
  for (size_t i = 1; i < ts.size(); ++i) {
    if (ts[i].absent() || shapes_equal(ts[i].shape(), ts[0].shape())) continue;
    return fail(why, input_label(call, position_of(args[0], i)) + " " + format_shape(ts[i]) + " and " +
                         input_label(call, position_of(args[0], 0)) + " " + format_shape(ts[0]) +
                         " must have the same shape");
  }
  return true;
}

bool gather_nd_shapes(const CallView& call, std::span<const Arg> args, std::string* why) {
  const TensorMeta& x = call.tensors(args[0])[0];
  const TensorMeta& indices = call.tensors(args[1])[0];
  int64_t b = call.attr_int(args[2]);
  if (indices.rank < 1 || b < 0 || b >= static_cast<int64_t>(indices.rank) || b > static_cast<int64_t>(x.rank)) {
    return fail(why, int_label(call, args[2]) + " must lie in [0, rank(indices)) and not exceed rank(x), with " +
                         tensor_label(call, args[1]) + " of rank >= 1 and " + tensor_label(call, args[0]));
  }
  for (int64_t i = 0; i < b; ++i) {
    if (x.dims[i] != indices.dims[i]) {
      return fail(why, "batch axis " + std::to_string(i) + " differs: " + tensor_label(call, args[0]) + " vs " +
                           tensor_label(call, args[1]));
    }
  }
  int64_t k = indices.dims[indices.rank - 1];
  if (k > static_cast<int64_t>(x.rank) - b) {
    return fail(why, "the index tuples of " + tensor_label(call, args[1]) + " have " + std::to_string(k) +
                         " entries, but " + tensor_label(call, args[0]) + " has only " + std::to_string(x.rank - b) +
                         " axes after the batch axes");
  }
  int64_t out_rank = (indices.rank - 1) + (x.rank - b - k);
  if (out_rank <= static_cast<int64_t>(KEEL_MAX_RANK)) return true;
  return fail(why, "the output would have rank " + std::to_string(out_rank) + "; the limit is " + rank_limit());
}

bool scatter_nd_shapes(const CallView& call, std::span<const Arg> args, std::string* why) {
  const Arg gather_args[] = {args[0], args[1], args[3]};
  if (!gather_nd_shapes(call, gather_args, why)) return false;
  const TensorMeta& data = call.tensors(args[0])[0];
  const TensorMeta& indices = call.tensors(args[1])[0];
  const TensorMeta& updates = call.tensors(args[2])[0];
  int64_t b = call.attr_int(args[3]);
  int64_t k = indices.dims[indices.rank - 1];
  int64_t expected[KEEL_MAX_RANK];
  uint32_t n = 0;
  for (uint32_t i = 0; i + 1 < indices.rank; ++i) expected[n++] = indices.dims[i];
  for (int64_t i = b + k; i < static_cast<int64_t>(data.rank); ++i) expected[n++] = data.dims[i];
  if (shapes_equal(updates.shape(), {expected, n})) return true;
  return fail(why, tensor_label(call, args[2]) + " must have the shape " + format_ints({expected, n}) +
                       " (the index shape without its last axis, then the data axes it does not index)");
}

bool axis_dim_non_zero(const CallView& call, std::span<const Arg> args, std::string* why) {
  const TensorMeta& x = call.tensors(args[1])[0];
  uint32_t axis = normalize_axis(call.attr_int(args[0]), x.rank);
  if (x.dims[axis] != 0) return true;
  return fail(why, tensor_label(call, args[1]) + " is empty along axis " + std::to_string(axis) + " (" +
                       attr_label(call, args[0]) + ")");
}

bool embedding_grad_shapes(const CallView& call, std::span<const Arg> args, std::string* why) {
  const TensorMeta& dy = call.tensors(args[0])[0];
  const TensorMeta& indices = call.tensors(args[1])[0];
  if (dy.rank == indices.rank + 1 && shapes_equal(dy.shape().first(indices.rank), indices.shape())) return true;
  return fail(why, tensor_label(call, args[0]) + " must have the shape of " + tensor_label(call, args[1]) +
                       " plus one trailing axis");
}

bool tiled_dims_fit(const CallView& call, std::span<const Arg> args, std::string* why) {
  const TensorMeta& x = call.tensors(args[0])[0];
  std::span<const int64_t> repeats = call.attr_ints(args[1]);
  for (uint32_t i = 0; i < x.rank; ++i) {
    int64_t out;
    if (__builtin_mul_overflow(x.dims[i], repeats[i], &out)) {
      return fail(why, "axis " + std::to_string(i) + " of " + tensor_label(call, args[0]) + " repeated " +
                           std::to_string(repeats[i]) + " times does not fit in 64 bits");
    }
  }
  return true;
}

bool padded_dims_fit(const CallView& call, std::span<const Arg> args, std::string* why) {
  const TensorMeta& x = call.tensors(args[0])[0];
  std::span<const int64_t> pads = call.attr_ints(args[1]);
  for (uint32_t i = 0; i < x.rank; ++i) {
    int64_t grown;
    int64_t out;
    if (__builtin_add_overflow(x.dims[i], pads[i], &grown) || __builtin_add_overflow(grown, pads[x.rank + i], &out)) {
      return fail(why, "axis " + std::to_string(i) + " of " + tensor_label(call, args[0]) + " padded by " +
                           std::to_string(pads[i]) + "+" + std::to_string(pads[x.rank + i]) +
                           " does not fit in 64 bits");
    }
  }
  return true;
}

bool topk_k_valid(const CallView& call, std::span<const Arg> args, std::string* why) {
  int64_t k = call.attr_int(args[0]);
  const TensorMeta& x = call.tensors(args[1])[0];
  int64_t d = x.dims[normalize_axis(call.attr_int(args[2]), x.rank)];
  if (k >= 0 && k <= d) return true;
  return fail(why, attr_label(call, args[0]) + " is " + std::to_string(k) + "; it must lie in [0, " +
                       std::to_string(d) + "], the size of the axis of " + tensor_label(call, args[1]));
}

}  // namespace keel::spec::predicates
