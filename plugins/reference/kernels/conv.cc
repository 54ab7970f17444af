// conv, conv_transpose (ir_spec/ops/conv.yaml) and conv_backward_weight (training.yaml), as direct sums over
// the formulas of the spec. Sums of products accumulate in the Accumulator type (double, long double for
// f64), each output in a fixed order, and are rounded once.
//
// conv and conv_backward_weight read padding as the value 0 and multiply it like any other input, as the
// formulas say ("out-of-range input positions read 0"): a padded tap times an infinite or NaN weight is NaN.
#include <optional>
#include <vector>

#include "attrs.h"
#include "keel/keel_ops.h"
#include "kernels.h"
#include "spatial.h"

namespace keel::reference {
namespace {

struct ConvAttrs {
  std::span<const int64_t> strides;
  std::span<const int64_t> pads;
  std::span<const int64_t> dilations;
  int64_t groups = 1;
};

template <class A>
ConvAttrs conv_attrs(const KernelCall& call, const A& defaults) {
  const auto attrs = read_attrs(call.attrs(), defaults, &A::strides, &A::strides_count, &A::pads, &A::pads_count,
                                &A::dilations, &A::dilations_count, &A::groups);
  return {ints(attrs.strides, attrs.strides_count, "strides"), ints(attrs.pads, attrs.pads_count, "pads"),
          ints(attrs.dilations, attrs.dilations_count, "dilations"), attrs.groups};
}

// The kernel's spatial sizes (w's axes from 2 on).
std::vector<int64_t> kernel_dims(const Shape& w) {
  return std::vector<int64_t>(w.dims.begin() + 2, w.dims.begin() + w.rank);
}

// channels / groups, after checking that groups divides them.
int64_t per_group(int64_t groups, int64_t channels, const char* what) {
  if (groups < 1 || channels % groups != 0) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "groups ", groups, " does not divide the ", channels, " ", what);
  }
  return channels / groups;
}

// The value of input element (n, c, position), or 0 outside the planes.
template <class T>
Accumulator<T> read_or_zero(const std::vector<T>& x, const Planes& planes, int64_t n, int64_t c,
                            const Spatial& position) {
  for (uint32_t a = 0; a < kSpatialAxes; ++a) {
    if (position[a] < 0 || position[a] >= planes.dims[a]) return 0;
  }
  return lift(x[static_cast<size_t>(planes.offset(n, c, position))]);
}

template <class T>
std::optional<std::vector<T>> bias_values(const KernelCall& call, size_t index, int64_t expected) {
  const std::optional<View> bias = call.optional_input(index);
  if (!bias) return std::nullopt;
  const int64_t dims[] = {expected};
  require_shape(*bias, Shape::of(dims), "input bias");
  return gather<T>(*bias);
}

}  // namespace

// y[n, m, o] = bias[m] + Σ_{c, t} x[n, g·Cg + c, o·s + t·l - pb] · w[m, c, t], g = m / (M / groups).
void compute_conv(const KernelCall& call) {
  constexpr keel_conv_attrs_t kDefaults = KEEL_CONV_ATTRS_INIT;
  const ConvAttrs attrs = conv_attrs(call, kDefaults);
  const View x_view = call.input(0);
  const View w_view = call.input(1);
  const View y_view = call.output(0);
  check_element_type(w_view, x_view.dtype);
  const Planes x = planes_of(x_view.shape, "input x");
  const Planes w = planes_of(w_view.shape, "input w");
  const Window window = window_of(x.spatial_count, kernel_dims(w_view.shape), attrs.strides, attrs.pads,
                                  attrs.dilations);
  const int64_t out_per_group = per_group(attrs.groups, w.batch, "output channels of w");
  const int64_t in_per_group = w.channels;
  if (in_per_group * attrs.groups != x.channels) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "x has ", x.channels, " channels; w and groups need ",
         in_per_group * attrs.groups);
  }
  const Planes y = planes_like(x, x.batch, w.batch, conv_output_dims(x.dims, window));
  require_shape(y_view, y.shape(), "output y");

  dispatch_float(x_view.dtype, [&]<class T>(Tag<T>) {
    const std::vector<T> xs = gather<T>(x_view);
    const std::vector<T> ws = gather<T>(w_view);
    const auto bias = bias_values<T>(call, 2, w.batch);
    std::vector<T> out;
    out.reserve(static_cast<size_t>(y_view.element_count()));
    for (int64_t n = 0; n < y.batch; ++n) {
      for (int64_t m = 0; m < y.channels; ++m) {
        const int64_t first_channel = m / out_per_group * in_per_group;
        for_each_index(y.dims, [&](const Spatial& o) {
          Accumulator<T> sum = 0;
          for (int64_t c = 0; c < in_per_group; ++c) {
            for_each_index(w.dims, [&](const Spatial& t) {
              Spatial position{};
              for (uint32_t a = 0; a < kSpatialAxes; ++a) position[a] = tap_position(window, a, o[a], t[a]);
              sum += read_or_zero(xs, x, n, first_channel + c, position) *
                     lift(ws[static_cast<size_t>(w.offset(m, c, t))]);
            });
          }
          if (bias) sum += lift((*bias)[static_cast<size_t>(m)]);
          out.push_back(narrow<T>(sum));
        });
      }
    }
    scatter(out, y_view);
  });
}

