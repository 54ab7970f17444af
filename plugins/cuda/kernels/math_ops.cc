// Float-only unary functions and activations (gpu/math.cu), isnan/isinf, and clamp with its optional
// bounds. Activation attributes are read here and converted to the element's dtype by the kernel launch.
#include <algorithm>

#include "keel/keel_ops.h"
#include "kernels/layout.h"
#include "kernels/ops.h"

namespace keel::cuda {
namespace {

bool hazard(const KernelCall& call) { return output_hazard(call.output(0), call.inputs(), /*pointwise=*/true); }

void enqueue_math(gpu::MathOp op, const gpu::MathParams& params, const KernelCall& call, Queue& queue) {
  const Tensor x = call.input(0);
  const Tensor y = call.output(0);
  if (y.empty()) return;
  enqueue_output(queue, y, hazard(call), "math kernel", [op, params, x](Launch& launch, const Tensor& out) {
    launch.check(gpu::launch_math(op, x.dtype, params, map_args(out, {&x}), launch.stream()), "math kernel");
  });
}

}  // namespace

template <gpu::MathOp kOp>
void compute_math(const KernelCall& call, Queue& queue) {
  enqueue_math(kOp, {}, call, queue);
}

void compute_leaky_relu(const KernelCall& call, Queue& queue) {
  constexpr keel_leaky_relu_attrs_t kDefaults = KEEL_LEAKY_RELU_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs(), kDefaults, &keel_leaky_relu_attrs_t::alpha);
  enqueue_math(gpu::MathOp::kLeakyRelu, {attrs.alpha, 0, 0}, call, queue);
}

void compute_elu(const KernelCall& call, Queue& queue) {
  constexpr keel_elu_attrs_t kDefaults = KEEL_ELU_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs(), kDefaults, &keel_elu_attrs_t::alpha);
  enqueue_math(gpu::MathOp::kElu, {attrs.alpha, 0, 0}, call, queue);
}

void compute_celu(const KernelCall& call, Queue& queue) {
  constexpr keel_celu_attrs_t kDefaults = KEEL_CELU_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs(), kDefaults, &keel_celu_attrs_t::alpha);
  enqueue_math(gpu::MathOp::kCelu, {attrs.alpha, 0, 0}, call, queue);
}

void compute_selu(const KernelCall& call, Queue& queue) {
  constexpr keel_selu_attrs_t kDefaults = KEEL_SELU_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs(), kDefaults, &keel_selu_attrs_t::alpha, &keel_selu_attrs_t::gamma);
  enqueue_math(gpu::MathOp::kSelu, {attrs.alpha, 0, attrs.gamma}, call, queue);
}

void compute_gelu(const KernelCall& call, Queue& queue) {
  constexpr keel_gelu_attrs_t kDefaults = KEEL_GELU_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs(), kDefaults, &keel_gelu_attrs_t::approximate);
  if (attrs.approximate > KEEL_GELU_APPROXIMATE_TANH) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "unknown gelu approximation ", attrs.approximate);
  }
  const bool tanh_form = attrs.approximate == KEEL_GELU_APPROXIMATE_TANH;
  enqueue_math(tanh_form ? gpu::MathOp::kGeluTanh : gpu::MathOp::kGelu, {}, call, queue);
}

void compute_hardsigmoid(const KernelCall& call, Queue& queue) {
  constexpr keel_hardsigmoid_attrs_t kDefaults = KEEL_HARDSIGMOID_ATTRS_INIT;
  const auto attrs =
      read_attrs(call.attrs(), kDefaults, &keel_hardsigmoid_attrs_t::alpha, &keel_hardsigmoid_attrs_t::beta);
  enqueue_math(gpu::MathOp::kHardsigmoid, {attrs.alpha, attrs.beta, 0}, call, queue);
}

