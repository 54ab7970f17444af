// Convolutions (conv.yaml, training.yaml): conv (forward), conv_transpose (oneDNN's backward-data
// convolution) and conv_backward_weight (backward weights), for 1 to 3 spatial axes with strides, padding,
// dilation and groups, on oneDNN's convolution primitives.
//
// Layouts. Activations keep the caller's strides when oneDNN has a fast implementation for them (an NCHW-
// shaped tensor with channels-last strides runs brgconv directly); NCHW tensors go through oneDNN's blocked
// layout with a reorder on each side, which is faster than oneDNN's im2col-GEMM path for plain NCHW. Weights
// are reordered into the layout the primitive prefers on every call, since their values change between calls
// in training. Temporaries are per-thread scratch (bound_primitive.h).
//
// Mapping. Keel's dilation l is oneDNN's l - 1; pads are begins then ends, as oneDNN's padding_l/padding_r;
// groups become a leading group dimension of the weights ([G, M/G, C/G, K...] as a strided view of
// [M, C/G, K...]). conv_transpose is the adjoint of a conv whose input is y: oneDNN's backward-data
// convolution with the end padding reduced by output_padding; its optional bias is added afterwards.
//
// Declined: f64 (oneDNN has no f64 convolution) and f16 (no f16 convolution without AVX512-FP16).
#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <vector>
#include <oneapi/dnnl/dnnl.hpp>

#include "attrs.h"
#include "bound_primitive.h"
#include "copy.h"
#include "device.h"
#include "dnnl_util.h"
#include "dtype.h"
#include "elementwise.h"
#include "keel/keel_ops.h"
#include "kernels.h"
#include "queue.h"
#include "signature.h"
#include "tensor.h"

