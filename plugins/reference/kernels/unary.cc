// The elementwise unary operators (ir_spec/ops/elementwise_unary.yaml) and the primitive activations
// (activations.yaml: sigmoid; relu is a composite this plugin also runs directly). The per-element rules are
// in scalar_ops.h.
#include <cmath>

#include "attrs.h"
#include "elementwise.h"
#include "keel/keel_ops.h"
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

// A bool per float element.
template <class Fn>
void test_float(const KernelCall& call, Fn fn) {
  dispatch_float(call.input(0).dtype, [&]<class T>(Tag<T>) {
    map_elements<T, bool>(call, [&](T x) { return fn(widen(x)); });
  });
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

void compute_reciprocal(const KernelCall& call) {
  map_float(call, [](auto x) { return reciprocal_of(x); });
}

void compute_rsqrt(const KernelCall& call) {
  map_float(call, [](auto x) { return rsqrt_of(x); });
}

void compute_sin(const KernelCall& call) {
  map_float(call, [](auto x) { return sin_of(x); });
}

void compute_cos(const KernelCall& call) {
  map_float(call, [](auto x) { return cos_of(x); });
}

void compute_erf(const KernelCall& call) {
  map_float(call, [](auto x) { return erf_of(x); });
}

void compute_floor(const KernelCall& call) {
  map_float(call, [](auto x) { return floor_of(x); });
}

void compute_ceil(const KernelCall& call) {
  map_float(call, [](auto x) { return ceil_of(x); });
}

void compute_round(const KernelCall& call) {
  map_float(call, [](auto x) { return round_half_even(x); });
}

// Every NaN, quiet or signaling, whatever its payload.
void compute_isnan(const KernelCall& call) {
  test_float(call, [](double x) { return std::isnan(x); });
}

void compute_isinf(const KernelCall& call) {
  using A = keel_isinf_attrs_t;
  constexpr A kDefaults = KEEL_ISINF_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs(), kDefaults, &A::detect_positive, &A::detect_negative);
  const bool positive = attrs.detect_positive != 0;
  const bool negative = attrs.detect_negative != 0;
  test_float(call, [&](double x) { return std::isinf(x) && (x > 0 ? positive : negative); });
}

void compute_sigmoid(const KernelCall& call) {
  map_float(call, [](auto x) { return sigmoid_of(x); });
}

void compute_relu(const KernelCall& call) {
  map_numeric(call, [](auto x) { return relu_of(x); });
}

}  // namespace keel::reference
