#include "spec/domains.h"

#include <limits>

#include "spec/axes.h"

namespace keel::spec {

bool ValueRange::empty() const {
  if (lo > hi) return true;
  return lo == hi && (lo_open || hi_open || (exclude_zero && lo == 0));
}

namespace domains {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

ValueRange real(double lo, double hi, bool lo_open, bool hi_open) {
  return {lo, hi, lo_open, hi_open, /*exclude_zero=*/false, /*integral=*/false, /*special_values=*/false};
}

// The integers first .. last (empty when last < first).
ValueRange integers(int64_t first, int64_t last) {
  return {static_cast<double>(first), static_cast<double>(last), false, false, false, /*integral=*/true, false};
}

// The size of `x`'s axis named by args[axis_arg] (negative counts from the back).
int64_t axis_size(const CallView& call, std::span<const Arg> args) {
  const TensorMeta& x = call.tensors(args[0])[0];
  int64_t axis = call.attr_int(args[1]);
  if (!axis_in_range(axis, x.rank)) return 0;
  return x.dims[normalize_axis(axis, x.rank)];
}

// The axis of `x` that entry `element` of an index tuple (the input's last axis) addresses.
int64_t nd_axis_size(const CallView& call, std::span<const Arg> args, size_t input, int64_t element) {
  const TensorMeta& indices = call.input(input);
  const TensorMeta& x = call.tensors(args[0])[0];
  int64_t k = indices.rank ? indices.dims[indices.rank - 1] : 0;
  if (k <= 0) return 0;
  int64_t axis = call.attr_int(args[1]) + element % k;
  return axis >= 0 && axis < static_cast<int64_t>(x.rank) ? x.dims[axis] : 0;
}

}  // namespace

ValueRange any(const CallView&, std::span<const Arg>, size_t, int64_t) {
  return {-kInf, kInf, false, false, false, false, /*special_values=*/true};
}
ValueRange finite(const CallView&, std::span<const Arg>, size_t, int64_t) { return real(-kInf, kInf, true, true); }
ValueRange positive(const CallView&, std::span<const Arg>, size_t, int64_t) { return real(0, kInf, true, true); }
ValueRange non_negative(const CallView&, std::span<const Arg>, size_t, int64_t) { return real(0, kInf, false, true); }
ValueRange nonzero(const CallView&, std::span<const Arg>, size_t, int64_t) {
  ValueRange r = real(-kInf, kInf, true, true);
  r.exclude_zero = true;
  return r;
}
ValueRange unit_interval(const CallView&, std::span<const Arg>, size_t, int64_t) { return real(0, 1, true, true); }
ValueRange probability(const CallView&, std::span<const Arg>, size_t, int64_t) { return real(0, 1, false, false); }

ValueRange index(const CallView& call, std::span<const Arg> args, size_t, int64_t) {
  return integers(0, axis_size(call, args) - 1);
}

ValueRange signed_index(const CallView& call, std::span<const Arg> args, size_t, int64_t) {
  int64_t d = axis_size(call, args);
  return integers(-d, d - 1);
}

ValueRange below(const CallView& call, std::span<const Arg> args, size_t, int64_t) {
  return integers(0, call.attr_int(args[0]) - 1);
}

ValueRange signed_below(const CallView& call, std::span<const Arg> args, size_t, int64_t) {
  int64_t n = call.attr_int(args[0]);
  return integers(-n, n - 1);
}

ValueRange nd_index(const CallView& call, std::span<const Arg> args, size_t input, int64_t element) {
  return integers(0, nd_axis_size(call, args, input, element) - 1);
}

ValueRange signed_nd_index(const CallView& call, std::span<const Arg> args, size_t input, int64_t element) {
  int64_t d = nd_axis_size(call, args, input, element);
  return integers(-d, d - 1);
}

ValueRange flat_index(const CallView& call, std::span<const Arg> args, size_t, int64_t) {
  const TensorMeta& x = call.tensors(args[0])[0];
  int64_t count = 1;
  for (int64_t a = call.attr_int(args[1]); a >= 0 && a < static_cast<int64_t>(x.rank); ++a) count *= x.dims[a];
  return integers(0, count - 1);
}

}  // namespace domains
}  // namespace keel::spec