namespace keel::onednn {
namespace {

using dims = dnnl::memory::dims;

// conv's, conv_transpose's and conv_backward_weight's attributes (the first four fields are laid out alike).
struct ConvAttrs {
  dims strides, dilates, padding_l, padding_r;
  int64_t groups = 1;
};

template <class Attrs>
ConvAttrs conv_attrs(const void* raw, uint32_t spatial, std::span<const int64_t> output_padding = {}) {
  constexpr Attrs kDefaults = [] {
    Attrs a{};
    a.struct_size = sizeof(Attrs);
    a.groups = 1;
    return a;
  }();
  const Attrs a = read_attrs(raw, kDefaults, &Attrs::strides, &Attrs::strides_count, &Attrs::pads, &Attrs::pads_count,
                             &Attrs::dilations, &Attrs::dilations_count, &Attrs::groups);
  const auto strides = ints_of(a.strides, a.strides_count);
  const auto pads = ints_of(a.pads, a.pads_count);
  const auto dilations = ints_of(a.dilations, a.dilations_count);
  ConvAttrs c;
  c.groups = a.groups;
  for (uint32_t d = 0; d < spatial; ++d) {
    c.strides.push_back(strides.empty() ? 1 : strides[d]);
    c.dilates.push_back(dilations.empty() ? 0 : dilations[d] - 1);
    c.padding_l.push_back(pads.empty() ? 0 : pads[d]);
    c.padding_r.push_back((pads.empty() ? 0 : pads[spatial + d]) - (output_padding.empty() ? 0 : output_padding[d]));
  }
  return c;
}

template <class Attrs>
void conv_key(const void* raw, SignatureKey& key) {
  constexpr Attrs kDefaults = [] {
    Attrs a{};
    a.struct_size = sizeof(Attrs);
    a.groups = 1;
    return a;
  }();
  const Attrs a = read_attrs(raw, kDefaults, &Attrs::strides, &Attrs::strides_count, &Attrs::pads, &Attrs::pads_count,
                             &Attrs::dilations, &Attrs::dilations_count, &Attrs::groups);
  key.push_ints(a.strides, a.strides_count);
  key.push_ints(a.pads, a.pads_count);
  key.push_ints(a.dilations, a.dilations_count);
  key.push(a.groups);
}

std::span<const int64_t> output_padding_of(const void* raw) {
  using A = keel_conv_transpose_attrs_t;
  constexpr A kDefaults = KEEL_CONV_TRANSPOSE_ATTRS_INIT;
  const A a = read_attrs(raw, kDefaults, &A::output_padding, &A::output_padding_count);
  return ints_of(a.output_padding, a.output_padding_count);
}

void conv_transpose_key(const void* raw, SignatureKey& key) {
  conv_key<keel_conv_transpose_attrs_t>(raw, key);
  const auto padding = output_padding_of(raw);
  key.push_ints(padding.data(), padding.size());
}

// Weights [O, I/G, K...] as oneDNN's grouped [G, O/G, I/G, K...] (a strided view; no copy), or as they are
// for one group.
keel_tensor_desc_t grouped_weights(const keel_tensor_desc_t& w, int64_t groups) {
  if (groups == 1) return w;
  keel_tensor_desc_t g = w;
  g.rank = w.rank + 1;
  g.shape[0] = groups;
  g.strides[0] = w.strides[0] * (w.shape[0] / groups);
  g.shape[1] = w.shape[0] / groups;
  g.strides[1] = w.strides[0];
  for (uint32_t d = 1; d < w.rank; ++d) {
    g.shape[d + 1] = w.shape[d];
    g.strides[d + 1] = w.strides[d];
  }
  return g;
}

dnnl::memory::desc any_desc(const keel_tensor_desc_t& t) {
  return dnnl::memory::desc(dims(t.shape, t.shape + t.rank), *dnnl_type(t.dtype), dnnl::memory::format_tag::any);
}

// The oneDNN implementations worth using directly on the caller's layouts: not the generic reference code
// and not the im2col-GEMM path (slower than reordering into a blocked layout).
bool fast(const dnnl::primitive_desc_base& pd) {
  const std::string name = impl_name(pd);
  return !is_reference_impl(pd) && name.find("gemm") == std::string::npos;
}

bool has_bias(const CallInfo& call) {
  return call.input_count() > 2 && call.input(2).dtype != KEEL_DTYPE_INVALID;
}

// ---- taps in the padding -------------------------------------------------------------------------------------
//
// oneDNN skips the window taps that fall into the padding. The spec reads them as 0 and multiplies them like
// any other input, so an infinite or NaN factor on such a tap makes the sum NaN (0 * inf). The passes below
// restore that after the primitive has run; with no padding, or only finite factors, they change nothing.

bool has_padding(const ConvAttrs& a) {
  for (size_t d = 0; d < a.padding_l.size(); ++d) {
    if (a.padding_l[d] > 0 || a.padding_r[d] > 0) return true;
  }
  return false;
}

// Inf or NaN (conv's dtypes are f32 and bf16: an all-ones exponent).
bool non_finite_at(const keel_tensor_desc_t& t, const int64_t* index) {
  int64_t at = 0;
  for (uint32_t d = 0; d < t.rank; ++d) at += index[d] * t.strides[d];
  const std::byte* p = data_of(t) + at * static_cast<int64_t>(dtype_size(t.dtype));
  if (t.dtype == KEEL_DTYPE_BF16) {
    uint16_t bits;
    std::memcpy(&bits, p, sizeof bits);
    return (bits & 0x7f80u) == 0x7f80u;
  }
  uint32_t bits;
  std::memcpy(&bits, p, sizeof bits);
  return (bits & 0x7f800000u) == 0x7f800000u;
}

void store_nan(const keel_tensor_desc_t& t, const int64_t* index) {
  int64_t at = 0;
  for (uint32_t d = 0; d < t.rank; ++d) at += index[d] * t.strides[d];
  std::byte* p = data_of(t) + at * static_cast<int64_t>(dtype_size(t.dtype));
  if (t.dtype == KEEL_DTYPE_BF16) {
    const uint16_t nan = 0x7fc0u;
    std::memcpy(p, &nan, sizeof nan);
  } else {
    const uint32_t nan = 0x7fc00000u;
    std::memcpy(p, &nan, sizeof nan);
  }
}

// Calls f(index) for every multi-index below extents[0, rank), last dimension fastest.
template <class F>
void for_each_index(const int64_t* extents, uint32_t rank, F&& f) {
  int64_t count = 1;
  for (uint32_t d = 0; d < rank; ++d) count *= extents[d];
  int64_t index[KEEL_MAX_RANK] = {};
  for (int64_t n = 0; n < count; ++n) {
    f(static_cast<const int64_t*>(index));
    for (uint32_t d = rank; d-- > 0;) {
      if (++index[d] < extents[d]) break;
      index[d] = 0;
    }
  }
}

// Whether output position o's tap t reads the padding of an input with spatial sizes `input`.
bool in_padding(const ConvAttrs& a, const int64_t* input, const int64_t* o, const int64_t* t) {
  for (size_t d = 0; d < a.strides.size(); ++d) {
    const int64_t position = o[d] * a.strides[d] + t[d] * (a.dilates[d] + 1) - a.padding_l[d];
    if (position < 0 || position >= input[d]) return true;
  }
  return false;
}

// conv: y[n, m, o] is NaN when a non-finite w[m, c, t] meets the padding at o.
void nan_where_weights_meet_padding(const keel_kernel_call_t& call, const ConvAttrs& a) {
  const keel_tensor_desc_t& x = call.inputs[0];
  const keel_tensor_desc_t& w = call.inputs[1];
  const keel_tensor_desc_t& y = call.outputs[0];
  const uint32_t spatial = x.rank - 2;
  std::vector<std::array<int64_t, KEEL_MAX_RANK>> taps;  // of output channel m, with a non-finite weight
  for (int64_t m = 0; m < w.shape[0]; ++m) {
    taps.clear();
    for_each_index(w.shape + 2, spatial, [&](const int64_t* t) {
      std::array<int64_t, KEEL_MAX_RANK> index{m};
      std::copy(t, t + spatial, index.begin() + 2);
      for (index[1] = 0; index[1] < w.shape[1]; ++index[1]) {
        if (non_finite_at(w, index.data())) {
          taps.push_back(index);
          break;
        }
      }
    });
    if (taps.empty()) continue;
    for_each_index(y.shape + 2, spatial, [&](const int64_t* o) {
      bool hit = false;
      for (const auto& tap : taps) hit = hit || in_padding(a, x.shape + 2, o, tap.data() + 2);
      if (!hit) return;
      std::array<int64_t, KEEL_MAX_RANK> index{0, m};
      std::copy(o, o + spatial, index.begin() + 2);
      for (index[0] = 0; index[0] < y.shape[0]; ++index[0]) store_nan(y, index.data());
    });
  }
}

// conv_backward_weight: dw[m, c, t] is NaN (for every c) when a non-finite dy[n, m, o] meets the padding
// through tap t.
void nan_where_gradient_meets_padding(const keel_kernel_call_t& call, const ConvAttrs& a) {
  const keel_tensor_desc_t& dy = call.inputs[0];
  const keel_tensor_desc_t& x = call.inputs[1];
  const keel_tensor_desc_t& dw = call.outputs[0];
  const uint32_t spatial = x.rank - 2;
  int64_t tap_count = 1;
  for (uint32_t d = 0; d < spatial; ++d) tap_count *= dw.shape[2 + d];
  std::vector<bool> poisoned(static_cast<size_t>(tap_count));
  for (int64_t m = 0; m < dy.shape[1]; ++m) {
    std::fill(poisoned.begin(), poisoned.end(), false);
    bool any = false;
    std::array<int64_t, KEEL_MAX_RANK> index{0, m};
    for (index[0] = 0; index[0] < dy.shape[0]; ++index[0]) {
      for_each_index(dy.shape + 2, spatial, [&](const int64_t* o) {
        std::copy(o, o + spatial, index.begin() + 2);
        if (!non_finite_at(dy, index.data())) return;
        size_t n = 0;
        for_each_index(dw.shape + 2, spatial, [&](const int64_t* t) {
          if (in_padding(a, x.shape + 2, o, t)) poisoned[n] = any = true;
          ++n;
        });
      });
    }
    if (!any) continue;
    size_t n = 0;
    for_each_index(dw.shape + 2, spatial, [&](const int64_t* t) {
      if (poisoned[n++]) {
        std::array<int64_t, KEEL_MAX_RANK> at{m};
        std::copy(t, t + spatial, at.begin() + 2);
        for (at[1] = 0; at[1] < dw.shape[1]; ++at[1]) store_nan(dw, at.data());
      }
    });
  }
}

// ---- conv ---------------------------------------------------------------------------------------------------

dnnl::convolution_forward::primitive_desc forward_pd(const dnnl::engine& engine, dnnl::prop_kind prop,
                                                     const dnnl::memory::desc& src, const dnnl::memory::desc& weights,
                                                     const std::optional<dnnl::memory::desc>& bias,
                                                     const dnnl::memory::desc& dst, const ConvAttrs& a) {
  if (bias) {
    return {dnnl::convolution_forward::desc(prop, dnnl::algorithm::convolution_direct, src, weights, *bias, dst,
                                            a.strides, a.dilates, a.padding_l, a.padding_r),
            engine};
  }
  return {dnnl::convolution_forward::desc(prop, dnnl::algorithm::convolution_direct, src, weights, dst, a.strides,
                                          a.dilates, a.padding_l, a.padding_r),
          engine};
}

class ConvForward final : public Kernel {
 public:
  explicit ConvForward(const CallInfo& call) {
    const keel_tensor_desc_t& x = call.input(0);
    const keel_tensor_desc_t& y = call.output(0);
    const ConvAttrs a = conv_attrs<keel_conv_attrs_t>(call.attrs(), x.rank - 2);
    const keel_tensor_desc_t w = grouped_weights(call.input(1), a.groups);
    const dnnl::engine& engine = call.device().engine();
    // The bias always goes in as format `any` (dense), never with the caller's strides: oneDNN's convolution
    // implementations read it as a contiguous array whatever its descriptor says, so a strided bias would be
    // read from its gaps. BoundPrimitive packs it when the caller's view is not dense.
    std::optional<dnnl::memory::desc> bias;
    if (has_bias(call)) bias = any_desc(call.input(2));
    // The caller's layouts first (channels-last runs directly), else oneDNN's preferred (blocked) ones.
    std::optional<dnnl::convolution_forward::primitive_desc> pd;
    const std::optional<dnnl::memory::desc> src = desc_of(x);
    const std::optional<dnnl::memory::desc> dst = desc_of(y);
    if (src && dst) {
      pd = forward_pd(engine, dnnl::prop_kind::forward_inference, *src, any_desc(w), bias, *dst, a);
      if (!fast(*pd)) pd.reset();
    }
    if (!pd) pd = forward_pd(engine, dnnl::prop_kind::forward_inference, any_desc(x), any_desc(w), bias, any_desc(y), a);
    std::vector<BoundPrimitive::Argument> arguments = {{DNNL_ARG_SRC, 0, false, x},
                                                       {DNNL_ARG_WEIGHTS, 1, false, w},
                                                       {DNNL_ARG_DST, 0, true, y}};
    if (bias) arguments.push_back({DNNL_ARG_BIAS, 2, false, call.input(2)});
    primitive_.bind(*pd, dnnl::convolution_forward(*pd), arguments, engine);
    if (has_padding(a)) padded_ = a;
  }

