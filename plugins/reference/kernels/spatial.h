// The window geometry shared by conv, conv_transpose, conv_backward_weight and the pools (ir_spec/ops/conv.yaml,
// pooling.yaml, training.yaml): tensors are [N, C, D1, ..., Dk] with k = 1 to 3 spatial axes.
//
// Every call is normalized to three spatial axes: the missing leading ones get size 1, kernel 1, stride 1,
// dilation 1 and no padding. That changes neither any result nor the row-major order (or flat position) of
// any element, so the kernels are three plain nested loops whatever k is.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "view.h"

namespace keel::reference {

constexpr uint32_t kSpatialAxes = 3;
using Spatial = std::array<int64_t, kSpatialAxes>;

// [N, C, D1, D2, D3] of a rank 3 to 5 tensor, with the spatial dimensions normalized.
struct Planes {
  int64_t batch = 0;
  int64_t channels = 0;
  Spatial dims{1, 1, 1};
  uint32_t spatial_count = 0;  // k, as given

  int64_t plane_size() const { return dims[0] * dims[1] * dims[2]; }
  // The flat row-major position of a spatial index in one plane.
  int64_t flat(const Spatial& index) const { return (index[0] * dims[1] + index[1]) * dims[2] + index[2]; }
  // The dense offset of element (n, c, index).
  int64_t offset(int64_t n, int64_t c, const Spatial& index) const {
    return (n * channels + c) * plane_size() + flat(index);
  }
  // The tensor shape [N, C, dims...] with k spatial axes.
  Shape shape() const;
};

// INVALID_ARGUMENT unless rank 3 to 5.
Planes planes_of(const Shape& shape, const char* what);
// The same layout with other batch, channel and spatial sizes.
Planes planes_like(const Planes& like, int64_t batch, int64_t channels, const Spatial& dims);

struct Window {
  Spatial kernel{1, 1, 1};
  Spatial stride{1, 1, 1};
  Spatial dilation{1, 1, 1};
  Spatial pad_begin{0, 0, 0};
  Spatial pad_end{0, 0, 0};
};

// The window from the ONNX-style lists for k spatial axes: strides and dilations empty (all 1) or k long,
// pads empty (all 0) or 2k long (begins, then ends), kernel k long. INVALID_ARGUMENT for other lengths or
// out-of-range values.
Window window_of(uint32_t spatial_count, std::span<const int64_t> kernel, std::span<const int64_t> strides,
                 std::span<const int64_t> pads, std::span<const int64_t> dilations);
// An optional per-axis list (output_padding): empty gives zeros.
Spatial spatial_list(uint32_t spatial_count, std::span<const int64_t> values, const char* name);

// Output sizes per axis. conv: floor((D + pb + pe - l·(K - 1) - 1) / s) + 1. pool: the same, or with
// ceil_mode ceil instead of floor and then one less if the last window would start at or after D + pb.
// conv_transpose: (D - 1)·s - pb - pe + l·(K - 1) + output_padding + 1.
Spatial conv_output_dims(const Spatial& dims, const Window& window);
Spatial pool_output_dims(const Spatial& dims, const Window& window, bool ceil_mode);
Spatial conv_transpose_output_dims(const Spatial& dims, const Window& window, const Spatial& output_padding);

// The input position output position `o` reads through tap `t` along axis a: o·s - pb + t·l.
inline int64_t tap_position(const Window& w, uint32_t a, int64_t o, int64_t t) {
  return o * w.stride[a] - w.pad_begin[a] + t * w.dilation[a];
}

// Calls fn(index) for every index of the box [0, dims) in row-major order.
template <class Fn>
void for_each_index(const Spatial& dims, Fn&& fn) {
  Spatial index{};
  for (index[0] = 0; index[0] < dims[0]; ++index[0]) {
    for (index[1] = 0; index[1] < dims[1]; ++index[1]) {
      for (index[2] = 0; index[2] < dims[2]; ++index[2]) fn(index);
    }
  }
}

}  // namespace keel::reference
