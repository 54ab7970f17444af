#include "spec/predicates.h"

#include <cmath>

#include "spec/axes.h"
#include "spec/format.h"
#include "spec/predicate_text.h"
#include "spec/shape_rules.h"

namespace keel::spec::predicates {
namespace {

// Numpy broadcasting of the shapes of `tensors`, each viewed without its last `skip` dimensions (matmul
// broadcasts only the batch dimensions). On a mismatch names the two tensors and the dimension.
bool shapes_broadcast(const CallView& call, const Arg& arg, uint32_t skip, std::string* why, const char* what) {
  std::span<const TensorMeta> ts = call.tensors(arg);
  uint32_t rank = 0;
  for (const TensorMeta& t : ts) rank = std::max(rank, t.rank > skip ? t.rank - skip : 0);
  for (uint32_t k = 1; k <= rank; ++k) {  // the k-th dimension from the back
    size_t owner = 0;
    int64_t size = 1;
    for (size_t i = 0; i < ts.size(); ++i) {
      if (ts[i].absent() || ts[i].rank < skip + k) continue;
      int64_t d = ts[i].dims[ts[i].rank - skip - k];
      if (d == 1) continue;
      if (size == 1) {
        size = d;
        owner = i;
      } else if (d != size) {
        return fail(why, std::string(what) + " of " + input_label(call, position_of(arg, owner)) + " " +
                             format_shape(ts[owner]) + " and " + input_label(call, position_of(arg, i)) + " " +
                             format_shape(ts[i]) + " do not broadcast: dimension -" + std::to_string(k + skip) +
                             " is " + std::to_string(size) + " vs " + std::to_string(d));
      }
    }
  }
  return true;
}

// The position of `value` among the attribute's enum values, or -1.
int64_t enum_index(const AttrSchema& attr, std::string_view value) {
  for (size_t i = 0; i < attr.enum_value_count; ++i) {
    if (attr.enum_values[i] == value) return static_cast<int64_t>(i);
  }
  return -1;
}

}  // namespace

bool broadcastable(const CallView& call, std::span<const Arg> args, std::string* why) {
  return shapes_broadcast(call, args[0], 0, why, "the shapes");
}

bool rank_at_least(const CallView& call, std::span<const Arg> args, std::string* why) {
  const TensorMeta& t = call.tensors(args[0])[0];
  int64_t min_rank = call.attr_int(args[1]);
  if (static_cast<int64_t>(t.rank) >= min_rank) return true;
  return fail(why, input_label(call, position_of(args[0], 0)) + " has rank " + std::to_string(t.rank) +
                       "; it needs rank " + std::to_string(min_rank) + " or more");
}

bool axis_in_range(const CallView& call, std::span<const Arg> args, std::string* why) {
  int64_t axis = call.attr_int(args[0]);
  uint32_t rank = call.tensors(args[1])[0].rank;
  if (keel::spec::axis_in_range(axis, rank)) return true;
  return fail(why, attr_label(call, args[0]) + " is " + std::to_string(axis) + ", which is out of range for " +
                       input_label(call, position_of(args[1], 0)) + " of rank " + std::to_string(rank));
}

bool axes_in_range(const CallView& call, std::span<const Arg> args, std::string* why) {
  uint32_t rank = call.tensors(args[1])[0].rank;
  for (int64_t axis : call.attr_ints(args[0])) {
    if (!keel::spec::axis_in_range(axis, rank)) {
      return fail(why, attr_label(call, args[0]) + " entry " + std::to_string(axis) + " is out of range for " +
                           input_label(call, position_of(args[1], 0)) + " of rank " + std::to_string(rank));
    }
  }
  return true;
}

bool axes_unique(const CallView& call, std::span<const Arg> args, std::string* why) {
  uint32_t rank = call.tensors(args[1])[0].rank;
  std::span<const int64_t> axes = call.attr_ints(args[0]);
  int64_t first_entry[KEEL_MAX_RANK];
  uint32_t seen = 0;  // bit a: axis a is named
  for (int64_t axis : axes) {
    if (!keel::spec::axis_in_range(axis, rank)) continue;  // another constraint's business
    uint32_t a = normalize_axis(axis, rank);
    if (seen & (1u << a)) {
      return fail(why, attr_label(call, args[0]) + " " + format_ints(axes) + " names axis " + std::to_string(a) +
                           " twice (entries " + std::to_string(first_entry[a]) + " and " + std::to_string(axis) +
                           ") for " + input_label(call, position_of(args[1], 0)) + " of rank " + std::to_string(rank));
    }
    seen |= 1u << a;
    first_entry[a] = axis;
  }
  return true;
}

bool reduced_dims_non_empty(const CallView& call, std::span<const Arg> args, std::string* why) {
  const TensorMeta& t = call.tensors(args[1])[0];
  std::span<const int64_t> axes = call.attr_ints(args[0]);
  for (uint32_t a = 0; a < t.rank; ++a) {
    bool reduced = axes.empty();
    for (int64_t axis : axes) {
      reduced = reduced || (keel::spec::axis_in_range(axis, t.rank) && normalize_axis(axis, t.rank) == a);
    }
    if (reduced && t.dims[a] == 0) {
      return fail(why, input_label(call, position_of(args[1], 0)) + " " + format_shape(t) +
                           " has no elements along reduced axis " + std::to_string(a));
    }
  }
  return true;
}

bool matmul_inner_match(const CallView& call, std::span<const Arg> args, std::string* why) {
  const TensorMeta& a = call.tensors(args[0])[0];
  const TensorMeta& b = call.tensors(args[1])[0];
  if (a.rank == 0 || b.rank == 0) return true;  // rank_at_least reports these
  int64_t ka = a.dims[a.rank - 1];
  int64_t kb = b.rank == 1 ? b.dims[0] : b.dims[b.rank - 2];
  if (ka == kb) return true;
  return fail(why, input_label(call, position_of(args[0], 0)) + " " + format_shape(a) + " and " +
                       input_label(call, position_of(args[1], 0)) + " " + format_shape(b) +
                       " do not contract: the last dimension of the first is " + std::to_string(ka) +
                       (b.rank == 1 ? ", the only dimension of the second " : ", the second-to-last of the second ") +
                       std::to_string(kb));
}

bool matmul_batch_broadcastable(const CallView& call, std::span<const Arg> args, std::string* why) {
  // Batch dimensions are all but the last two; a and b are two separate arguments, so check them as a pair.
  const TensorMeta* ts[2] = {&call.tensors(args[0])[0], &call.tensors(args[1])[0]};
  uint32_t batch[2] = {ts[0]->rank > 2 ? ts[0]->rank - 2 : 0, ts[1]->rank > 2 ? ts[1]->rank - 2 : 0};
  for (uint32_t k = 1; k <= std::min(batch[0], batch[1]); ++k) {
    int64_t da = ts[0]->dims[batch[0] - k];
    int64_t db = ts[1]->dims[batch[1] - k];
    if (da != db && da != 1 && db != 1) {
      return fail(why, "the batch dimensions of " + input_label(call, position_of(args[0], 0)) + " " +
                           format_shape(*ts[0]) + " and " + input_label(call, position_of(args[1], 0)) + " " +
                           format_shape(*ts[1]) + " do not broadcast: " + std::to_string(da) + " vs " +
                           std::to_string(db));
    }
  }
  return true;
}

bool is_permutation(const CallView& call, std::span<const Arg> args, std::string* why) {
  uint32_t rank = call.tensors(args[1])[0].rank;
  std::span<const int64_t> perm = call.attr_ints(args[0]);
  auto target = [&] { return input_label(call, position_of(args[1], 0)) + " of rank " + std::to_string(rank); };
  if (perm.size() != rank) {
    return fail(why, attr_label(call, args[0]) + " " + format_ints(perm) + " has " + std::to_string(perm.size()) +
                         " entries; " + target() + " needs " + std::to_string(rank));
  }
  uint32_t seen = 0;
  for (int64_t axis : perm) {
    if (!keel::spec::axis_in_range(axis, rank)) {
      return fail(why,
                  attr_label(call, args[0]) + " entry " + std::to_string(axis) + " is out of range for " + target());
    }
    uint32_t a = normalize_axis(axis, rank);
    if (seen & (1u << a)) {
      return fail(why, attr_label(call, args[0]) + " " + format_ints(perm) + " names axis " + std::to_string(a) +
                           " twice for " + target());
    }
    seen |= 1u << a;
  }
  return true;
}

bool reshape_valid(const CallView& call, std::span<const Arg> args, std::string* why) {
  const TensorMeta& x = call.tensors(args[1])[0];
  std::span<const int64_t> shape = call.attr_ints(args[0]);
  auto label = [&] { return attr_label(call, args[0]) + " " + format_ints(shape); };
  if (shape.size() > KEEL_MAX_RANK) {
    return fail(why, label() + " has " + std::to_string(shape.size()) + " entries; tensors have at most " +
                         std::to_string(KEEL_MAX_RANK) + " dimensions");
  }
  int64_t known = 1;
  int inferred = 0;
  for (int64_t d : shape) {
    if (d < -1) return fail(why, label() + " has the entry " + std::to_string(d) + "; entries must be >= -1");
    if (d == -1) {
      if (++inferred > 1) return fail(why, label() + " has more than one -1");
      continue;
    }
    if (__builtin_mul_overflow(known, d, &known)) return fail(why, label() + " has more elements than fit in 64 bits");
  }
  int64_t count = x.element_count();
  auto source = [&] {
    return input_label(call, position_of(args[1], 0)) + " " + format_shape(x) + " with " + std::to_string(count) +
           " elements";
  };
  if (inferred == 0 && known != count) {
    return fail(why, label() + " has " + std::to_string(known) + " elements, but " + source());
  }
  if (inferred == 1 && (known == 0 || count % known != 0)) {
    return fail(why, "the -1 of " + label() + " cannot be inferred for " + source());
  }
  return true;
}

bool same_rank(const CallView& call, std::span<const Arg> args, std::string* why) {
  std::span<const TensorMeta> ts = call.tensors(args[0]);
  for (size_t i = 1; i < ts.size(); ++i) {
    if (ts[i].rank != ts[0].rank) {
      return fail(why, input_label(call, position_of(args[0], i)) + " " + format_shape(ts[i]) + " has rank " +
                           std::to_string(ts[i].rank) + ", but " + input_label(call, position_of(args[0], 0)) + " " +
                           format_shape(ts[0]) + " has rank " + std::to_string(ts[0].rank));
    }
  }
  return true;
}

bool concat_shapes_match(const CallView& call, std::span<const Arg> args, std::string* why) {
  std::span<const TensorMeta> ts = call.tensors(args[0]);
  int64_t axis = call.attr_int(args[1]);
  uint32_t rank = ts[0].rank;
  uint32_t joined = keel::spec::axis_in_range(axis, rank) ? normalize_axis(axis, rank) : rank;
  for (size_t i = 1; i < ts.size(); ++i) {
    for (uint32_t d = 0; d < rank && d < ts[i].rank; ++d) {
      if (d == joined || ts[i].dims[d] == ts[0].dims[d]) continue;
      return fail(why, input_label(call, position_of(args[0], i)) + " " + format_shape(ts[i]) + " and " +
                           input_label(call, position_of(args[0], 0)) + " " + format_shape(ts[0]) +
                           " differ in dimension " + std::to_string(d) + ", but only axis " + std::to_string(joined) +
                           " (" + attr_label(call, args[1]) + ") may");
    }
  }
  return true;
}

bool slice_lengths_match(const CallView& call, std::span<const Arg> args, std::string* why) {
  size_t n = call.attr_ints(args[0]).size();
  for (size_t i = 1; i < 4; ++i) {
    size_t m = call.attr_ints(args[i]).size();
    bool optional = i >= 2;  // axes and steps may be empty
    if (m != n && !(optional && m == 0)) {
      return fail(why, attr_label(call, args[i]) + " has " + std::to_string(m) + " entries, but " +
                           attr_label(call, args[0]) + " has " + std::to_string(n));
    }
  }
  return true;
}

bool leading_axes_fit(const CallView& call, std::span<const Arg> args, std::string* why) {
  size_t n = call.attr_ints(args[0]).size();
  uint32_t rank = call.tensors(args[2])[0].rank;
  if (!call.attr_ints(args[1]).empty() || n <= rank) return true;
  return fail(why, attr_label(call, args[0]) + " has " + std::to_string(n) + " entries, but " +
                       input_label(call, position_of(args[2], 0)) + " has rank " + std::to_string(rank) + " and " +
                       attr_label(call, args[1]) + " is empty");
}

bool all_non_zero(const CallView& call, std::span<const Arg> args, std::string* why) {
  std::span<const int64_t> values = call.attr_ints(args[0]);
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i] == 0) {
      return fail(why, attr_label(call, args[0]) + " " + format_ints(values) + " has 0 at index " + std::to_string(i));
    }
  }
  return true;
}

