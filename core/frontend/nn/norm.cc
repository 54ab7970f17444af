// BatchNorm2d (batch statistics in training, running statistics in evaluation) and LayerNorm.
#include <string>
#include <utility>

#include "keel/autograd.hpp"
#include "keel/nn.hpp"
#include "keel/ops.hpp"
#include "nn/detail.h"

namespace keel::nn {

BatchNorm2d::BatchNorm2d(int64_t num_features, const BatchNorm2dOptions& options)
    : Module("BatchNorm2d"), num_features_(num_features), options_(options) {
  if (num_features < 1) fail("num_features must be >= 1");
  if (!(options.eps >= 0)) fail("eps must be >= 0");
  if (!(options.momentum >= 0 && options.momentum <= 1)) fail("momentum must lie in [0, 1]");
  if (!is_floating_point(options.tensor.dtype)) fail("the dtype must be floating point");
  const TensorOptions tensor = detail::options_of(options.tensor);
  if (options.affine) {
    weight = ones({num_features}, tensor);
    bias = zeros({num_features}, tensor);
    register_parameter("weight", weight);
    register_parameter("bias", bias);
  }
  running_mean = zeros({num_features}, tensor);
  running_var = ones({num_features}, tensor);
  register_buffer("running_mean", running_mean);
  register_buffer("running_var", running_var);
}

Tensor BatchNorm2d::forward(const Tensor& input) {
  if (input.rank() != 4 || input.size(1) != num_features_) {
    fail("input must be [N, " + std::to_string(num_features_) + ", H, W]");
  }
  // Without affine, constant ones and zeros stand in (the spec operators take a scale and a bias).
  const Tensor scale =
      weight.defined() ? weight : ones({num_features_}, {.dtype = input.dtype(), .device = input.device()});
  const Tensor shift =
      bias.defined() ? bias : zeros({num_features_}, {.dtype = input.dtype(), .device = input.device()});
  if (!is_training()) {
    return ops::batch_norm(input, scale, shift, running_mean, running_var, {.epsilon = options_.eps});
  }
  const int64_t count = input.numel() / num_features_;
  if (count < 2) fail("training needs more than one value per channel");
  auto [y, mean, var] = ops::batch_norm_training(input, scale, shift, {.epsilon = options_.eps});
  const autograd::NoGrad no_grad;
  const double m = options_.momentum;
  // The running variance is unbiased (n / (n - 1)), as PyTorch's.
  const double unbias = static_cast<double>(count) / static_cast<double>(count - 1);
  running_mean.copy_(running_mean * (1.0 - m) + mean.detach() * m);
  running_var.copy_(running_var * (1.0 - m) + var.detach() * (m * unbias));
  return y;
}

LayerNorm::LayerNorm(Shape normalized_shape, const LayerNormOptions& options)
    : Module("LayerNorm"), normalized_shape_(std::move(normalized_shape)), options_(options) {
  if (normalized_shape_.empty()) fail("normalized_shape must not be empty");
  for (const int64_t size : normalized_shape_) {
    if (size < 1) fail("every size of normalized_shape must be >= 1");
  }
  if (!(options.eps >= 0)) fail("eps must be >= 0");
  if (!is_floating_point(options.tensor.dtype)) fail("the dtype must be floating point");
  if (options.elementwise_affine) {
    weight = ones(normalized_shape_, detail::options_of(options.tensor));
    bias = zeros(normalized_shape_, detail::options_of(options.tensor));
    register_parameter("weight", weight);
    register_parameter("bias", bias);
  }
}

Tensor LayerNorm::forward(const Tensor& input) {
  const auto axes = static_cast<int64_t>(normalized_shape_.size());
  bool fits = input.rank() >= axes;
  for (int64_t i = 0; fits && i < axes; ++i) fits = input.size(input.rank() - axes + i) == normalized_shape_[i];
  if (!fits) fail("input's trailing axes must match normalized_shape");
  const ops::LayerNormOptions layer{.axis = input.rank() - axes, .epsilon = options_.eps};
  return weight.defined() ? ops::layer_norm(input, weight, bias, layer).y : ops::layer_norm(input, layer).y;
}

}  // namespace keel::nn
