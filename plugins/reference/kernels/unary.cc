// neg abs sign exp log sqrt tanh sigmoid relu (ir_spec/ops/elementwise_unary.yaml, activations.yaml).
#include "elementwise.h"
#include "kernels.h"
#include "scalar_ops.h"

namespace keel::reference {
namespace {

template <class Fn>
void map_numeric(const KernelCall& call, Fn fn) {
  dispatch_numeric(call.input(0).dtype, [&]<class T>(Tag<T>) { map_elements<T>(call, fn); });
}

template <class Fn>
void map_float(const KernelCall& call, Fn fn) {
  dispatch_float(call.input(0).dtype, [&]<class T>(Tag<T>) { map_elements<T>(call, fn); });
}

}  // namespace

void compute_neg(const KernelCall& call) {
  map_numeric(call, [](auto x) { return negate(x); });
}

void compute_abs(const KernelCall& call) {
  map_numeric(call, [](auto x) { return absolute(x); });
}

void compute_sign(const KernelCall& call) {
  map_numeric(call, [](auto x) { return sign_of(x); });
}

void compute_exp(const KernelCall& call) {
  map_float(call, [](auto x) { return exp_of(x); });
}

void compute_log(const KernelCall& call) {
  map_float(call, [](auto x) { return log_of(x); });
}

void compute_sqrt(const KernelCall& call) {
  map_float(call, [](auto x) { return sqrt_of(x); });
}

void compute_tanh(const KernelCall& call) {
  map_float(call, [](auto x) { return tanh_of(x); });
}

void compute_sigmoid(const KernelCall& call) {
  map_float(call, [](auto x) { return sigmoid_of(x); });
}

void compute_relu(const KernelCall& call) {
  map_numeric(call, [](auto x) { return relu_of(x); });
}

}  // namespace keel::reference
