#include "spatial.h"

#include <vector>

namespace keel::reference {
namespace {

int64_t floor_div(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

int64_t ceil_div(int64_t a, int64_t b) { return -floor_div(-a, b); }

void require_length(std::span<const int64_t> values, size_t expected, const char* name) {
  if (!values.empty() && values.size() != expected) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "attribute ", name, " has ", values.size(), " entries; expected ", expected,
         " (or none)");
  }
}

// The extent of the dilated kernel minus one, l·(K - 1).
int64_t reach(const Window& w, uint32_t a) { return checked_mul(w.dilation[a], w.kernel[a] - 1); }

// D + pb + pe - l·(K - 1) - 1, the span the window's start may cover.
int64_t span(int64_t d, const Window& w, uint32_t a) {
  return checked_add(checked_add(checked_add(d, w.pad_begin[a]), w.pad_end[a]), -checked_add(reach(w, a), 1));
}

}  // namespace

Shape Planes::shape() const {
  std::vector<int64_t> result = {batch, channels};
  for (uint32_t a = kSpatialAxes - spatial_count; a < kSpatialAxes; ++a) result.push_back(dims[a]);
  return Shape::of(result);
}

Planes planes_of(const Shape& shape, const char* what) {
  if (shape.rank < 3 || shape.rank > 5) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, what, " has rank ", shape.rank, "; 1 to 3 spatial axes need rank 3 to 5");
  }
  Planes planes;
  planes.batch = shape.dims[0];
  planes.channels = shape.dims[1];
  planes.spatial_count = shape.rank - 2;
  const uint32_t first = kSpatialAxes - planes.spatial_count;
  for (uint32_t a = first; a < kSpatialAxes; ++a) planes.dims[a] = shape.dims[2 + a - first];
  return planes;
}

Planes planes_like(const Planes& like, int64_t batch, int64_t channels, const Spatial& dims) {
  Planes planes = like;
  planes.batch = batch;
  planes.channels = channels;
  planes.dims = dims;
  return planes;
}

Window window_of(uint32_t spatial_count, std::span<const int64_t> kernel, std::span<const int64_t> strides,
                 std::span<const int64_t> pads, std::span<const int64_t> dilations) {
  require_length(strides, spatial_count, "strides");
  require_length(dilations, spatial_count, "dilations");
  require_length(pads, 2 * spatial_count, "pads");
  if (kernel.size() != spatial_count) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "the kernel has ", kernel.size(), " spatial axes; expected ", spatial_count);
  }
  Window window;
  const uint32_t first = kSpatialAxes - spatial_count;
  for (uint32_t i = 0; i < spatial_count; ++i) {
    const uint32_t a = first + i;
    window.kernel[a] = kernel[i];
    if (!strides.empty()) window.stride[a] = strides[i];
    if (!dilations.empty()) window.dilation[a] = dilations[i];
    if (!pads.empty()) {
      window.pad_begin[a] = pads[i];
      window.pad_end[a] = pads[spatial_count + i];
    }
    if (window.kernel[a] < 1 || window.stride[a] < 1 || window.dilation[a] < 1 || window.pad_begin[a] < 0 ||
        window.pad_end[a] < 0) {
      fail(KEEL_STATUS_INVALID_ARGUMENT, "spatial axis ", i, " has kernel ", window.kernel[a], ", stride ",
           window.stride[a], ", dilation ", window.dilation[a], " and pads ", window.pad_begin[a], ", ",
           window.pad_end[a], " (kernel, stride and dilation must be >= 1, pads >= 0)");
    }
  }
  return window;
}

Spatial spatial_list(uint32_t spatial_count, std::span<const int64_t> values, const char* name) {
  require_length(values, spatial_count, name);
  Spatial result{0, 0, 0};
  const uint32_t first = kSpatialAxes - spatial_count;
  for (uint32_t i = 0; i < values.size(); ++i) result[first + i] = values[i];
  return result;
}

Spatial conv_output_dims(const Spatial& dims, const Window& w) {
  Spatial out{};
  for (uint32_t a = 0; a < kSpatialAxes; ++a) {
    out[a] = floor_div(span(dims[a], w, a), w.stride[a]) + 1;
  }
  return out;
}

Spatial pool_output_dims(const Spatial& dims, const Window& w, bool ceil_mode) {
  if (!ceil_mode) return conv_output_dims(dims, w);
  Spatial out{};
  for (uint32_t a = 0; a < kSpatialAxes; ++a) {
    out[a] = ceil_div(span(dims[a], w, a), w.stride[a]) + 1;
    if (checked_mul(out[a] - 1, w.stride[a]) >= checked_add(dims[a], w.pad_begin[a])) --out[a];
  }
  return out;
}

Spatial conv_transpose_output_dims(const Spatial& dims, const Window& w, const Spatial& output_padding) {
  Spatial out{};
  for (uint32_t a = 0; a < kSpatialAxes; ++a) {
    const int64_t stretched = checked_mul(dims[a] - 1, w.stride[a]);
    const int64_t unpadded = checked_add(checked_add(stretched, -w.pad_begin[a]), -w.pad_end[a]);
    out[a] = checked_add(checked_add(unpadded, reach(w, a)), checked_add(output_padding[a], 1));
  }
  return out;
}

}  // namespace keel::reference