  void run(Queue& queue, const keel_kernel_call_t& call) const override {
    primitive_.execute(queue, call);
    if (padded_) nan_where_weights_meet_padding(call, *padded_);
  }
  std::string describe() const override { return "oneDNN convolution " + primitive_.describe(); }

 private:
  BoundPrimitive primitive_;
  std::optional<ConvAttrs> padded_;  // set when some tap can fall into the padding
};

// ---- conv_transpose -----------------------------------------------------------------------------------------

// Adds bias[m] to every element of output channel m (conv_transpose's optional bias).
void add_channel_bias(const keel_tensor_desc_t& y, const keel_tensor_desc_t& bias) {
  keel_tensor_desc_t b = y;  // bias broadcast over y's shape: stride only along the channel axis
  b.data = bias.data;
  for (uint32_t d = 0; d < y.rank; ++d) b.strides[d] = d == 1 ? bias.strides[0] : 0;
  visit_float(y.dtype, [&]<class T>(Tag<T>) {
    const LoopPlan plan = plan_loop(y, {&y, &b});
    const auto add = [](T a, T c) { return a + c; };
    for_each_run(plan, [&](const int64_t* offsets, int64_t n) {
      T* out = static_cast<T*>(y.data) + offsets[0];
      const T* in = static_cast<const T*>(y.data) + offsets[1];
      const T* add_in = static_cast<const T*>(bias.data) + offsets[2];
      for (int64_t i = 0; i < n; ++i) {
        out[i * plan.inner_stride(0)] = add(in[i * plan.inner_stride(1)], add_in[i * plan.inner_stride(2)]);
      }
    });
  });
}

class ConvTranspose final : public Kernel {
 public:
  explicit ConvTranspose(const CallInfo& call) : bias_(has_bias(call)) {
    const keel_tensor_desc_t& x = call.input(0);
    const keel_tensor_desc_t& y = call.output(0);
    const ConvAttrs a = conv_attrs<keel_conv_transpose_attrs_t>(call.attrs(), x.rank - 2, output_padding_of(call.attrs()));
    // The conv this is the adjoint of: input y (diff_src), weights w as they are, output x (diff_dst).
    const keel_tensor_desc_t w = grouped_weights(call.input(1), a.groups);
    const dnnl::engine& engine = call.device().engine();
    const auto hint = forward_pd(engine, dnnl::prop_kind::forward_training, any_desc(y), any_desc(w), std::nullopt,
                                 any_desc(x), a);
    const dnnl::convolution_backward_data::primitive_desc pd(
        dnnl::convolution_backward_data::desc(dnnl::algorithm::convolution_direct, any_desc(y), any_desc(w), any_desc(x),
                                              a.strides, a.dilates, a.padding_l, a.padding_r),
        engine, hint);
    primitive_.bind(pd, dnnl::convolution_backward_data(pd),
                    {{DNNL_ARG_DIFF_DST, 0, false, x}, {DNNL_ARG_WEIGHTS, 1, false, w}, {DNNL_ARG_DIFF_SRC, 0, true, y}},
                    engine);
  }

