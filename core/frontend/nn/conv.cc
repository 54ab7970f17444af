// Conv2d, MaxPool2d and AvgPool2d over [N, C, H, W].
#include <cmath>
#include <string>

#include "keel/nn.hpp"
#include "keel/ops.hpp"
#include "nn/detail.h"

namespace keel::nn {
namespace {

ops::IntList pairs(int64_t value) { return {value, value}; }
ops::IntList pads(int64_t value) { return {value, value, value, value}; }

}  // namespace

Conv2d::Conv2d(int64_t in_channels, int64_t out_channels, int64_t kernel_size, const Conv2dOptions& options)
    : Module("Conv2d"), options_(options) {
  if (in_channels < 1 || out_channels < 1 || kernel_size < 1) {
    fail("in_channels, out_channels and kernel_size must be >= 1");
  }
  if (options.stride < 1 || options.dilation < 1 || options.padding < 0) {
    fail("stride and dilation must be >= 1 and padding >= 0");
  }
  if (options.groups < 1 || in_channels % options.groups != 0 || out_channels % options.groups != 0) {
    fail("groups (" + std::to_string(options.groups) + ") must divide in_channels and out_channels");
  }
  if (!is_floating_point(options.tensor.dtype)) fail("the dtype must be floating point");
  Generator generator(options.seed);
  weight =
      empty({out_channels, in_channels / options.groups, kernel_size, kernel_size}, detail::options_of(options.tensor));
  kaiming_uniform_(weight, generator, {.a = std::sqrt(5.0)});
  register_parameter("weight", weight);
  if (options.bias) {
    const double bound = 1.0 / std::sqrt(static_cast<double>(fans(weight.shape()).first));
    bias = empty({out_channels}, detail::options_of(options.tensor));
    uniform_(bias, generator, -bound, bound);
    register_parameter("bias", bias);
  }
}

Tensor Conv2d::forward(const Tensor& input) {
  if (input.rank() != 4 || input.size(1) != weight.size(1) * options_.groups) {
    fail("input must be [N, " + std::to_string(weight.size(1) * options_.groups) + ", H, W]");
  }
  const ops::ConvOptions conv{.strides = pairs(options_.stride),
                              .pads = pads(options_.padding),
                              .dilations = pairs(options_.dilation),
                              .groups = options_.groups};
  return bias.defined() ? ops::conv(input, weight, bias, conv) : ops::conv(input, weight, conv);
}

MaxPool2d::MaxPool2d(int64_t kernel_size, const Pool2dOptions& options)
    : Module("MaxPool2d"), kernel_(kernel_size), options_(options) {
  if (kernel_size < 1 || options.stride < 0 || options.padding < 0) {
    fail("kernel_size must be >= 1, stride >= 0 and padding >= 0");
  }
  if (options.stride == 0) options_.stride = kernel_size;
}

Tensor MaxPool2d::forward(const Tensor& input) {
  if (input.rank() != 4) fail("input must be [N, C, H, W]");
  return ops::max_pool(input, {.kernel_shape = pairs(kernel_),
                               .strides = pairs(options_.stride),
                               .pads = pads(options_.padding),
                               .ceil_mode = options_.ceil_mode})
      .y;
}

AvgPool2d::AvgPool2d(int64_t kernel_size, const Pool2dOptions& options)
    : Module("AvgPool2d"), kernel_(kernel_size), options_(options) {
  if (kernel_size < 1 || options.stride < 0 || options.padding < 0) {
    fail("kernel_size must be >= 1, stride >= 0 and padding >= 0");
  }
  if (options.stride == 0) options_.stride = kernel_size;
}

Tensor AvgPool2d::forward(const Tensor& input) {
  if (input.rank() != 4) fail("input must be [N, C, H, W]");
  return ops::avg_pool(input, {.kernel_shape = pairs(kernel_),
                               .strides = pairs(options_.stride),
                               .pads = pads(options_.padding),
                               .ceil_mode = options_.ceil_mode,
                               .count_include_pad = options_.count_include_pad});
}

}  // namespace keel::nn
