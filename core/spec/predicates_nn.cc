// Predicates of the neural-network operators: convolution, pooling, resampling, normalization, gemm, losses.
#include <algorithm>
#include <cmath>

#include "spec/axes.h"
#include "spec/predicate_text.h"
#include "spec/predicates.h"
#include "spec/spatial.h"

namespace keel::spec::predicates {
namespace {

uint32_t spatial_rank(const TensorMeta& x) { return x.rank >= 2 ? x.rank - 2 : 0; }

// Writes the output size of every spatial axis of a convolution or pooling of `x` into out[2..]; false (with
// the axis in *bad) when one is below 1 or overflows.
bool spatial_outputs(const TensorMeta& x, std::span<const int64_t> kernel, std::span<const int64_t> strides,
                     std::span<const int64_t> pads, std::span<const int64_t> dilations, bool ceil_mode, int64_t* out,
                     uint32_t* bad) {
  uint32_t k = spatial_rank(x);
  for (uint32_t i = 0; i < k; ++i) {
    Window w = window_of(kernel[i], strides, pads, dilations, i, k);
    out[2 + i] = pool_output_size(x.dims[2 + i], w, ceil_mode);
    if (out[2 + i] < 1) {
      *bad = i;
      return false;
    }
  }
  return true;
}

std::string window_text(const Window& w) {
  return "kernel " + std::to_string(w.kernel) + ", stride " + std::to_string(w.stride) + ", dilation " +
         std::to_string(w.dilation) + ", pads " + std::to_string(w.pad_begin) + "+" + std::to_string(w.pad_end);
}

// The spatial kernel of a weight tensor: its dimensions from 2 on.
std::span<const int64_t> kernel_of(const TensorMeta& w) { return w.shape().subspan(w.rank >= 2 ? 2 : w.rank); }

bool shapes_equal(std::span<const int64_t> a, std::span<const int64_t> b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

// gemm: the [rows, cols] of op(t) for a 2-D t.
void gemm_operand(const TensorMeta& t, bool transposed, int64_t* rows, int64_t* cols) {
  *rows = t.dims[transposed ? 1 : 0];
  *cols = t.dims[transposed ? 0 : 1];
}

}  // namespace

bool rank_in_range(const CallView& call, std::span<const Arg> args, std::string* why) {
  const TensorMeta& x = call.tensors(args[0])[0];
  int64_t low = call.attr_int(args[1]);
  int64_t high = call.attr_int(args[2]);
  if (x.rank >= low && x.rank <= high) return true;
  return fail(why, tensor_label(call, args[0]) + " has rank " + std::to_string(x.rank) + "; it needs rank " +
                       std::to_string(low) + (low == high ? "" : " to " + std::to_string(high)));
}

bool conv_channels_match(const CallView& call, std::span<const Arg> args, std::string* why) {
  const TensorMeta& x = call.tensors(args[0])[0];
  const TensorMeta& w = call.tensors(args[1])[0];
  int64_t groups = call.attr_int(args[2]);
  if (w.dims[0] % groups != 0) {
    return fail(why, tensor_label(call, args[1]) + " has " + std::to_string(w.dims[0]) + " output channels, which " +
                         int_label(call, args[2]) + " does not divide");
  }
  int64_t channels;
  if (!__builtin_mul_overflow(w.dims[1], groups, &channels) && x.dims[1] == channels) return true;
  return fail(why, tensor_label(call, args[0]) + " has " + std::to_string(x.dims[1]) + " channels, but " +
                       tensor_label(call, args[1]) + " expects " + std::to_string(w.dims[1]) + " per group × " +
                       int_label(call, args[2]));
}

bool conv_transpose_channels_match(const CallView& call, std::span<const Arg> args, std::string* why) {
  const TensorMeta& x = call.tensors(args[0])[0];
  const TensorMeta& w = call.tensors(args[1])[0];
  int64_t groups = call.attr_int(args[2]);
  if (x.dims[1] != w.dims[0]) {
    return fail(why, tensor_label(call, args[0]) + " has " + std::to_string(x.dims[1]) + " channels, but " +
                         tensor_label(call, args[1]) + " has " + std::to_string(w.dims[0]) + " input channels");
  }
  int64_t outputs;
  if (w.dims[0] % groups == 0 && !__builtin_mul_overflow(w.dims[1], groups, &outputs)) return true;
  return fail(why, tensor_label(call, args[1]) + " has " + std::to_string(w.dims[0]) + " input channels, which " +
                       int_label(call, args[2]) + " does not divide (or the output channels overflow)");
}

bool is_vector_of(const CallView& call, std::span<const Arg> args, std::string* why) {
  const TensorMeta& v = call.tensors(args[0])[0];
  const TensorMeta& x = call.tensors(args[1])[0];
  int64_t axis = call.attr_int(args[2]);
  int64_t size = keel::spec::axis_in_range(axis, x.rank) ? x.dims[normalize_axis(axis, x.rank)] : -1;
  if (v.rank == 1 && v.dims[0] == size) return true;
  return fail(why, tensor_label(call, args[0]) + " must be 1-D of size " + std::to_string(size) + " (axis " +
                       std::to_string(axis) + " of " + tensor_label(call, args[1]) + ")");
}

bool is_vector_of_scaled(const CallView& call, std::span<const Arg> args, std::string* why) {
  const TensorMeta& v = call.tensors(args[0])[0];
  const TensorMeta& x = call.tensors(args[1])[0];
  int64_t axis = call.attr_int(args[2]);
  int64_t size = keel::spec::axis_in_range(axis, x.rank) ? x.dims[normalize_axis(axis, x.rank)] : -1;
  int64_t scaled = size * call.attr_int(args[3]);
  if (v.rank == 1 && v.dims[0] == scaled) return true;
  return fail(why, tensor_label(call, args[0]) + " must be 1-D of size " + std::to_string(scaled) + " (axis " +
                       std::to_string(axis) + " of " + tensor_label(call, args[1]) + " times " +
                       int_label(call, args[3]) + ")");
}

bool spatial_dims_positive(const CallView& call, std::span<const Arg> args, std::string* why) {
  const TensorMeta& w = call.tensors(args[0])[0];
  for (int64_t d : kernel_of(w)) {
    if (d < 1) return fail(why, tensor_label(call, args[0]) + " has an empty spatial (kernel) dimension");
  }
  return true;
}

bool conv_output_positive(const CallView& call, std::span<const Arg> args, std::string* why) {
  const TensorMeta& x = call.tensors(args[0])[0];
  const TensorMeta& w = call.tensors(args[1])[0];
  int64_t out[KEEL_MAX_RANK];
  uint32_t bad = 0;
  std::span<const int64_t> strides = call.attr_ints(args[2]);
  std::span<const int64_t> pads = call.attr_ints(args[3]);
  std::span<const int64_t> dilations = call.attr_ints(args[4]);
  if (spatial_outputs(x, kernel_of(w), strides, pads, dilations, false, out, &bad)) return true;
  Window win = window_of(kernel_of(w)[bad], strides, pads, dilations, bad, spatial_rank(x));
  return fail(why, "spatial axis " + std::to_string(bad) + " of " + tensor_label(call, args[0]) +
                       " gives no output position (" + window_text(win) + "): the padded input is shorter than " +
                       "the dilated kernel");
}

bool conv_transpose_output_positive(const CallView& call, std::span<const Arg> args, std::string* why) {
  const TensorMeta& x = call.tensors(args[0])[0];
  const TensorMeta& w = call.tensors(args[1])[0];
  std::span<const int64_t> strides = call.attr_ints(args[2]);
  std::span<const int64_t> pads = call.attr_ints(args[3]);
  std::span<const int64_t> dilations = call.attr_ints(args[4]);
  std::span<const int64_t> output_padding = call.attr_ints(args[5]);
  uint32_t k = spatial_rank(x);
  for (uint32_t i = 0; i < k; ++i) {
    Window win = window_of(w.dims[2 + i], strides, pads, dilations, i, k);
    int64_t extra = output_padding.empty() ? 0 : output_padding[i];
    if (conv_transpose_output_size(x.dims[2 + i], win, extra) >= 1) continue;
    return fail(why, "spatial axis " + std::to_string(i) + " of " + tensor_label(call, args[0]) +
                         " gives an output size below 1 (" + window_text(win) + ", output_padding " +
                         std::to_string(extra) + ")");
  }
  return true;
}

bool output_padding_below_stride(const CallView& call, std::span<const Arg> args, std::string* why) {
  std::span<const int64_t> output_padding = call.attr_ints(args[0]);
  std::span<const int64_t> strides = call.attr_ints(args[1]);
  for (size_t i = 0; i < output_padding.size(); ++i) {
    int64_t stride = strides.empty() ? 1 : strides[i];
    if (output_padding[i] < 0 || output_padding[i] >= stride) {
      return fail(why, attr_label(call, args[0]) + " " + format_ints(output_padding) + " has " +
                           std::to_string(output_padding[i]) + " at index " + std::to_string(i) +
                           "; it must lie in [0, stride) with stride " + std::to_string(stride));
    }
  }
  return true;
}

bool pool_output_positive(const CallView& call, std::span<const Arg> args, std::string* why) {
  const TensorMeta& x = call.tensors(args[0])[0];
  std::span<const int64_t> kernel = call.attr_ints(args[1]);
  std::span<const int64_t> strides = call.attr_ints(args[2]);
  std::span<const int64_t> pads = call.attr_ints(args[3]);
  std::span<const int64_t> dilations = call.attr_ints(args[4]);
  bool ceil_mode = call.attr_int(args[5]) != 0;
  int64_t out[KEEL_MAX_RANK];
  uint32_t bad = 0;
  if (spatial_outputs(x, kernel, strides, pads, dilations, ceil_mode, out, &bad)) return true;
  Window win = window_of(kernel[bad], strides, pads, dilations, bad, spatial_rank(x));
  return fail(why, "spatial axis " + std::to_string(bad) + " of " + tensor_label(call, args[0]) +
                       " gives no output position (" + window_text(win) + ")");
}

bool conv_grad_matches(const CallView& call, std::span<const Arg> args, std::string* why) {
  const TensorMeta& dy = call.tensors(args[0])[0];
  const TensorMeta& x = call.tensors(args[1])[0];
  const TensorMeta& w = call.tensors(args[2])[0];
  int64_t expected[KEEL_MAX_RANK] = {x.dims[0], w.dims[0]};
  uint32_t bad = 0;
  spatial_outputs(x, kernel_of(w), call.attr_ints(args[3]), call.attr_ints(args[4]), call.attr_ints(args[5]), false,
                  expected, &bad);
  if (shapes_equal(dy.shape(), {expected, x.rank})) return true;
  return fail(why, tensor_label(call, args[0]) + " is not the shape of the convolution's output, " +
                       format_ints({expected, x.rank}));
}

bool pool_grad_matches(const CallView& call, std::span<const Arg> args, std::string* why) {
  const TensorMeta& dy = call.tensors(args[0])[0];
  const TensorMeta& x = call.tensors(args[1])[0];
  int64_t expected[KEEL_MAX_RANK] = {x.dims[0], x.dims[1]};
  uint32_t bad = 0;
  spatial_outputs(x, call.attr_ints(args[2]), call.attr_ints(args[3]), call.attr_ints(args[4]), call.attr_ints(args[5]),
                  call.attr_int(args[6]) != 0, expected, &bad);
  if (shapes_equal(dy.shape(), {expected, x.rank})) return true;
  return fail(why, tensor_label(call, args[0]) + " is not the shape of the pooling's output, " +
                       format_ints({expected, x.rank}));
}

bool same_batch_and_channels(const CallView& call, std::span<const Arg> args, std::string* why) {
  const TensorMeta& a = call.tensors(args[0])[0];
  const TensorMeta& b = call.tensors(args[1])[0];
  if (a.rank == b.rank && a.dims[0] == b.dims[0] && a.dims[1] == b.dims[1]) return true;
  return fail(why, tensor_label(call, args[0]) + " and " + tensor_label(call, args[1]) +
                       " must have the same rank, batch size and channels");
}

bool resize_target_valid(const CallView& call, std::span<const Arg> args, std::string* why) {
  const TensorMeta& x = call.tensors(args[0])[0];
  std::span<const double> scales = call.attr_floats(args[1]);
  std::span<const int64_t> sizes = call.attr_ints(args[2]);
  const Arg& given = scales.empty() ? args[2] : args[1];
  size_t n = scales.empty() ? sizes.size() : scales.size();
  if (n != x.rank) {
    return fail(why, attr_label(call, given) + " has " + std::to_string(n) + " entries; " +
                         tensor_label(call, args[0]) + " has rank " + std::to_string(x.rank));
  }
  for (uint32_t i = 0; i < x.rank; ++i) {
    if (!scales.empty()) {
      double out = std::floor(static_cast<double>(x.dims[i]) * scales[i]);
      if (!(scales[i] > 0) || !std::isfinite(scales[i]) || !(out < 9.0e15)) {
        return fail(why, attr_label(call, args[1]) + " entry " + format_number(scales[i]) + " at index " +
                             std::to_string(i) + " must be finite and > 0 with a representable output size");
      }
    } else if (sizes[i] < 0 || (x.dims[i] == 0 && sizes[i] != 0)) {
      return fail(why, attr_label(call, args[2]) + " " + format_ints(sizes) + " has " + std::to_string(sizes[i]) +
                           " at index " + std::to_string(i) + "; sizes are >= 0, and 0 where " +
                           tensor_label(call, args[0]) + " is empty");
    }
  }
  return true;
}

bool pad_mode_fits(const CallView& call, std::span<const Arg> args, std::string* why) {
  const TensorMeta& x = call.tensors(args[0])[0];
  std::span<const int64_t> pads = call.attr_ints(args[1]);
  const AttrSchema& mode_attr = call.op().attrs[args[2].index];
  std::string_view mode = mode_attr.enum_values[call.attr_int(args[2])];
  for (uint32_t i = 0; i < x.rank; ++i) {
    int64_t begin = pads[i];
    int64_t end = pads[x.rank + i];
    int64_t d = x.dims[i];
    bool ok = mode == "reflect" ? begin < std::max<int64_t>(d, 1) && end < std::max<int64_t>(d, 1)
              : mode == "edge"  ? d > 0 || (begin == 0 && end == 0)
                                : true;
    if (!ok) {
      return fail(why, "axis " + std::to_string(i) + " of " + tensor_label(call, args[0]) + " cannot be padded by " +
                           std::to_string(begin) + "+" + std::to_string(end) + " in mode " + std::string(mode) +
                           (mode == "reflect" ? " (each pad must be below the dimension)" : " (the axis is empty)"));
    }
  }
  return true;
}

bool gemm_inner_match(const CallView& call, std::span<const Arg> args, std::string* why) {
  int64_t m, ka, kb, n;
  gemm_operand(call.tensors(args[0])[0], call.attr_int(args[2]) != 0, &m, &ka);
  gemm_operand(call.tensors(args[1])[0], call.attr_int(args[3]) != 0, &kb, &n);
  if (ka == kb) return true;
  return fail(why, tensor_label(call, args[0]) + " and " + tensor_label(call, args[1]) +
                       " do not contract: op(a) has " + std::to_string(ka) + " columns, op(b) " + std::to_string(kb) +
                       " rows");
}

bool gemm_c_broadcastable(const CallView& call, std::span<const Arg> args, std::string* why) {
  const TensorMeta& c = call.tensors(args[0])[0];
  int64_t m, k, k2, n;
  gemm_operand(call.tensors(args[1])[0], call.attr_int(args[3]) != 0, &m, &k);
  gemm_operand(call.tensors(args[2])[0], call.attr_int(args[4]) != 0, &k2, &n);
  const int64_t target[2] = {m, n};
  bool ok = c.rank <= 2;
  for (uint32_t i = 0; ok && i < c.rank; ++i) {
    int64_t d = c.dims[c.rank - 1 - i];
    ok = d == 1 || d == target[1 - i];
  }
  if (ok) return true;
  return fail(why, tensor_label(call, args[0]) + " does not broadcast to the product's shape " + format_ints(target));
}

bool unidirectional_broadcastable(const CallView& call, std::span<const Arg> args, std::string* why) {
  const TensorMeta& v = call.tensors(args[0])[0];
  const TensorMeta& x = call.tensors(args[1])[0];
  bool ok = v.rank <= x.rank;
  for (uint32_t i = 1; ok && i <= v.rank; ++i) {
    int64_t d = v.dims[v.rank - i];
    ok = d == 1 || d == x.dims[x.rank - i];
  }
  if (ok) return true;
  return fail(why, tensor_label(call, args[0]) + " does not broadcast to the shape of " + tensor_label(call, args[1]));
}

bool trailing_shape_matches(const CallView& call, std::span<const Arg> args, std::string* why) {
  const TensorMeta& v = call.tensors(args[0])[0];
  const TensorMeta& x = call.tensors(args[1])[0];
  uint32_t axis = normalize_axis(call.attr_int(args[2]), x.rank);
  if (shapes_equal(v.shape(), x.shape().subspan(axis))) return true;
  return fail(why, tensor_label(call, args[0]) + " must have the shape " + format_ints(x.shape().subspan(axis)) +
                       " (the axes of " + tensor_label(call, args[1]) + " from " + std::to_string(axis) + " on)");
}

bool reduced_shape_matches(const CallView& call, std::span<const Arg> args, std::string* why) {
  const TensorMeta& s = call.tensors(args[0])[0];
  const TensorMeta& x = call.tensors(args[1])[0];
  uint32_t axis = normalize_axis(call.attr_int(args[2]), x.rank);
  int64_t expected[KEEL_MAX_RANK];
  for (uint32_t i = 0; i < x.rank; ++i) expected[i] = i < axis ? x.dims[i] : 1;
  if (shapes_equal(s.shape(), {expected, x.rank})) return true;
  return fail(why, tensor_label(call, args[0]) + " must have the shape " + format_ints({expected, x.rank}));
}

bool channels_divisible(const CallView& call, std::span<const Arg> args, std::string* why) {
  const TensorMeta& x = call.tensors(args[0])[0];
  int64_t groups = call.attr_int(args[1]);
  if (x.dims[1] % groups == 0) return true;
  return fail(why, tensor_label(call, args[0]) + " has " + std::to_string(x.dims[1]) + " channels, which " +
                       int_label(call, args[1]) + " does not divide");
}

bool group_stats_shape(const CallView& call, std::span<const Arg> args, std::string* why) {
  const TensorMeta& s = call.tensors(args[0])[0];
  const TensorMeta& x = call.tensors(args[1])[0];
  const int64_t expected[2] = {x.dims[0], call.attr_int(args[2])};
  if (shapes_equal(s.shape(), expected)) return true;
  return fail(why, tensor_label(call, args[0]) + " must have the shape " + format_ints(expected));
}

bool elements_per_channel_non_zero(const CallView& call, std::span<const Arg> args, std::string* why) {
  const TensorMeta& x = call.tensors(args[0])[0];
  for (uint32_t i = 0; i < x.rank; ++i) {
    if (i != 1 && x.dims[i] == 0) {
      return fail(why, tensor_label(call, args[0]) + " has no elements per channel (axis " + std::to_string(i) +
                           " is empty), so its batch statistics are undefined");
    }
  }
  return true;
}

bool shape_without_axis(const CallView& call, std::span<const Arg> args, std::string* why) {
  const TensorMeta& t = call.tensors(args[0])[0];
  const TensorMeta& x = call.tensors(args[1])[0];
  uint32_t axis = normalize_axis(call.attr_int(args[2]), x.rank);
  int64_t expected[KEEL_MAX_RANK];
  uint32_t n = 0;
  for (uint32_t i = 0; i < x.rank; ++i) {
    if (i != axis) expected[n++] = x.dims[i];
  }
  if (shapes_equal(t.shape(), {expected, n})) return true;
  return fail(why, tensor_label(call, args[0]) + " must have the shape " + format_ints({expected, n}) + " (" +
                       tensor_label(call, args[1]) + " without axis " + std::to_string(axis) + ")");
}

}  // namespace keel::spec::predicates
