// Predicates on attribute values alone (and list lengths against a tensor's rank).
#include <cmath>

#include "spec/predicate_text.h"
#include "spec/predicates.h"

namespace keel::spec::predicates {
namespace {

// Entries of a list attribute, ints or floats.
size_t list_size(const CallView& call, const Arg& arg) {
  return call.attr_ints(arg).size() + call.attr_floats(arg).size();
}

}  // namespace

bool ints_at_least(const CallView& call, std::span<const Arg> args, std::string* why) {
  std::span<const int64_t> values = call.attr_ints(args[0]);
  int64_t low = call.attr_int(args[1]);
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i] < low) {
      return fail(why, attr_label(call, args[0]) + " " + format_ints(values) + " has " + std::to_string(values[i]) +
                           " at index " + std::to_string(i) + "; every entry must be >= " + std::to_string(low));
    }
  }
  return true;
}

bool int_at_least(const CallView& call, std::span<const Arg> args, std::string* why) {
  int64_t value = call.attr_int(args[0]);
  int64_t low = call.attr_int(args[1]);
  if (value >= low) return true;
  return fail(
      why, attr_label(call, args[0]) + " is " + std::to_string(value) + "; it must be >= " + int_label(call, args[1]));
}

bool int_between(const CallView& call, std::span<const Arg> args, std::string* why) {
  int64_t value = call.attr_int(args[0]);
  int64_t low = call.attr_int(args[1]);
  int64_t high = call.attr_int(args[2]);
  if (value >= low && value < high) return true;
  return fail(why, int_label(call, args[0]) + " must lie in [" + int_label(call, args[1]) + ", " +
                       int_label(call, args[2]) + ")");
}

bool float_at_least_zero(const CallView& call, std::span<const Arg> args, std::string* why) {
  double value = call.attr_float(args[0]);
  if (value >= 0 && std::isfinite(value)) return true;
  return fail(why, attr_label(call, args[0]) + " is " + format_number(value) + "; it must be finite and >= 0");
}

bool in_unit_interval(const CallView& call, std::span<const Arg> args, std::string* why) {
  double value = call.attr_float(args[0]);
  if (value >= 0 && value <= 1) return true;
  return fail(why, attr_label(call, args[0]) + " is " + format_number(value) + "; it must lie in [0, 1]");
}

bool float_range_valid(const CallView& call, std::span<const Arg> args, std::string* why) {
  double low = call.attr_float(args[0]);
  double high = call.attr_float(args[1]);
  if (std::isfinite(low) && std::isfinite(high) && std::isfinite(high - low) && low <= high) return true;
  return fail(why, attr_label(call, args[0]) + " " + format_number(low) + " and " + attr_label(call, args[1]) + " " +
                       format_number(high) + " must be finite with low <= high (and high - low finite)");
}

bool exactly_one_given(const CallView& call, std::span<const Arg> args, std::string* why) {
  bool a = list_size(call, args[0]) > 0;
  bool b = list_size(call, args[1]) > 0;
  if (a != b) return true;
  return fail(why, std::string(a ? "both " : "neither ") + attr_label(call, args[0]) + (a ? " and " : " nor ") +
                       attr_label(call, args[1]) + (a ? " are" : " is") + " set; exactly one must be");
}

bool list_length_is(const CallView& call, std::span<const Arg> args, std::string* why) {
  size_t n = list_size(call, args[0]);
  const TensorMeta& x = call.tensors(args[1])[0];
  int64_t factor = call.attr_int(args[2]);
  if (static_cast<int64_t>(n) == factor * x.rank) return true;
  return fail(why, attr_label(call, args[0]) + " has " + std::to_string(n) + " entries; " +
                       tensor_label(call, args[1]) + " needs " + std::to_string(factor * x.rank));
}

bool spatial_list_length(const CallView& call, std::span<const Arg> args, std::string* why) {
  size_t n = list_size(call, args[0]);
  const TensorMeta& x = call.tensors(args[1])[0];
  int64_t factor = call.attr_int(args[2]);
  int64_t spatial = x.rank >= 2 ? x.rank - 2 : 0;
  if (n == 0 || static_cast<int64_t>(n) == factor * spatial) return true;
  return fail(why, attr_label(call, args[0]) + " has " + std::to_string(n) + " entries; " +
                       tensor_label(call, args[1]) + " with " + std::to_string(spatial) + " spatial axes needs " +
                       std::to_string(factor * spatial) + " (or none, for the default)");
}

bool kernel_shape_length(const CallView& call, std::span<const Arg> args, std::string* why) {
  std::span<const int64_t> kernel = call.attr_ints(args[0]);
  const TensorMeta& x = call.tensors(args[1])[0];
  size_t spatial = x.rank >= 2 ? x.rank - 2 : 0;
  if (kernel.size() == spatial) return true;
  return fail(why, attr_label(call, args[0]) + " " + format_ints(kernel) + " has " + std::to_string(kernel.size()) +
                       " entries; " + tensor_label(call, args[1]) + " has " + std::to_string(spatial) +
                       " spatial axes");
}

}  // namespace keel::spec::predicates