  void run(Queue& queue, const keel_kernel_call_t& call) const override {
    primitive_.execute(queue, call);
    if (bias_) {
      keel_tensor_desc_t y = call.outputs[0];
      keel_tensor_desc_t bias = call.inputs[2];
      y.data = data_of(y);
      bias.data = data_of(bias);
      add_channel_bias(y, bias);
    }
  }
  std::string describe() const override { return "oneDNN backward-data convolution " + primitive_.describe(); }

 private:
  bool bias_;
  BoundPrimitive primitive_;
};

// ---- conv_backward_weight -----------------------------------------------------------------------------------

class ConvBackwardWeight final : public Kernel {
 public:
  explicit ConvBackwardWeight(const CallInfo& call) {
    const keel_tensor_desc_t& dy = call.input(0);
    const keel_tensor_desc_t& x = call.input(1);
    const ConvAttrs a = conv_attrs<keel_conv_backward_weight_attrs_t>(call.attrs(), x.rank - 2);
    const keel_tensor_desc_t dw = grouped_weights(call.output(0), a.groups);
    const dnnl::engine& engine = call.device().engine();
    const auto hint = forward_pd(engine, dnnl::prop_kind::forward_training, any_desc(x), any_desc(dw), std::nullopt,
                                 any_desc(dy), a);
    const dnnl::convolution_backward_weights::primitive_desc pd(
        dnnl::convolution_backward_weights::desc(dnnl::algorithm::convolution_direct, any_desc(x), any_desc(dw),
                                                 any_desc(dy), a.strides, a.dilates, a.padding_l, a.padding_r),
        engine, hint);
    primitive_.bind(pd, dnnl::convolution_backward_weights(pd),
                    {{DNNL_ARG_SRC, 1, false, x}, {DNNL_ARG_DIFF_DST, 0, false, dy}, {DNNL_ARG_DIFF_WEIGHTS, 0, true, dw}},
                    engine);
    if (has_padding(a)) padded_ = a;
  }