void compute_isnan(const KernelCall& call, Queue& queue) {
  const Tensor x = call.input(0);
  const Tensor y = call.output(0);
  if (y.empty()) return;
  enqueue_output(queue, y, hazard(call), "isnan kernel", [x](Launch& launch, const Tensor& out) {
    launch.check(gpu::launch_classify(gpu::ClassifyOp::kIsNan, x.dtype, false, false, map_args(out, {&x}),
                                      launch.stream()),
                 "isnan kernel");
  });
}

void compute_isinf(const KernelCall& call, Queue& queue) {
  constexpr keel_isinf_attrs_t kDefaults = KEEL_ISINF_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs(), kDefaults, &keel_isinf_attrs_t::detect_positive,
                                &keel_isinf_attrs_t::detect_negative);
  const Tensor x = call.input(0);
  const Tensor y = call.output(0);
  const bool positive = attrs.detect_positive != 0, negative = attrs.detect_negative != 0;
  if (y.empty()) return;
  enqueue_output(queue, y, hazard(call), "isinf kernel", [x, positive, negative](Launch& launch, const Tensor& out) {
    launch.check(gpu::launch_classify(gpu::ClassifyOp::kIsInf, x.dtype, positive, negative, map_args(out, {&x}),
                                      launch.stream()),
                 "isinf kernel");
  });
}

// clamp(x, min?, max?): both bounds a three-input map; one bound is maximum or minimum; none copies x.
void compute_clamp(const KernelCall& call, Queue& queue) {
  const Tensor x = call.input(0);
  const Tensor lo = call.input(1);
  const Tensor hi = call.input(2);
  const Tensor y = call.output(0);
  if (y.empty()) return;
  enqueue_output(queue, y, hazard(call), "clamp kernel", [x, lo, hi](Launch& launch, const Tensor& out) {
    gpu::LaunchResult result;
    if (!lo.absent && !hi.absent) {
      result = gpu::launch_clamp(x.dtype, map_args(out, {&x, &lo, &hi}), launch.stream());
    } else if (!lo.absent) {
      result = gpu::launch_binary(gpu::BinaryOp::kMaximum, x.dtype, 0, map_args(out, {&x, &lo}), launch.stream());
    } else if (!hi.absent) {
      result = gpu::launch_binary(gpu::BinaryOp::kMinimum, x.dtype, 0, map_args(out, {&x, &hi}), launch.stream());
    } else {
      Tensor source = x;  // no bound: y is x broadcast to y's shape
      broadcast_strides(x, out.rank, out.shape, source.strides);
      source.rank = out.rank;
      std::copy(out.shape, out.shape + out.rank, source.shape);
      copy_tensor(launch, source, out);
      return;
    }
    launch.check(result, "clamp kernel");
  });
}

template void compute_math<gpu::MathOp::kReciprocal>(const KernelCall&, Queue&);
template void compute_math<gpu::MathOp::kRsqrt>(const KernelCall&, Queue&);
template void compute_math<gpu::MathOp::kSin>(const KernelCall&, Queue&);
template void compute_math<gpu::MathOp::kCos>(const KernelCall&, Queue&);
template void compute_math<gpu::MathOp::kTan>(const KernelCall&, Queue&);
template void compute_math<gpu::MathOp::kErf>(const KernelCall&, Queue&);
template void compute_math<gpu::MathOp::kFloor>(const KernelCall&, Queue&);
template void compute_math<gpu::MathOp::kCeil>(const KernelCall&, Queue&);
template void compute_math<gpu::MathOp::kRound>(const KernelCall&, Queue&);
template void compute_math<gpu::MathOp::kSilu>(const KernelCall&, Queue&);
template void compute_math<gpu::MathOp::kSoftplus>(const KernelCall&, Queue&);
template void compute_math<gpu::MathOp::kSoftsign>(const KernelCall&, Queue&);
template void compute_math<gpu::MathOp::kHardswish>(const KernelCall&, Queue&);

}  // namespace keel::cuda
