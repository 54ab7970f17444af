// Weight initialization following torch.nn.init (gains, fans, bounds and standard deviations).
#include <cmath>
#include <span>
#include <string>
#include <utility>

#include "keel/autograd.hpp"
#include "keel/nn.hpp"

namespace keel::nn {
namespace {

[[noreturn]] void fail(const char* function, const std::string& message) {
  throw Error(KEEL_STATUS_INVALID_ARGUMENT, std::string(function) + ": " + message, "keel");
}

void check_target(const char* function, const Tensor& tensor) {
  if (!tensor.defined()) fail(function, "the tensor is undefined");
  if (!is_floating_point(tensor.dtype())) {
    fail(function, std::string("the tensor must be floating point, not ") + dtype_name(tensor.dtype()));
  }
}

int64_t fan(const char* function, const Tensor& tensor, FanMode mode) {
  check_target(function, tensor);
  const auto [fan_in, fan_out] = fans(tensor.shape());
  const int64_t value = mode == FanMode::fan_in ? fan_in : fan_out;
  if (value == 0) fail(function, "the tensor has no elements along its fan");
  return value;
}

double kaiming_std(const char* function, const Tensor& tensor, const KaimingOptions& options) {
  return calculate_gain(options.nonlinearity, options.a) /
         std::sqrt(static_cast<double>(fan(function, tensor, options.mode)));
}

double xavier_std(const char* function, const Tensor& tensor, double gain) {
  check_target(function, tensor);
  const auto [fan_in, fan_out] = fans(tensor.shape());
  if (fan_in + fan_out == 0) fail(function, "the tensor has no elements");
  return gain * std::sqrt(2.0 / static_cast<double>(fan_in + fan_out));
}

Shape shape_of(const Tensor& tensor) { return Shape(tensor.shape().begin(), tensor.shape().end()); }

// Writes `values` into `tensor` without recording (a parameter that requires grad is updated in place).
Tensor& assign(Tensor& tensor, const Tensor& values) {
  const autograd::NoGrad no_grad;
  tensor.copy_(values);
  return tensor;
}

}  // namespace

double calculate_gain(Nonlinearity nonlinearity, double a) {
  switch (nonlinearity) {
    case Nonlinearity::linear:
    case Nonlinearity::sigmoid: return 1.0;
    case Nonlinearity::tanh: return 5.0 / 3.0;
    case Nonlinearity::relu: return std::sqrt(2.0);
    case Nonlinearity::leaky_relu: return std::sqrt(2.0 / (1.0 + a * a));
  }
  fail("calculate_gain", "unknown nonlinearity");
}

std::pair<int64_t, int64_t> fans(std::span<const int64_t> shape) {
  if (shape.size() < 2) {
    fail("fans", "fan in and fan out need a tensor of rank 2 or more, not rank " + std::to_string(shape.size()));
  }
  int64_t receptive = 1;
  for (size_t i = 2; i < shape.size(); ++i) receptive *= shape[i];
  return {shape[1] * receptive, shape[0] * receptive};
}

Tensor& uniform_(Tensor& tensor, Generator& generator, double low, double high) {
  check_target("uniform_", tensor);
  if (!(low <= high)) fail("uniform_", "low must not exceed high");
  return assign(tensor,
                rand(shape_of(tensor), generator, {.dtype = tensor.dtype(), .device = tensor.device()}, low, high));
}

Tensor& normal_(Tensor& tensor, Generator& generator, double mean, double std) {
  check_target("normal_", tensor);
  if (!(std >= 0)) fail("normal_", "std must be >= 0");
  return assign(tensor,
                randn(shape_of(tensor), generator, {.dtype = tensor.dtype(), .device = tensor.device()}, mean, std));
}

Tensor& kaiming_uniform_(Tensor& tensor, Generator& generator, const KaimingOptions& options) {
  const double bound = std::sqrt(3.0) * kaiming_std("kaiming_uniform_", tensor, options);
  return uniform_(tensor, generator, -bound, bound);
}

Tensor& kaiming_normal_(Tensor& tensor, Generator& generator, const KaimingOptions& options) {
  return normal_(tensor, generator, 0.0, kaiming_std("kaiming_normal_", tensor, options));
}

Tensor& xavier_uniform_(Tensor& tensor, Generator& generator, double gain) {
  const double bound = std::sqrt(3.0) * xavier_std("xavier_uniform_", tensor, gain);
  return uniform_(tensor, generator, -bound, bound);
}

Tensor& xavier_normal_(Tensor& tensor, Generator& generator, double gain) {
  return normal_(tensor, generator, 0.0, xavier_std("xavier_normal_", tensor, gain));
}

}  // namespace keel::nn
