// max_pool, avg_pool (pooling.yaml) and avg_pool_backward (training.yaml), for 1 to 3 spatial axes, in the
// plugin's own loops.
//
// oneDNN has pooling primitives, but not with the spec's rules: its max pooling returns the other operand
// for NaN, does not order -0 below +0 and reports a workspace instead of the spec's flat indices; its
// average pooling counts ceil-mode padding as padding (the spec counts only the explicit pads), and its
// backward pass is not specified to sum in a fixed order. The loops follow the spec literally: one pass over
// the window of each output (sums in f64), and for the backward pass a gather over the windows that contain
// each input position, so every result is deterministic. Parallel over the (n, c) planes.
#include <array>
#include <cmath>
#include <limits>
#include <vector>

#include "attrs.h"
#include "dtype.h"
#include "keel/keel_ops.h"
#include "kernels.h"
#include "parallel.h"
#include "signature.h"
#include "tensor.h"

namespace keel::onednn {
namespace {

constexpr int kMaxSpatial = 3;

// The window geometry shared by the three operators.
struct Window {
  int spatial = 0;
  int64_t kernel[kMaxSpatial] = {};
  int64_t stride[kMaxSpatial] = {};
  int64_t pad_begin[kMaxSpatial] = {};
  int64_t pad_end[kMaxSpatial] = {};
  int64_t dilation[kMaxSpatial] = {};
  bool count_include_pad = false;
};

// The three attribute structs begin with the same fields (kernel_shape, strides, pads, dilations).
template <class Attrs>
Window window_of(const void* raw, int spatial) {
  Attrs defaults{};
  defaults.struct_size = sizeof(Attrs);
  const Attrs a = read_attrs(raw, defaults, &Attrs::kernel_shape, &Attrs::kernel_shape_count, &Attrs::strides,
                             &Attrs::strides_count, &Attrs::pads, &Attrs::pads_count, &Attrs::dilations,
                             &Attrs::dilations_count);
  const auto kernel = ints_of(a.kernel_shape, a.kernel_shape_count);
  const auto strides = ints_of(a.strides, a.strides_count);
  const auto pads = ints_of(a.pads, a.pads_count);
  const auto dilations = ints_of(a.dilations, a.dilations_count);
  Window w;
  w.spatial = spatial;
  for (int d = 0; d < spatial; ++d) {
    w.kernel[d] = kernel[static_cast<size_t>(d)];
    w.stride[d] = strides.empty() ? 1 : strides[static_cast<size_t>(d)];
    w.pad_begin[d] = pads.empty() ? 0 : pads[static_cast<size_t>(d)];
    w.pad_end[d] = pads.empty() ? 0 : pads[static_cast<size_t>(spatial + d)];
    w.dilation[d] = dilations.empty() ? 1 : dilations[static_cast<size_t>(d)];
  }
  return w;
}

template <class Attrs>
void window_key(const void* raw, SignatureKey& key) {
  Attrs defaults{};
  defaults.struct_size = sizeof(Attrs);
  const Attrs a = read_attrs(raw, defaults, &Attrs::kernel_shape, &Attrs::kernel_shape_count, &Attrs::strides,
                             &Attrs::strides_count, &Attrs::pads, &Attrs::pads_count, &Attrs::dilations,
                             &Attrs::dilations_count);
  key.push_ints(a.kernel_shape, a.kernel_shape_count);
  key.push_ints(a.strides, a.strides_count);
  key.push_ints(a.pads, a.pads_count);
  key.push_ints(a.dilations, a.dilations_count);
}

template <class Attrs>
bool include_pad(const void* raw) {
  Attrs defaults{};
  defaults.struct_size = sizeof(Attrs);
  return read_attrs(raw, defaults, &Attrs::count_include_pad).count_include_pad != 0;
}

template <class Attrs>
void average_key(const void* raw, SignatureKey& key) {
  window_key<Attrs>(raw, key);
  key.push(include_pad<Attrs>(raw) ? 1 : 0);
}

// The spatial part of a tensor: sizes and strides of axes 2.., plus the strides of n and c.
struct Plane {
  int64_t size[kMaxSpatial] = {1, 1, 1};
  int64_t stride[kMaxSpatial] = {};
  int64_t n_stride = 0, c_stride = 0;
  int64_t count = 1;  // positions in one plane
};

Plane plane_of(const keel_tensor_desc_t& t) {
  Plane p;
  p.n_stride = t.strides[0];
  p.c_stride = t.strides[1];
  for (uint32_t d = 2; d < t.rank; ++d) {
    p.size[d - 2] = t.shape[d];
    p.stride[d - 2] = t.strides[d];
    p.count *= t.shape[d];
  }
  return p;
}

void unravel(int64_t flat, const Plane& p, int spatial, int64_t* index) {
  for (int d = spatial; d-- > 0;) {
    index[d] = flat % p.size[d];
    flat /= p.size[d];
  }
}

// The divisor of output position o for average pooling.
int64_t divisor(const Window& w, const Plane& x, const int64_t* o) {
  int64_t count = 1;
  for (int d = 0; d < w.spatial; ++d) {
    int64_t taps = 0;
    for (int64_t t = 0; t < w.kernel[d]; ++t) {
      const int64_t i = o[d] * w.stride[d] - w.pad_begin[d] + t * w.dilation[d];
      const bool counted = w.count_include_pad ? (i >= -w.pad_begin[d] && i < x.size[d] + w.pad_end[d])
                                               : (i >= 0 && i < x.size[d]);
      taps += counted ? 1 : 0;
    }
    count *= taps;
  }
  return count;
}

// Visits the taps of output position o that read the input, in tap order: visit(flat input position in the
// plane, element offset of that position).
template <class Visit>
void for_each_tap(const Window& w, const Plane& x, const int64_t* o, Visit&& visit) {
  int64_t t[kMaxSpatial] = {0, 0, 0};
  int64_t taps = 1;
  for (int d = 0; d < w.spatial; ++d) taps *= w.kernel[d];
  for (int64_t k = 0; k < taps; ++k) {
    int64_t rest = k;
    for (int d = w.spatial; d-- > 0;) {
      t[d] = rest % w.kernel[d];
      rest /= w.kernel[d];
    }
    int64_t flat = 0;
    int64_t offset = 0;
    bool inside = true;
    for (int d = 0; d < w.spatial && inside; ++d) {
      const int64_t i = o[d] * w.stride[d] - w.pad_begin[d] + t[d] * w.dilation[d];
      inside = i >= 0 && i < x.size[d];
      flat = flat * x.size[d] + i;
      offset += i * x.stride[d];
    }
    if (inside) visit(flat, offset);
  }
}

// Calls body(n, c) for every plane, in parallel when the work is large enough.
template <class Body>
void for_each_plane(int64_t batch, int64_t channels, int64_t work_per_plane, Body&& body) {
  parallel_ranges(
      batch * channels,
      [&](int64_t begin, int64_t end) {
        for (int64_t p = begin; p < end; ++p) body(p / channels, p % channels);
      },
      std::max<int64_t>(1, kMinElementsPerThread / std::max<int64_t>(work_per_plane, 1)), 1);
}

// ---- max_pool -----------------------------------------------------------------------------------------------

template <class T>
class MaxPool final : public Kernel {
 public:
  explicit MaxPool(const CallInfo& call)
      : window_(window_of<keel_max_pool_attrs_t>(call.attrs(), static_cast<int>(call.input(0).rank) - 2)),
        x_(plane_of(call.input(0))), y_(plane_of(call.output(0))), indices_(plane_of(call.output(1))),
        batch_(call.input(0).shape[0]), channels_(call.input(0).shape[1]) {}

