// resize and pad (ir_spec/ops/resample.yaml).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "attrs.h"
#include "convert.h"
#include "keel/keel_ops.h"
#include "kernels.h"
#include "view.h"

namespace keel::reference {
namespace {

// ---- resize -----------------------------------------------------------------------------------------------

// One axis of a resize: its sizes and scale, and the rule that maps output indices to input coordinates.
struct ResizeAxis {
  int64_t in = 0;
  int64_t out = 0;
  double scale = 1;
  uint32_t transform = KEEL_RESIZE_COORDINATE_TRANSFORM_HALF_PIXEL;

  // The input coordinate u of output index o, in f64 exactly as the spec writes it.
  double coordinate(int64_t o) const {
    const auto index = static_cast<double>(o);
    switch (transform) {
      case KEEL_RESIZE_COORDINATE_TRANSFORM_HALF_PIXEL: return (index + 0.5) / scale - 0.5;
      case KEEL_RESIZE_COORDINATE_TRANSFORM_PYTORCH_HALF_PIXEL: return out > 1 ? (index + 0.5) / scale - 0.5 : 0.0;
      case KEEL_RESIZE_COORDINATE_TRANSFORM_ALIGN_CORNERS:
        return out > 1 ? index * static_cast<double>(in - 1) / static_cast<double>(out - 1) : 0.0;
      case KEEL_RESIZE_COORDINATE_TRANSFORM_ASYMMETRIC: return index / scale;
      default: fail(KEEL_STATUS_INVALID_ARGUMENT, "attribute coordinate_transform has the unknown value ", transform);
    }
  }
};

// The input index nearest to u under nearest_mode, clamped to [0, D - 1].
int64_t nearest_index(double u, uint32_t mode, int64_t in) {
  double rounded = 0;
  switch (mode) {
    case KEEL_RESIZE_NEAREST_MODE_ROUND_PREFER_FLOOR: rounded = std::ceil(u - 0.5); break;
    case KEEL_RESIZE_NEAREST_MODE_ROUND_PREFER_CEIL: rounded = std::floor(u + 0.5); break;
    case KEEL_RESIZE_NEAREST_MODE_FLOOR: rounded = std::floor(u); break;
    case KEEL_RESIZE_NEAREST_MODE_CEIL: rounded = std::ceil(u); break;
    default: fail(KEEL_STATUS_INVALID_ARGUMENT, "attribute nearest_mode has the unknown value ", mode);
  }
  return static_cast<int64_t>(std::clamp(rounded, 0.0, static_cast<double>(in - 1)));
}

// The two input indices and weights of linear interpolation at output index o: u clamped to [0, D - 1],
// i0 = floor(u), i1 = min(i0 + 1, D - 1), weights 1 - t and t for t = u - i0.
struct Taps {
  int64_t index[2];
  double weight[2];
};

Taps linear_taps(const ResizeAxis& axis, int64_t o) {
  const double u = std::clamp(axis.coordinate(o), 0.0, static_cast<double>(axis.in - 1));
  const double floor_u = std::floor(u);
  const auto i0 = static_cast<int64_t>(floor_u);
  const double t = u - floor_u;
  return {{i0, std::min(i0 + 1, axis.in - 1)}, {1.0 - t, t}};
}

std::vector<ResizeAxis> resize_axes(const keel_resize_attrs_t& attrs, const Shape& input) {
  const std::span<const double> scales =
      attrs.scales_count == 0 ? std::span<const double>() : std::span<const double>(attrs.scales, attrs.scales_count);
  if (attrs.scales_count != 0 && attrs.scales == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "scales has no data");
  const std::span<const int64_t> sizes = ints(attrs.sizes, attrs.sizes_count, "sizes");
  if (scales.empty() == sizes.empty() || (scales.empty() ? sizes.size() : scales.size()) != input.rank) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "resize needs exactly one of scales and sizes, with one entry per axis");
  }
  std::vector<ResizeAxis> axes(input.rank);
  for (uint32_t k = 0; k < input.rank; ++k) {
    ResizeAxis& axis = axes[k];
    axis.in = input.dims[k];
    axis.transform = attrs.coordinate_transform;
    if (!scales.empty()) {
      axis.scale = scales[k];
      const double out = std::floor(static_cast<double>(axis.in) * scales[k]);
      if (!(scales[k] > 0 && out < 0x1p62)) fail(KEEL_STATUS_INVALID_ARGUMENT, "scale ", scales[k], " of axis ", k);
      axis.out = static_cast<int64_t>(out);
    } else {
      axis.out = sizes[k];
      axis.scale = axis.in == 0 ? 1.0 : static_cast<double>(axis.out) / static_cast<double>(axis.in);
    }
  }
  return axes;
}

