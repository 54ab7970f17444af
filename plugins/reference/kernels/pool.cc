// max_pool, avg_pool (ir_spec/ops/pooling.yaml) and avg_pool_backward (training.yaml). A window's taps are
// visited in row-major tap order; a tap inside [0, D) on every axis reads the input, any other is padding.
#include <cmath>
#include <limits>
#include <vector>

#include "attrs.h"
#include "keel/keel_ops.h"
#include "kernels.h"
#include "spatial.h"

namespace keel::reference {
namespace {

struct PoolGeometry {
  Planes input;
  Planes output;
  Window window;
};

template <class A>
PoolGeometry pool_geometry(const A& attrs, const Shape& input) {
  PoolGeometry g;
  g.input = planes_of(input, "input x");
  g.window = window_of(g.input.spatial_count, ints(attrs.kernel_shape, attrs.kernel_shape_count, "kernel_shape"),
                       ints(attrs.strides, attrs.strides_count, "strides"), ints(attrs.pads, attrs.pads_count, "pads"),
                       ints(attrs.dilations, attrs.dilations_count, "dilations"));
  g.output = planes_like(g.input, g.input.batch, g.input.channels,
                         pool_output_dims(g.input.dims, g.window, attrs.ceil_mode != 0));
  return g;
}

template <class A>
A read_pool_attrs(const KernelCall& call, const A& defaults) {
  return read_attrs(call.attrs(), defaults, &A::kernel_shape, &A::kernel_shape_count, &A::strides, &A::strides_count,
                    &A::pads, &A::pads_count, &A::dilations, &A::dilations_count, &A::ceil_mode);
}

// Calls fn(input position, reads_input, inside_padded_range) for every tap of output position o's window.
template <class Fn>
void for_each_tap(const PoolGeometry& g, const Spatial& o, Fn&& fn) {
  for_each_index(g.window.kernel, [&](const Spatial& t) {
    Spatial position{};
    bool reads_input = true;
    bool inside_padding = true;
    for (uint32_t a = 0; a < kSpatialAxes; ++a) {
      position[a] = tap_position(g.window, a, o[a], t[a]);
      reads_input = reads_input && position[a] >= 0 && position[a] < g.input.dims[a];
      inside_padding = inside_padding && position[a] >= -g.window.pad_begin[a] &&
                       position[a] < g.input.dims[a] + g.window.pad_end[a];
    }
    fn(position, reads_input, inside_padding);
  });
}

// Whether `candidate` replaces the maximum so far: max_pool's order puts NaN on top (the first NaN stays) and
// +0 above -0; ties keep the earlier tap.
template <class T>
bool replaces(T candidate, T best) {
  if constexpr (kIsFloat<T>) {
    const double c = widen(candidate);
    const double b = widen(best);
    if (std::isnan(b)) return false;
    if (std::isnan(c)) return true;
    if (c == 0 && b == 0) return !std::signbit(c) && std::signbit(b);
    return c > b;
  } else {
    return candidate > best;
  }
}

// What an empty window gives: -inf, or the integer dtype's minimum.
template <class T>
T lowest_value() {
  if constexpr (kIsFloat<T>) {
    return narrow<T>(-std::numeric_limits<double>::infinity());
  } else {
    return std::numeric_limits<T>::min();
  }
}

// The divisor of each avg_pool output, in row-major order of the output plane.
std::vector<int64_t> divisors(const PoolGeometry& g, bool count_include_pad) {
  std::vector<int64_t> result;
  for_each_index(g.output.dims, [&](const Spatial& o) {
    int64_t count = 0;
    for_each_tap(g, o, [&](const Spatial&, bool reads_input, bool inside_padding) {
      if (count_include_pad ? inside_padding : reads_input) ++count;
    });
    result.push_back(count);
  });
  return result;
}

}  // namespace

void compute_max_pool(const KernelCall& call) {
  constexpr keel_max_pool_attrs_t kDefaults = KEEL_MAX_POOL_ATTRS_INIT;
  const PoolGeometry g = pool_geometry(read_pool_attrs(call, kDefaults), call.input(0).shape);
  const View x_view = call.input(0);
  const View y_view = call.output(0);
  const View indices_view = call.output(1);
  check_element_type(y_view, x_view.dtype);
  require_shape(y_view, g.output.shape(), "output y");
  require_shape(indices_view, g.output.shape(), "output indices");

  dispatch_numeric_int8(x_view.dtype, [&]<class T>(Tag<T>) {
    const std::vector<T> xs = gather<T>(x_view);
    std::vector<T> values;
    std::vector<int64_t> indices;
    for (int64_t n = 0; n < g.input.batch; ++n) {
      for (int64_t c = 0; c < g.input.channels; ++c) {
        for_each_index(g.output.dims, [&](const Spatial& o) {
          T best = lowest_value<T>();
          int64_t best_index = -1;
          for_each_tap(g, o, [&](const Spatial& position, bool reads_input, bool) {
            if (!reads_input) return;
            const T value = xs[static_cast<size_t>(g.input.offset(n, c, position))];
            if (best_index < 0 || replaces(value, best)) {
              best = value;
              best_index = g.input.flat(position);
            }
          });
          values.push_back(best);
          indices.push_back(best_index);
        });
      }
    }
    scatter(values, y_view);
    scatter(indices, indices_view);
  });
}

// The window's input taps summed in the Accumulator type, divided by the divisor, rounded once; a divisor of
// 0 gives 0 / 0 = NaN.
void compute_avg_pool(const KernelCall& call) {
  using A = keel_avg_pool_attrs_t;
  constexpr A kDefaults = KEEL_AVG_POOL_ATTRS_INIT;
  const auto attrs = read_pool_attrs(call, kDefaults);
  const auto include = read_attrs(call.attrs(), kDefaults, &A::count_include_pad).count_include_pad != 0;
  const PoolGeometry g = pool_geometry(attrs, call.input(0).shape);
  const View x_view = call.input(0);
  const View y_view = call.output(0);
  check_element_type(y_view, x_view.dtype);
  require_shape(y_view, g.output.shape(), "output y");
  const std::vector<int64_t> divisor = divisors(g, include);

  dispatch_float(x_view.dtype, [&]<class T>(Tag<T>) {
    const std::vector<T> xs = gather<T>(x_view);
    std::vector<T> out;
    for (int64_t n = 0; n < g.input.batch; ++n) {
      for (int64_t c = 0; c < g.input.channels; ++c) {
        size_t position_in_plane = 0;
        for_each_index(g.output.dims, [&](const Spatial& o) {
          Accumulator<T> sum = 0;
          for_each_tap(g, o, [&](const Spatial& position, bool reads_input, bool) {
            if (reads_input) sum += lift(xs[static_cast<size_t>(g.input.offset(n, c, position))]);
          });
          out.push_back(narrow<T>(sum / static_cast<Accumulator<T>>(divisor[position_in_plane++])));
        });
      }
    }
    scatter(out, y_view);
  });
}

// dx[i] = Σ over the outputs o whose window reads input position i of dy[o] / divisor(o), accumulated in
// row-major order of the outputs and rounded once; x is read for its shape only.
void compute_avg_pool_backward(const KernelCall& call) {
  using A = keel_avg_pool_backward_attrs_t;
  constexpr A kDefaults = KEEL_AVG_POOL_BACKWARD_ATTRS_INIT;
  const auto attrs = read_pool_attrs(call, kDefaults);
  const auto include = read_attrs(call.attrs(), kDefaults, &A::count_include_pad).count_include_pad != 0;
  const View dy_view = call.input(0);
  const View x_view = call.input(1);
  const View dx_view = call.output(0);
  check_element_type(x_view, dy_view.dtype);
  check_element_type(dx_view, dy_view.dtype);
  const PoolGeometry g = pool_geometry(attrs, x_view.shape);
  require_shape(dy_view, g.output.shape(), "input dy");
  require_shape(dx_view, x_view.shape, "output dx");
  const std::vector<int64_t> divisor = divisors(g, include);

  dispatch_float(dy_view.dtype, [&]<class T>(Tag<T>) {
    const std::vector<T> dys = gather<T>(dy_view);
    std::vector<Accumulator<T>> sums(static_cast<size_t>(x_view.element_count()), 0);
    for (int64_t n = 0; n < g.input.batch; ++n) {
      for (int64_t c = 0; c < g.input.channels; ++c) {
        size_t position_in_plane = 0;
        for_each_index(g.output.dims, [&](const Spatial& o) {
          const Accumulator<T> share = lift(dys[static_cast<size_t>(g.output.offset(n, c, o))]) /
                                       static_cast<Accumulator<T>>(divisor[position_in_plane++]);
          for_each_tap(g, o, [&](const Spatial& position, bool reads_input, bool) {
            if (reads_input) sums[static_cast<size_t>(g.input.offset(n, c, position))] += share;
          });
        });
      }
    }
    std::vector<T> out;
    out.reserve(sums.size());
    for (const auto sum : sums) out.push_back(narrow<T>(sum));
    scatter(out, dx_view);
  });
}

}  // namespace keel::reference