  void run(Queue&, const keel_kernel_call_t& call) const override {
    const T* x = typed_data<const T>(call.inputs[0]);
    T* y = typed_data<T>(call.outputs[0]);
    int64_t* indices = typed_data<int64_t>(call.outputs[1]);
    const int spatial = window_.spatial;
    for_each_plane(batch_, channels_, y_.count * 4, [&](int64_t n, int64_t c) {
      const T* xp = x + n * x_.n_stride + c * x_.c_stride;
      int64_t o[kMaxSpatial];
      for (int64_t flat = 0; flat < y_.count; ++flat) {
        unravel(flat, y_, spatial, o);
        T best = kIsFloat<T> ? -std::numeric_limits<T>::infinity() : std::numeric_limits<T>::lowest();
        int64_t at = -1;
        for_each_tap(window_, x_, o, [&](int64_t position, int64_t offset) {
          const T v = xp[offset];
          if (at >= 0 && best != best) return;  // the first NaN stays
          bool take = at < 0 || v > best;
          if constexpr (kIsFloat<T>) {
            take = take || v != v || (v == best && v == 0 && std::signbit(best) && !std::signbit(v));
          }
          if (take) {
            best = v;
            at = position;
          }
        });
        int64_t yo = n * y_.n_stride + c * y_.c_stride;
        int64_t io = n * indices_.n_stride + c * indices_.c_stride;
        for (int d = 0; d < spatial; ++d) {
          yo += o[d] * y_.stride[d];
          io += o[d] * indices_.stride[d];
        }
        y[yo] = best;
        indices[io] = at;
      }
    });
  }
  std::string describe() const override { return "loop"; }

