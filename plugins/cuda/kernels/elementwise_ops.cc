// Elementwise operators: unary arithmetic, binary arithmetic and remainders, logical operators, comparisons,
// where and cast. One map over the
// output's elements with the inputs broadcast to it; the per-element rules are gpu/scalar_ops.h.
#include "keel/keel_ops.h"
#include "kernels/layout.h"
#include "kernels/ops.h"

namespace keel::cuda {
namespace {

// Elementwise kernels read each position's inputs right before writing it, so an input laid out exactly
// like the output (in place) is fine; any other overlap goes through scratch memory.
bool hazard(const KernelCall& call) { return output_hazard(call.output(0), call.inputs(), /*pointwise=*/true); }

}  // namespace

template <gpu::UnaryOp kOp>
void compute_unary(const KernelCall& call, Queue& queue) {
  const Tensor x = call.input(0);
  const Tensor y = call.output(0);
  if (y.empty()) return;
  enqueue_output(queue, y, hazard(call), "unary kernel", [x](Launch& launch, const Tensor& out) {
    launch.check(gpu::launch_unary(kOp, x.dtype, map_args(out, {&x}), launch.stream()), "unary kernel");
  });
}

template <gpu::BinaryOp kOp>
void compute_binary(const KernelCall& call, Queue& queue) {
  const Tensor a = call.input(0);
  const Tensor b = call.input(1);
  const Tensor y = call.output(0);
  uint32_t rounding = 0;
  if constexpr (kOp == gpu::BinaryOp::kDiv) {
    constexpr keel_div_attrs_t kDefaults = KEEL_DIV_ATTRS_INIT;
    rounding = read_attrs(call.attrs(), kDefaults, &keel_div_attrs_t::rounding).rounding;
    if (rounding > KEEL_DIV_ROUNDING_FLOOR) fail(KEEL_STATUS_INVALID_ARGUMENT, "unknown div rounding ", rounding);
  }
  if (y.empty()) return;
  enqueue_output(queue, y, hazard(call), "binary kernel", [a, b, rounding](Launch& launch, const Tensor& out) {
    launch.check(gpu::launch_binary(kOp, a.dtype, rounding, map_args(out, {&a, &b}), launch.stream()),
                 "binary kernel");
  });
}

template <gpu::CompareOp kOp>
void compute_compare(const KernelCall& call, Queue& queue) {
  const Tensor a = call.input(0);
  const Tensor b = call.input(1);
  const Tensor y = call.output(0);
  if (y.empty()) return;
  enqueue_output(queue, y, hazard(call), "comparison kernel", [a, b](Launch& launch, const Tensor& out) {
    launch.check(gpu::launch_compare(kOp, a.dtype, map_args(out, {&a, &b}), launch.stream()), "comparison kernel");
  });
}

void compute_where(const KernelCall& call, Queue& queue) {
  const Tensor condition = call.input(0);
  const Tensor a = call.input(1);
  const Tensor b = call.input(2);
  const Tensor y = call.output(0);
  if (y.empty()) return;
  enqueue_output(queue, y, hazard(call), "where kernel", [condition, a, b](Launch& launch, const Tensor& out) {
    launch.check(gpu::launch_where(out.element_size, map_args(out, {&condition, &a, &b}), launch.stream()),
                 "where kernel");
  });
}

// A cast to the same dtype copies bits (NaN payloads included); any other follows the spec's conversions.
void compute_cast(const KernelCall& call, Queue& queue) {
  const Tensor x = call.input(0);
  const Tensor y = call.output(0);
  if (y.empty()) return;
  enqueue_output(queue, y, hazard(call), "cast kernel", [x](Launch& launch, const Tensor& out) {
    if (x.dtype == out.dtype) {
      copy_tensor(launch, x, out);
      return;
    }
    launch.check(gpu::launch_cast(x.dtype, out.dtype, map_args(out, {&x}), launch.stream()), "cast kernel");
  });
}

template void compute_unary<gpu::UnaryOp::kNeg>(const KernelCall&, Queue&);
template void compute_unary<gpu::UnaryOp::kAbs>(const KernelCall&, Queue&);
template void compute_unary<gpu::UnaryOp::kSign>(const KernelCall&, Queue&);
template void compute_unary<gpu::UnaryOp::kExp>(const KernelCall&, Queue&);
template void compute_unary<gpu::UnaryOp::kLog>(const KernelCall&, Queue&);
template void compute_unary<gpu::UnaryOp::kSqrt>(const KernelCall&, Queue&);
template void compute_unary<gpu::UnaryOp::kTanh>(const KernelCall&, Queue&);
template void compute_unary<gpu::UnaryOp::kSigmoid>(const KernelCall&, Queue&);
template void compute_unary<gpu::UnaryOp::kRelu>(const KernelCall&, Queue&);
template void compute_unary<gpu::UnaryOp::kLogicalNot>(const KernelCall&, Queue&);
template void compute_binary<gpu::BinaryOp::kAdd>(const KernelCall&, Queue&);
template void compute_binary<gpu::BinaryOp::kSub>(const KernelCall&, Queue&);
template void compute_binary<gpu::BinaryOp::kMul>(const KernelCall&, Queue&);
template void compute_binary<gpu::BinaryOp::kDiv>(const KernelCall&, Queue&);
template void compute_binary<gpu::BinaryOp::kPow>(const KernelCall&, Queue&);
template void compute_binary<gpu::BinaryOp::kMaximum>(const KernelCall&, Queue&);
template void compute_binary<gpu::BinaryOp::kMinimum>(const KernelCall&, Queue&);
template void compute_binary<gpu::BinaryOp::kFmod>(const KernelCall&, Queue&);
template void compute_binary<gpu::BinaryOp::kRemainder>(const KernelCall&, Queue&);
template void compute_binary<gpu::BinaryOp::kPrelu>(const KernelCall&, Queue&);
template void compute_binary<gpu::BinaryOp::kLogicalAnd>(const KernelCall&, Queue&);
template void compute_binary<gpu::BinaryOp::kLogicalOr>(const KernelCall&, Queue&);
template void compute_binary<gpu::BinaryOp::kLogicalXor>(const KernelCall&, Queue&);
template void compute_compare<gpu::CompareOp::kEqual>(const KernelCall&, Queue&);
template void compute_compare<gpu::CompareOp::kNotEqual>(const KernelCall&, Queue&);
template void compute_compare<gpu::CompareOp::kLess>(const KernelCall&, Queue&);
template void compute_compare<gpu::CompareOp::kLessEqual>(const KernelCall&, Queue&);
template void compute_compare<gpu::CompareOp::kGreater>(const KernelCall&, Queue&);
template void compute_compare<gpu::CompareOp::kGreaterEqual>(const KernelCall&, Queue&);

}  // namespace keel::cuda