template <class T>
std::vector<T> resize_linear(const std::vector<T>& in, const Shape& input, const Shape& output,
                             const std::vector<ResizeAxis>& axes) {
  const uint32_t rank = input.rank;
  std::vector<T> out;
  out.reserve(static_cast<size_t>(output.element_count()));
  std::vector<Taps> taps(rank);
  for (int64_t e = 0; e < output.element_count(); ++e) {
    int64_t rest = e;
    for (uint32_t k = rank; k-- > 0;) {
      taps[k] = linear_taps(axes[k], rest % output.dims[k]);
      rest /= output.dims[k];
    }
    // Corner bits select i0 or i1 per axis. Corners with a zero weight are left out, so an axis with t = 0
    // (every axis of scale 1 under half_pixel, pytorch_half_pixel or asymmetric) copies x exactly, -0 and
    // non-finite values included; the sum starts from the first corner kept.
    Accumulator<T> sum = 0;
    bool started = false;
    for (uint32_t corner = 0; corner < (1u << rank); ++corner) {
      double weight = 1;
      int64_t source = 0;
      for (uint32_t k = 0; k < rank; ++k) {
        const uint32_t bit = (corner >> (rank - 1 - k)) & 1u;
        weight *= taps[k].weight[bit];
        source = source * input.dims[k] + taps[k].index[bit];
      }
      if (weight == 0) continue;
      const Accumulator<T> term = static_cast<Accumulator<T>>(weight) * lift(in[static_cast<size_t>(source)]);
      sum = started ? sum + term : term;
      started = true;
    }
    out.push_back(narrow<T>(sum));
  }
  return out;
}

// ---- pad --------------------------------------------------------------------------------------------------

// The input position output position p reads along an axis of size d with begin pad b, or -1 for the
// constant.
int64_t pad_source(int64_t p, int64_t d, int64_t b, uint32_t mode) {
  const int64_t q = p - b;
  if (q >= 0 && q < d) return q;
  switch (mode) {
    case KEEL_PAD_MODE_CONSTANT: return -1;
    case KEEL_PAD_MODE_REFLECT: return q < 0 ? -q : 2 * (d - 1) - q;  // b, e < d: one reflection suffices
    case KEEL_PAD_MODE_EDGE: return q < 0 ? 0 : d - 1;
    default: fail(KEEL_STATUS_INVALID_ARGUMENT, "attribute mode has the unknown value ", mode);
  }
}

}  // namespace

