// equal not_equal less less_equal greater greater_equal (ir_spec/ops/comparison.yaml). Floats compare as
// doubles (exactly their values), where the C++ operators follow IEEE 754: NaN compares false (unequal to
// everything, itself included) and +0 == -0.
#include "elementwise.h"
#include "kernels.h"
#include "scalar_ops.h"

namespace keel::reference {
namespace {

template <class Fn>
void compare_all(const KernelCall& call, Fn fn) {
  dispatch_all(call.input(0).dtype, [&]<class T>(Tag<T>) { zip_elements<T, bool>(call, fn); });
}

template <class Fn>
void compare_numeric(const KernelCall& call, Fn fn) {
  dispatch_numeric(call.input(0).dtype, [&]<class T>(Tag<T>) { zip_elements<T, bool>(call, fn); });
}

}  // namespace

void compute_equal(const KernelCall& call) {
  compare_all(call, [](auto a, auto b) { return comparable(a) == comparable(b); });
}

void compute_not_equal(const KernelCall& call) {
  compare_all(call, [](auto a, auto b) { return comparable(a) != comparable(b); });
}

void compute_less(const KernelCall& call) {
  compare_numeric(call, [](auto a, auto b) { return comparable(a) < comparable(b); });
}

void compute_less_equal(const KernelCall& call) {
  compare_numeric(call, [](auto a, auto b) { return comparable(a) <= comparable(b); });
}

void compute_greater(const KernelCall& call) {
  compare_numeric(call, [](auto a, auto b) { return comparable(a) > comparable(b); });
}

void compute_greater_equal(const KernelCall& call) {
  compare_numeric(call, [](auto a, auto b) { return comparable(a) >= comparable(b); });
}

}  // namespace keel::reference