 private:
  Window window_;
  Plane x_, y_, indices_;
  int64_t batch_, channels_;
};

// ---- avg_pool -----------------------------------------------------------------------------------------------

template <class T>
class AvgPool final : public Kernel {
 public:
  explicit AvgPool(const CallInfo& call)
      : window_(window_of<keel_avg_pool_attrs_t>(call.attrs(), static_cast<int>(call.input(0).rank) - 2)),
        x_(plane_of(call.input(0))), y_(plane_of(call.output(0))), batch_(call.input(0).shape[0]),
        channels_(call.input(0).shape[1]) {
    window_.count_include_pad = include_pad<keel_avg_pool_attrs_t>(call.attrs());
  }

  void run(Queue&, const keel_kernel_call_t& call) const override {
    const T* x = typed_data<const T>(call.inputs[0]);
    T* y = typed_data<T>(call.outputs[0]);
    const int spatial = window_.spatial;
    for_each_plane(batch_, channels_, y_.count * 4, [&](int64_t n, int64_t c) {
      const T* xp = x + n * x_.n_stride + c * x_.c_stride;
      int64_t o[kMaxSpatial];
      for (int64_t flat = 0; flat < y_.count; ++flat) {
        unravel(flat, y_, spatial, o);
        double sum = 0;
        for_each_tap(window_, x_, o, [&](int64_t, int64_t offset) { sum += static_cast<double>(xp[offset]); });
        int64_t yo = n * y_.n_stride + c * y_.c_stride;
        for (int d = 0; d < spatial; ++d) yo += o[d] * y_.stride[d];
        y[yo] = static_cast<T>(sum / static_cast<double>(divisor(window_, x_, o)));  // 0 / 0 is NaN
      }
    });
  }
  std::string describe() const override { return "loop (f64 sums)"; }

 private:
  Window window_;
  Plane x_, y_;
  int64_t batch_, channels_;
};

// ---- avg_pool_backward ----------------------------------------------------------------------------------------

// dx[i] = Σ dy[o] / divisor(o) over the windows o that read i, gathered per input position: along each axis
// the taps t with (i + pb - t·l) divisible by s and the quotient a valid output position.
template <class T>
class AvgPoolBackward final : public Kernel {
 public:
  explicit AvgPoolBackward(const CallInfo& call)
      : window_(window_of<keel_avg_pool_backward_attrs_t>(call.attrs(), static_cast<int>(call.input(1).rank) - 2)),
        dy_(plane_of(call.input(0))), dx_(plane_of(call.output(0))), batch_(call.input(1).shape[0]),
        channels_(call.input(1).shape[1]) {
    window_.count_include_pad = include_pad<keel_avg_pool_backward_attrs_t>(call.attrs());
    // Divisors depend on the output position only: computed once per signature.
    divisors_.resize(static_cast<size_t>(dy_.count));
    int64_t o[kMaxSpatial];
    for (int64_t flat = 0; flat < dy_.count; ++flat) {
      unravel(flat, dy_, window_.spatial, o);
      divisors_[static_cast<size_t>(flat)] = divisor(window_, dx_, o);
    }
  }