void compute_resize(const KernelCall& call) {
  using A = keel_resize_attrs_t;
  constexpr A kDefaults = KEEL_RESIZE_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs(), kDefaults, &A::mode, &A::coordinate_transform, &A::nearest_mode,
                                &A::scales, &A::scales_count, &A::sizes, &A::sizes_count);
  const View x = call.input(0);
  const View y = call.output(0);
  check_element_type(y, x.dtype);
  const std::vector<ResizeAxis> axes = resize_axes(attrs, x.shape);
  Shape output = x.shape;
  for (uint32_t k = 0; k < x.shape.rank; ++k) output.dims[k] = axes[k].out;
  require_shape(y, output, "output y");
  if (output.element_count() > 0 && x.element_count() == 0) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "resize of an empty input to a non-empty output");
  }

  if (attrs.mode == KEEL_RESIZE_MODE_NEAREST) {
    // Copy bytes from the nearest input element.
    const std::vector<std::byte> in = gather_bytes(x);
    const size_t size = x.element_size;
    std::vector<std::byte> out(static_cast<size_t>(output.element_count()) * size);
    for (int64_t e = 0; e < output.element_count(); ++e) {
      int64_t rest = e;
      int64_t source = 0;
      int64_t stride = 1;
      for (uint32_t k = x.shape.rank; k-- > 0;) {
        const int64_t o = rest % output.dims[k];
        rest /= output.dims[k];
        source += nearest_index(axes[k].coordinate(o), attrs.nearest_mode, axes[k].in) * stride;
        stride *= axes[k].in;
      }
      std::memcpy(out.data() + static_cast<size_t>(e) * size, in.data() + static_cast<size_t>(source) * size, size);
    }
    scatter_bytes(out, y);
    return;
  }
  if (attrs.mode != KEEL_RESIZE_MODE_LINEAR) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "attribute mode has the unknown value ", attrs.mode);
  }
  dispatch_float(x.dtype, [&]<class T>(Tag<T>) { scatter(resize_linear(gather<T>(x), x.shape, output, axes), y); });
}

// Output position p reads x at p - pads[begin] where that lies inside the axis; elsewhere the mode decides
// per axis (constant: value with the rules of cast; reflect: mirrored without repeating the edge; edge: the
// nearest end). Bytes are copied.
void compute_pad(const KernelCall& call) {
  using A = keel_pad_attrs_t;
  constexpr A kDefaults = KEEL_PAD_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs(), kDefaults, &A::pads, &A::pads_count, &A::mode, &A::value);
  const std::span<const int64_t> pads = ints(attrs.pads, attrs.pads_count, "pads");
  const View x = call.input(0);
  const View y = call.output(0);
  check_element_type(y, x.dtype);
  const uint32_t rank = x.shape.rank;
  if (pads.size() != 2 * rank) fail(KEEL_STATUS_INVALID_ARGUMENT, "attribute pads needs ", 2 * rank, " entries");
  Shape output = x.shape;
  for (uint32_t k = 0; k < rank; ++k) {
    const int64_t d = x.shape.dims[k];
    const int64_t begin = pads[k];
    const int64_t end = pads[rank + k];
    const bool fits = begin >= 0 && end >= 0 &&
                      (attrs.mode != KEEL_PAD_MODE_REFLECT || (begin < std::max<int64_t>(d, 1) && end < std::max<int64_t>(d, 1))) &&
                      (attrs.mode != KEEL_PAD_MODE_EDGE || d > 0 || (begin == 0 && end == 0));
    if (!fits) fail(KEEL_STATUS_INVALID_ARGUMENT, "pads ", begin, ", ", end, " do not fit axis ", k, " of size ", d);
    output.dims[k] = checked_add(checked_add(d, begin), end);
  }
  require_shape(y, output, "output y");

  const std::vector<std::byte> in = gather_bytes(x);
  const size_t size = x.element_size;
  std::vector<std::byte> constant(size);
  dispatch_any(x.dtype, [&]<class T>(Tag<T>) { store<T>(constant.data(), from_attribute<T>(attrs.value)); });
  std::vector<std::byte> out(static_cast<size_t>(output.element_count()) * size);
  for (int64_t e = 0; e < output.element_count(); ++e) {
    int64_t rest = e;
    int64_t source = 0;
    int64_t stride = 1;
    for (uint32_t k = rank; k-- > 0 && source >= 0;) {
      const int64_t p = rest % output.dims[k];
      rest /= output.dims[k];
      const int64_t q = pad_source(p, x.shape.dims[k], pads[k], attrs.mode);
      source = q < 0 ? -1 : source + q * stride;
      stride *= x.shape.dims[k];
    }
    const std::byte* from = source < 0 ? constant.data() : in.data() + static_cast<size_t>(source) * size;
    std::memcpy(out.data() + static_cast<size_t>(e) * size, from, size);
  }
  scatter_bytes(out, y);
}

}  // namespace keel::reference