  void run(Queue& queue, const keel_kernel_call_t& call) const override {
    primitive_.execute(queue, call);
    if (padded_) nan_where_gradient_meets_padding(call, *padded_);
  }
  std::string describe() const override { return "oneDNN backward-weights convolution " + primitive_.describe(); }

 private:
  BoundPrimitive primitive_;
  std::optional<ConvAttrs> padded_;  // set when some tap can fall into the padding
};

// An empty contraction (no input channels, or no batch for the weight gradient): the output is the bias, or 0.
class ConvEmptySum final : public Kernel {
 public:
  explicit ConvEmptySum(bool bias) : bias_(bias) {}
  void run(Queue&, const keel_kernel_call_t& call) const override {
    fill_zero_bits(call.outputs[0]);
    if (bias_) {
      keel_tensor_desc_t y = call.outputs[0];
      keel_tensor_desc_t bias = call.inputs[2];
      y.data = data_of(y);
      bias.data = data_of(bias);
      add_channel_bias(y, bias);
    }
  }
  std::string describe() const override { return "zeros (empty sum)"; }

 private:
  bool bias_;
};

void supports_conv(const CallInfo& call) {
  const keel_dtype_t dtype = call.input(0).dtype;
  if (dtype == KEEL_DTYPE_F64) decline("f64: oneDNN 2.6 has no f64 convolution");
  if (dtype == KEEL_DTYPE_F16) decline("f16: oneDNN 2.6 has no f16 convolution on CPUs without AVX512-FP16");
}

std::unique_ptr<Kernel> create_conv(const CallInfo& call) {
  if (element_count(call.input(0)) == 0 || element_count(call.input(1)) == 0) {
    return std::make_unique<ConvEmptySum>(has_bias(call));
  }
  return std::make_unique<ConvForward>(call);
}

std::unique_ptr<Kernel> create_conv_transpose(const CallInfo& call) {
  if (element_count(call.input(0)) == 0 || element_count(call.input(1)) == 0) {
    return std::make_unique<ConvEmptySum>(has_bias(call));
  }
  return std::make_unique<ConvTranspose>(call);
}

std::unique_ptr<Kernel> create_conv_backward_weight(const CallInfo& call) {
  if (element_count(call.input(0)) == 0 || element_count(call.input(1)) == 0) {
    return std::make_unique<ConvEmptySum>(false);
  }
  return std::make_unique<ConvBackwardWeight>(call);
}

constexpr std::array<keel_dtype_t, 2> kConvTypes = {KEEL_DTYPE_F32, KEEL_DTYPE_BF16};
constexpr std::array<keel_dtype_t, 1> kConvF32 = {KEEL_DTYPE_F32};

constexpr KernelDef kKernels[] = {
    {"conv", 1, kConvTypes, supports_conv, create_conv, conv_key<keel_conv_attrs_t>},
    {"conv_transpose", 1, kConvF32, supports_conv, create_conv_transpose, conv_transpose_key},
    {"conv_backward_weight", 1, kConvF32, supports_conv, create_conv_backward_weight,
     conv_key<keel_conv_backward_weight_attrs_t>},
};

}  // namespace

std::span<const KernelDef> conv_kernels() { return kKernels; }

}  // namespace keel::onednn
