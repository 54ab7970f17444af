// rng_uniform, rng_normal, bernoulli and dropout (ir_spec/ops/random.yaml): Philox4x32-10 with the spec's
// exact bits; the elements are numbered in row-major order of the output, which the map keeps.
#include "keel/keel_ops.h"
#include "kernels/layout.h"
#include "kernels/ops.h"

namespace keel::cuda {
namespace {

uint64_t pattern(int64_t value) { return static_cast<uint64_t>(value); }  // two's-complement bits

}  // namespace

void compute_rng_uniform(const KernelCall& call, Queue& queue) {
  using A = keel_rng_uniform_attrs_t;
  constexpr A kDefaults = KEEL_RNG_UNIFORM_ATTRS_INIT;
  const A attrs = read_attrs(call.attrs(), kDefaults, &A::low, &A::high, &A::seed, &A::offset);
  const Tensor y = call.output(0);
  if (y.empty()) return;
  queue.enqueue(
      [y, attrs](Launch& launch) {
        launch.check(gpu::launch_rng_uniform(y.dtype, pattern(attrs.seed), pattern(attrs.offset), attrs.low,
                                             attrs.high, map_args(y, {}), launch.stream()),
                     "rng_uniform kernel");
      },
      "rng_uniform");
}

void compute_rng_normal(const KernelCall& call, Queue& queue) {
  using A = keel_rng_normal_attrs_t;
  constexpr A kDefaults = KEEL_RNG_NORMAL_ATTRS_INIT;
  const A attrs = read_attrs(call.attrs(), kDefaults, &A::mean, &A::std, &A::seed, &A::offset);
  const Tensor y = call.output(0);
  if (y.empty()) return;
  queue.enqueue(
      [y, attrs](Launch& launch) {
        launch.check(gpu::launch_rng_normal(y.dtype, pattern(attrs.seed), pattern(attrs.offset), attrs.mean,
                                            attrs.std, map_args(y, {}), launch.stream()),
                     "rng_normal kernel");
      },
      "rng_normal");
}

void compute_bernoulli(const KernelCall& call, Queue& queue) {
  using A = keel_bernoulli_attrs_t;
  constexpr A kDefaults = KEEL_BERNOULLI_ATTRS_INIT;
  const A attrs = read_attrs(call.attrs(), kDefaults, &A::seed, &A::offset);
  const Tensor p = call.input(0);
  const Tensor y = call.output(0);
  if (y.empty()) return;
  const uint64_t one = bits_of_one(y.dtype);
  const bool hazard = output_hazard(y, call.inputs(), /*pointwise=*/true);
  enqueue_output(queue, y, hazard, "bernoulli", [p, one, attrs](Launch& launch, const Tensor& out) {
    launch.check(gpu::launch_bernoulli(p.dtype, out.element_size, one, pattern(attrs.seed), pattern(attrs.offset),
                                       map_args(out, {&p}), launch.stream()),
                 "bernoulli kernel");
  });
}

// training = false passes x through (bit for bit) with an all-true mask.
void compute_dropout(const KernelCall& call, Queue& queue) {
  using A = keel_dropout_attrs_t;
  constexpr A kDefaults = KEEL_DROPOUT_ATTRS_INIT;
  const A attrs = read_attrs(call.attrs(), kDefaults, &A::ratio, &A::training, &A::seed, &A::offset);
  const Tensor x = call.input(0);
  const Tensor y = call.output(0);
  const Tensor mask = call.output(1);
  if (y.empty()) return;
  const bool training = attrs.training != 0;
  enqueue_output(queue, y, output_hazard(y, call.inputs(), /*pointwise=*/true), "dropout",
                 [x, attrs, training](Launch& launch, const Tensor& out) {
                   if (!training) return copy_tensor(launch, x, out);
                   launch.check(gpu::launch_dropout(x.dtype, pattern(attrs.seed), pattern(attrs.offset), attrs.ratio,
                                                    map_args(out, {&x}), launch.stream()),
                                "dropout kernel");
                 });
  enqueue_output(queue, mask, output_hazard(mask, call.inputs(), /*pointwise=*/false), "dropout mask",
                 [attrs, training](Launch& launch, const Tensor& out) {
                   if (!training) {
                     launch.check(gpu::launch_fill(1, 1, map_args(out, {}), launch.stream()), "fill kernel");
                     return;
                   }
                   launch.check(gpu::launch_dropout_mask(pattern(attrs.seed), pattern(attrs.offset), attrs.ratio,
                                                         map_args(out, {}), launch.stream()),
                                "dropout mask kernel");
                 });
}

}  // namespace keel::cuda
