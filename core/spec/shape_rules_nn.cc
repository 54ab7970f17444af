// Shape rules of the neural-network operators: convolution, pooling, resampling, normalization, gemm,
// losses, reductions along one axis.
#include <algorithm>
#include <cmath>

#include "spec/axes.h"
#include "spec/shape_rules.h"
#include "spec/spatial.h"

namespace keel::spec::shape_rules {
namespace {

void set_shape(TensorMeta* out, std::span<const int64_t> dims) {
  out->rank = static_cast<uint32_t>(std::min<size_t>(dims.size(), KEEL_MAX_RANK));
  std::copy_n(dims.begin(), out->rank, out->dims);
}

// The spatial outputs of a convolution or pooling of x into out->dims[2..].
void spatial(const TensorMeta& x, std::span<const int64_t> kernel, std::span<const int64_t> strides,
             std::span<const int64_t> pads, std::span<const int64_t> dilations, bool ceil_mode, TensorMeta* out) {
  uint32_t k = x.rank - 2;
  for (uint32_t i = 0; i < k; ++i) {
    out->dims[2 + i] = pool_output_size(x.dims[2 + i], window_of(kernel[i], strides, pads, dilations, i, k), ceil_mode);
  }
}

}  // namespace

void reduce_axis(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> outs) {
  const TensorMeta& x = call.tensors(args[0])[0];
  uint32_t axis = normalize_axis(call.attr_int(args[1]), x.rank);
  bool keepdims = call.attr_int(args[2]) != 0;
  TensorMeta* out = &outs[0];
  for (uint32_t i = 0; i < x.rank; ++i) {
    if (i != axis) {
      out->dims[out->rank++] = x.dims[i];
    } else if (keepdims) {
      out->dims[out->rank++] = 1;
    }
  }
}

void topk(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> outs) {
  const TensorMeta& x = call.tensors(args[0])[0];
  set_shape(&outs[0], x.shape());
  outs[0].dims[normalize_axis(call.attr_int(args[2]), x.rank)] = call.attr_int(args[1]);
}

void gemm(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> outs) {
  const TensorMeta& a = call.tensors(args[0])[0];
  const TensorMeta& b = call.tensors(args[1])[0];
  bool trans_a = call.attr_int(args[2]) != 0;
  bool trans_b = call.attr_int(args[3]) != 0;
  outs[0].rank = 2;
  outs[0].dims[0] = a.dims[trans_a ? 1 : 0];
  outs[0].dims[1] = b.dims[trans_b ? 0 : 1];
}

void conv(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> outs) {
  const TensorMeta& x = call.tensors(args[0])[0];
  const TensorMeta& w = call.tensors(args[1])[0];
  TensorMeta* out = &outs[0];
  out->rank = x.rank;
  out->dims[0] = x.dims[0];
  out->dims[1] = w.dims[0];
  spatial(x, w.shape().subspan(2), call.attr_ints(args[2]), call.attr_ints(args[3]), call.attr_ints(args[4]), false,
          out);
}

void conv_transpose(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> outs) {
  const TensorMeta& x = call.tensors(args[0])[0];
  const TensorMeta& w = call.tensors(args[1])[0];
  std::span<const int64_t> output_padding = call.attr_ints(args[5]);
  TensorMeta* out = &outs[0];
  out->rank = x.rank;
  out->dims[0] = x.dims[0];
  out->dims[1] = w.dims[1] * call.attr_int(args[6]);
  uint32_t k = x.rank - 2;
  for (uint32_t i = 0; i < k; ++i) {
    Window win =
        window_of(w.dims[2 + i], call.attr_ints(args[2]), call.attr_ints(args[3]), call.attr_ints(args[4]), i, k);
    out->dims[2 + i] = conv_transpose_output_size(x.dims[2 + i], win, output_padding.empty() ? 0 : output_padding[i]);
  }
}

void pool(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> outs) {
  const TensorMeta& x = call.tensors(args[0])[0];
  TensorMeta* out = &outs[0];
  out->rank = x.rank;
  out->dims[0] = x.dims[0];
  out->dims[1] = x.dims[1];
  spatial(x, call.attr_ints(args[1]), call.attr_ints(args[2]), call.attr_ints(args[3]), call.attr_ints(args[4]),
          call.attr_int(args[5]) != 0, out);
}

void resize(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> outs) {
  const TensorMeta& x = call.tensors(args[0])[0];
  std::span<const double> scales = call.attr_floats(args[1]);
  std::span<const int64_t> sizes = call.attr_ints(args[2]);
  TensorMeta* out = &outs[0];
  out->rank = x.rank;
  for (uint32_t i = 0; i < x.rank; ++i) {
    out->dims[i] =
        scales.empty() ? sizes[i] : static_cast<int64_t>(std::floor(static_cast<double>(x.dims[i]) * scales[i]));
  }
}

void pad(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> outs) {
  const TensorMeta& x = call.tensors(args[0])[0];
  std::span<const int64_t> pads = call.attr_ints(args[1]);
  set_shape(&outs[0], x.shape());
  for (uint32_t i = 0; i < x.rank; ++i) outs[0].dims[i] += pads[i] + pads[x.rank + i];
}

void loss(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> outs) {
  const AttrSchema& reduction = call.op().attrs[args[1].index];
  bool unreduced = std::string_view(reduction.enum_values[call.attr_int(args[1])]) == "none";
  if (unreduced) set_shape(&outs[0], call.tensors(args[0])[0].shape());
}

void dim_vector(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> outs) {
  const TensorMeta& x = call.tensors(args[0])[0];
  outs[0].rank = 1;
  outs[0].dims[0] = x.dims[normalize_axis(call.attr_int(args[1]), x.rank)];
}

void keep_leading(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> outs) {
  const TensorMeta& x = call.tensors(args[0])[0];
  uint32_t axis = normalize_axis(call.attr_int(args[1]), x.rank);
  set_shape(&outs[0], x.shape());
  for (uint32_t i = axis; i < x.rank; ++i) outs[0].dims[i] = 1;
}

void trailing(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> outs) {
  const TensorMeta& x = call.tensors(args[0])[0];
  set_shape(&outs[0], x.shape().subspan(normalize_axis(call.attr_int(args[1]), x.rank)));
}

void group_stats(const CallView& call, std::span<const Arg> args, std::span<TensorMeta> outs) {
  outs[0].rank = 2;
  outs[0].dims[0] = call.tensors(args[0])[0].dims[0];
  outs[0].dims[1] = call.attr_int(args[1]);
}

}  // namespace keel::spec::shape_rules
