// Creating tensors: constants, ranges, identity, and Philox random numbers with an explicit Generator.
#include "keel/ops.hpp"
#include "runtime/context.h"
#include "tensor/make.h"

namespace keel {
namespace {

Tensor finish(Tensor t, const TensorOptions& options) {
  if (options.requires_grad) t.requires_grad_();
  return t;
}

Device device_or_default(const TensorOptions& options) {
  return Device(detail::state_of(options.device).device);
}

}  // namespace

namespace detail {

Tensor full_on(DeviceState& device, Dtype dtype, std::span<const int64_t> shape, double value) {
  const std::optional<Device> target(Device(device.device));
  return ops::full({.shape = Shape(shape.begin(), shape.end()), .value = value, .dtype = dtype}, target);
}

}  // namespace detail

Tensor empty(Shape shape, const TensorOptions& options) {
  return finish(detail::empty_on(detail::state_of(options.device), options.dtype, shape), options);
}

Tensor full(Shape shape, double value, const TensorOptions& options) {
  return finish(ops::full({.shape = std::move(shape), .value = value, .dtype = options.dtype}, device_or_default(options)),
                options);
}

Tensor zeros(Shape shape, const TensorOptions& options) { return full(std::move(shape), 0.0, options); }
Tensor ones(Shape shape, const TensorOptions& options) { return full(std::move(shape), 1.0, options); }
Tensor scalar(double value, const TensorOptions& options) { return full({}, value, options); }

Tensor full_like(const Tensor& like, double value) {
  return detail::full_on(detail::device_of(like), like.dtype(), like.shape(), value);
}
Tensor zeros_like(const Tensor& like) { return full_like(like, 0.0); }
Tensor ones_like(const Tensor& like) { return full_like(like, 1.0); }

Tensor arange(double limit, const TensorOptions& options) { return arange(0.0, limit, 1.0, options); }

Tensor arange(double start, double limit, double delta, const TensorOptions& options) {
  return finish(ops::arange({.start = start, .limit = limit, .delta = delta, .dtype = options.dtype},
                            device_or_default(options)),
                options);
}

Tensor eye(int64_t rows, int64_t cols, const TensorOptions& options) {
  return finish(ops::eye({.rows = rows, .cols = cols < 0 ? rows : cols, .dtype = options.dtype}, device_or_default(options)),
                options);
}

// Blocks per call (random.yaml): four elements per Philox block, two for rng_normal and f64 uniforms.
Tensor rand(Shape shape, Generator& generator, const TensorOptions& options, double low, double high) {
  const uint64_t n = static_cast<uint64_t>(detail::numel_of(shape));
  const uint64_t per_block = options.dtype == Dtype::f64 ? 2 : 4;
  const uint64_t offset = generator.take((n + per_block - 1) / per_block);
  return finish(ops::rng_uniform({.shape = std::move(shape),
                                  .low = low,
                                  .high = high,
                                  .dtype = options.dtype,
                                  .seed = static_cast<int64_t>(generator.seed()),
                                  .offset = static_cast<int64_t>(offset)},
                                 device_or_default(options)),
                options);
}

Tensor randn(Shape shape, Generator& generator, const TensorOptions& options, double mean, double std) {
  const uint64_t n = static_cast<uint64_t>(detail::numel_of(shape));
  const uint64_t offset = generator.take((n + 1) / 2);
  return finish(ops::rng_normal({.shape = std::move(shape),
                                 .mean = mean,
                                 .std = std,
                                 .dtype = options.dtype,
                                 .seed = static_cast<int64_t>(generator.seed()),
                                 .offset = static_cast<int64_t>(offset)},
                                device_or_default(options)),
                options);
}

}  // namespace keel