  void run(Queue&, const keel_kernel_call_t& call) const override {
    const T* dy = typed_data<const T>(call.inputs[0]);
    T* dx = typed_data<T>(call.outputs[0]);
    const int spatial = window_.spatial;
    for_each_plane(batch_, channels_, dx_.count * 4, [&](int64_t n, int64_t c) {
      const T* g = dy + n * dy_.n_stride + c * dy_.c_stride;
      int64_t i[kMaxSpatial];
      for (int64_t flat = 0; flat < dx_.count; ++flat) {
        unravel(flat, dx_, spatial, i);
        // Per axis, the (tap, output position) pairs that read i.
        int64_t outs[kMaxSpatial][64];
        int64_t counts[kMaxSpatial] = {0, 0, 0};
        bool any = true;
        for (int d = 0; d < spatial; ++d) {
          for (int64_t t = 0; t < window_.kernel[d]; ++t) {
            const int64_t num = i[d] + window_.pad_begin[d] - t * window_.dilation[d];
            if (num < 0 || num % window_.stride[d] != 0) continue;
            const int64_t od = num / window_.stride[d];
            if (od < dy_.size[d]) outs[d][counts[d]++] = od;
          }
          any = any && counts[d] > 0;
        }
        double sum = 0;
        if (any) {
          int64_t pick[kMaxSpatial] = {0, 0, 0};
          while (true) {
            int64_t flat_o = 0;
            int64_t offset = 0;
            for (int d = 0; d < spatial; ++d) {
              const int64_t od = outs[d][pick[d]];
              flat_o = flat_o * dy_.size[d] + od;
              offset += od * dy_.stride[d];
            }
            const int64_t div = divisors_[static_cast<size_t>(flat_o)];
            if (div != 0) sum += static_cast<double>(g[offset]) / static_cast<double>(div);
            int d = spatial - 1;
            while (d >= 0 && ++pick[d] == counts[d]) pick[d--] = 0;
            if (d < 0) break;
          }
        }
        int64_t xo = n * dx_.n_stride + c * dx_.c_stride;
        for (int d = 0; d < spatial; ++d) xo += i[d] * dx_.stride[d];
        dx[xo] = static_cast<T>(sum);
      }
    });
  }
  std::string describe() const override { return "loop (gather, f64 sums)"; }

 private:
  Window window_;
  Plane dy_, dx_;
  int64_t batch_, channels_;
  std::vector<int64_t> divisors_;
};

void supports_pool(const CallInfo& call) {
  if (call.input(0).rank > 2 + kMaxSpatial) decline("more than ", kMaxSpatial, " spatial axes");
}

// The gather keeps each axis' contributing taps on the stack.
void supports_pool_backward(const CallInfo& call) {
  const Window w = window_of<keel_avg_pool_backward_attrs_t>(call.attrs(), static_cast<int>(call.input(1).rank) - 2);
  for (int d = 0; d < w.spatial; ++d) {
    if (w.kernel[d] > 64) decline("kernel size ", w.kernel[d], " above 64 along an axis");
  }
}

std::unique_ptr<Kernel> create_max_pool(const CallInfo& call) {
  return visit_numeric(call.input(0).dtype, [&]<class T>(Tag<T>) -> std::unique_ptr<Kernel> {
    return std::make_unique<MaxPool<T>>(call);
  });
}

std::unique_ptr<Kernel> create_avg_pool(const CallInfo& call) {
  return visit_float(call.input(0).dtype, [&]<class T>(Tag<T>) -> std::unique_ptr<Kernel> {
    return std::make_unique<AvgPool<T>>(call);
  });
}

std::unique_ptr<Kernel> create_avg_pool_backward(const CallInfo& call) {
  return visit_float(call.input(0).dtype, [&]<class T>(Tag<T>) -> std::unique_ptr<Kernel> {
    return std::make_unique<AvgPoolBackward<T>>(call);
  });
}

constexpr KernelDef kKernels[] = {
    {"max_pool", 1, kNumericTypes, supports_pool, create_max_pool, window_key<keel_max_pool_attrs_t>},
    {"avg_pool", 1, kFloatTypes, supports_pool, create_avg_pool, average_key<keel_avg_pool_attrs_t>},
    {"avg_pool_backward", 1, kFloatTypes, supports_pool_backward, create_avg_pool_backward,
     average_key<keel_avg_pool_backward_attrs_t>},
};

}  // namespace

std::span<const KernelDef> pooling_kernels() { return kKernels; }

}  // namespace keel::onednn