// y[n, g·Mg + m', o] = bias + Σ over (c in group g, i, t) with i·s + t·l - pb = o of x[n, c, i] · w[c, m', t].
// Each output gathers its terms: for every tap t, the input position i = (o + pb - t·l) / s when that is a
// whole number inside the input.
void compute_conv_transpose(const KernelCall& call) {
  using A = keel_conv_transpose_attrs_t;
  constexpr A kDefaults = KEEL_CONV_TRANSPOSE_ATTRS_INIT;
  const ConvAttrs attrs = conv_attrs(call, kDefaults);
  const auto padding_attrs = read_attrs(call.attrs(), kDefaults, &A::output_padding, &A::output_padding_count);
  const View x_view = call.input(0);
  const View w_view = call.input(1);
  const View y_view = call.output(0);
  check_element_type(w_view, x_view.dtype);
  const Planes x = planes_of(x_view.shape, "input x");
  const Planes w = planes_of(w_view.shape, "input w");  // [C, M / groups, K...]
  const Window window = window_of(x.spatial_count, kernel_dims(w_view.shape), attrs.strides, attrs.pads,
                                  attrs.dilations);
  const Spatial output_padding = spatial_list(
      x.spatial_count, ints(padding_attrs.output_padding, padding_attrs.output_padding_count, "output_padding"),
      "output_padding");
  if (x.channels != w.batch) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "x has ", x.channels, " channels but w has ", w.batch);
  }
  const int64_t in_per_group = per_group(attrs.groups, x.channels, "channels of x");
  const int64_t out_per_group = w.channels;
  const Planes y = planes_like(x, x.batch, out_per_group * attrs.groups,
                               conv_transpose_output_dims(x.dims, window, output_padding));
  require_shape(y_view, y.shape(), "output y");

  dispatch_float(x_view.dtype, [&]<class T>(Tag<T>) {
    const std::vector<T> xs = gather<T>(x_view);
    const std::vector<T> ws = gather<T>(w_view);
    const auto bias = bias_values<T>(call, 2, y.channels);
    std::vector<T> out;
    out.reserve(static_cast<size_t>(y_view.element_count()));
    for (int64_t n = 0; n < y.batch; ++n) {
      for (int64_t m = 0; m < y.channels; ++m) {
        const int64_t group = m / out_per_group;
        const int64_t m_in_group = m % out_per_group;
        for_each_index(y.dims, [&](const Spatial& o) {
          Accumulator<T> sum = 0;
          for (int64_t c = group * in_per_group; c < (group + 1) * in_per_group; ++c) {
            for_each_index(w.dims, [&](const Spatial& t) {
              Spatial i{};
              for (uint32_t a = 0; a < kSpatialAxes; ++a) {
                const int64_t scaled = o[a] + window.pad_begin[a] - t[a] * window.dilation[a];  // i·s
                if (scaled < 0 || scaled % window.stride[a] != 0) return;
                i[a] = scaled / window.stride[a];
                if (i[a] >= x.dims[a]) return;
              }
              sum += lift(xs[static_cast<size_t>(x.offset(n, c, i))]) *
                     lift(ws[static_cast<size_t>(w.offset(c, m_in_group, t))]);
            });
          }
          if (bias) sum += lift((*bias)[static_cast<size_t>(m)]);
          out.push_back(narrow<T>(sum));
        });
      }
    }
    scatter(out, y_view);
  });
}

// dw[m, c, t] = Σ_{n, o} dy[n, m, o] · x[n, g·Cg + c, o·s + t·l - pb]; w is read for its shape only.
void compute_conv_backward_weight(const KernelCall& call) {
  constexpr keel_conv_backward_weight_attrs_t kDefaults = KEEL_CONV_BACKWARD_WEIGHT_ATTRS_INIT;
  const ConvAttrs attrs = conv_attrs(call, kDefaults);
  const View dy_view = call.input(0);
  const View x_view = call.input(1);
  const View w_view = call.input(2);
  const View dw_view = call.output(0);
  check_element_type(x_view, dy_view.dtype);
  check_element_type(w_view, dy_view.dtype);
  check_element_type(dw_view, dy_view.dtype);
  const Planes x = planes_of(x_view.shape, "input x");
  const Planes w = planes_of(w_view.shape, "input w");
  const Window window = window_of(x.spatial_count, kernel_dims(w_view.shape), attrs.strides, attrs.pads,
                                  attrs.dilations);
  const int64_t out_per_group = per_group(attrs.groups, w.batch, "output channels of w");
  const int64_t in_per_group = w.channels;
  if (in_per_group * attrs.groups != x.channels) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "x has ", x.channels, " channels; w and groups need ",
         in_per_group * attrs.groups);
  }
  const Planes dy = planes_like(x, x.batch, w.batch, conv_output_dims(x.dims, window));
  require_shape(dy_view, dy.shape(), "input dy");
  require_shape(dw_view, w_view.shape, "output dw");

  dispatch_float(dy_view.dtype, [&]<class T>(Tag<T>) {
    const std::vector<T> dys = gather<T>(dy_view);
    const std::vector<T> xs = gather<T>(x_view);
    std::vector<T> out;
    out.reserve(static_cast<size_t>(dw_view.element_count()));
    for (int64_t m = 0; m < w.batch; ++m) {
      const int64_t first_channel = m / out_per_group * in_per_group;
      for (int64_t c = 0; c < in_per_group; ++c) {
        for_each_index(w.dims, [&](const Spatial& t) {
          Accumulator<T> sum = 0;
          for (int64_t n = 0; n < dy.batch; ++n) {
            for_each_index(dy.dims, [&](const Spatial& o) {
              Spatial position{};
              for (uint32_t a = 0; a < kSpatialAxes; ++a) position[a] = tap_position(window, a, o[a], t[a]);
              sum += lift(dys[static_cast<size_t>(dy.offset(n, m, o))]) *
                     read_or_zero(xs, x, n, first_channel + c, position);
            });
          }
          out.push_back(narrow<T>(sum));
        });
      }
    }
    scatter(out, dw_view);
  });
}

}  // namespace keel::reference
