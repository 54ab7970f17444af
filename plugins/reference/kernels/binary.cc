// add sub mul div pow maximum minimum fmod remainder (ir_spec/ops/elementwise_binary.yaml), with numpy
// broadcasting.
#include "attrs.h"
#include "elementwise.h"
#include "keel/keel_ops.h"
#include "kernels.h"
#include "scalar_ops.h"

namespace keel::reference {
namespace {

template <class Fn>
void zip_numeric(const KernelCall& call, Fn fn) {
  dispatch_numeric(call.input(0).dtype, [&]<class T>(Tag<T>) { zip_elements<T, T>(call, fn); });
}

template <class Fn>
void zip_float(const KernelCall& call, Fn fn) {
  dispatch_float(call.input(0).dtype, [&]<class T>(Tag<T>) { zip_elements<T, T>(call, fn); });
}

Rounding rounding_of(uint32_t value) {
  switch (value) {
    case KEEL_DIV_ROUNDING_NONE: return Rounding::kNone;
    case KEEL_DIV_ROUNDING_TRUNC: return Rounding::kTrunc;
    case KEEL_DIV_ROUNDING_FLOOR: return Rounding::kFloor;
    default: fail(KEEL_STATUS_INVALID_ARGUMENT, "attribute rounding has the unknown value ", value);
  }
}

}  // namespace

void compute_add(const KernelCall& call) {
  zip_numeric(call, [](auto a, auto b) { return add_of(a, b); });
}

void compute_sub(const KernelCall& call) {
  zip_numeric(call, [](auto a, auto b) { return sub_of(a, b); });
}

void compute_mul(const KernelCall& call) {
  zip_numeric(call, [](auto a, auto b) { return mul_of(a, b); });
}

void compute_div(const KernelCall& call) {
  constexpr keel_div_attrs_t kDefaults = KEEL_DIV_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs(), kDefaults, &keel_div_attrs_t::rounding);
  const Rounding rounding = rounding_of(attrs.rounding);
  dispatch_numeric(call.input(0).dtype, [&]<class T>(Tag<T>) {
    if (!kIsFloat<T> && rounding == Rounding::kNone) {
      fail(KEEL_STATUS_INVALID_ARGUMENT, "integer inputs need attribute rounding trunc or floor");
    }
    zip_elements<T, T>(call, [rounding](T a, T b) { return divide(a, b, rounding); });
  });
}

void compute_pow(const KernelCall& call) {
  zip_float(call, [](auto a, auto b) { return power(a, b); });
}

void compute_maximum(const KernelCall& call) {
  zip_numeric(call, [](auto a, auto b) { return maximum_of(a, b); });
}

void compute_minimum(const KernelCall& call) {
  zip_numeric(call, [](auto a, auto b) { return minimum_of(a, b); });
}

void compute_fmod(const KernelCall& call) {
  zip_numeric(call, [](auto a, auto b) { return fmod_of(a, b); });
}

void compute_remainder(const KernelCall& call) {
  zip_numeric(call, [](auto a, auto b) { return remainder_of(a, b); });
}

}  // namespace keel::reference