bool dims_non_negative(const CallView& call, std::span<const Arg> args, std::string* why) {
  std::span<const int64_t> dims = call.attr_ints(args[0]);
  if (dims.size() > KEEL_MAX_RANK) {
    return fail(why, attr_label(call, args[0]) + " has " + std::to_string(dims.size()) +
                         " entries; tensors have at most " + std::to_string(KEEL_MAX_RANK) + " dimensions");
  }
  for (size_t i = 0; i < dims.size(); ++i) {
    if (dims[i] < 0) {
      return fail(why, attr_label(call, args[0]) + " " + format_ints(dims) + " has " + std::to_string(dims[i]) +
                           " at index " + std::to_string(i));
    }
  }
  return true;
}

bool attr_non_zero(const CallView& call, std::span<const Arg> args, std::string* why) {
  if (call.attr_float(args[0]) != 0.0) return true;
  return fail(why, attr_label(call, args[0]) + " is 0");
}

bool arange_size_valid(const CallView& call, std::span<const Arg> args, std::string* why) {
  double start = call.attr_float(args[0]);
  double limit = call.attr_float(args[1]);
  double delta = call.attr_float(args[2]);
  if (shape_rules::arange_length(start, limit, delta) >= 0) return true;
  return fail(why, "from " + format_number(start) + " to " + format_number(limit) + " by " + format_number(delta) +
                       " gives " + format_number(std::ceil((limit - start) / delta)) +
                       " elements; the count must be finite and below 2^31");
}

bool integer_needs_rounding(const CallView& call, std::span<const Arg> args, std::string* why) {
  const TensorMeta& t = call.tensors(args[0])[0];
  const AttrSchema& attr = call.op().attrs[args[1].index];
  if (!is_integer_dtype(t.dtype) || call.attr_int(args[1]) != enum_index(attr, "none")) return true;
  return fail(why, input_label(call, position_of(args[0], 0)) + " is " + dtype_name(t.dtype) + ", so " +
                       attr_label(call, args[1]) + " must not be none");
}

bool dtype_attr_allowed(const CallView& call, std::span<const Arg> args, std::string* why) {
  const AttrSchema& attr = call.op().attrs[args[0].index];
  const TypeVar& var = call.op().type_vars[attr.type_var];
  auto dtype = static_cast<keel_dtype_t>(call.attr_int(args[0]));
  for (size_t i = 0; i < var.dtype_count; ++i) {
    if (var.dtypes[i] == dtype) return true;
  }
  return fail(why, attr_label(call, args[0]) + " is " + dtype_name(dtype) + " (" + std::to_string(dtype) + "); " +
                       var.name + " allows " + format_dtypes(var));
}

}  // namespace keel::spec::predicates
