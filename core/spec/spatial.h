// Output sizes of convolution and pooling along one spatial axis, shared by the predicates and the shape
// rules. Attribute lists follow ONNX: strides and dilations have one entry per spatial axis (empty: all 1),
// pads has 2k entries, every axis's begin then every axis's end (empty: all 0).
#pragma once

#include <cstdint>
#include <span>

namespace keel::spec {

// The attributes of one spatial axis.
struct Window {
  int64_t kernel = 1;
  int64_t stride = 1;
  int64_t dilation = 1;
  int64_t pad_begin = 0;
  int64_t pad_end = 0;
};

// Axis `i` (of `k` spatial axes) of the attribute lists; a list that is empty gives the default.
Window window_of(int64_t kernel, std::span<const int64_t> strides, std::span<const int64_t> pads,
                 std::span<const int64_t> dilations, uint32_t i, uint32_t k);

// dilation·(kernel − 1) + 1, or -1 on overflow.
int64_t effective_kernel(const Window& w);

// floor((in + pad_begin + pad_end − effective_kernel) / stride) + 1 (ceil with ceil_mode, then one less when
// the last window would start at or after in + pad_begin). May be 0 or negative; INT64_MIN on overflow.
// Requires stride >= 1, dilation >= 1, pads >= 0.
int64_t pool_output_size(int64_t in, const Window& w, bool ceil_mode);

// (in − 1)·stride − pad_begin − pad_end + effective_kernel + output_padding; INT64_MIN on overflow.
int64_t conv_transpose_output_size(int64_t in, const Window& w, int64_t output_padding);

}  // namespace keel::spec
