// equal not_equal less less_equal greater greater_equal (ir_spec/ops/comparison.yaml). The C++ operators
// already follow IEEE 754: NaN compares false (unequal to everything, itself included) and +0 == -0.
#include "elementwise.h"
#include "kernels.h"

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
  compare_all(call, [](auto a, auto b) { return a == b; });
}

void compute_not_equal(const KernelCall& call) {
  compare_all(call, [](auto a, auto b) { return a != b; });
}

void compute_less(const KernelCall& call) {
  compare_numeric(call, [](auto a, auto b) { return a < b; });
}

void compute_less_equal(const KernelCall& call) {
  compare_numeric(call, [](auto a, auto b) { return a <= b; });
}

void compute_greater(const KernelCall& call) {
  compare_numeric(call, [](auto a, auto b) { return a > b; });
}

void compute_greater_equal(const KernelCall& call) {
  compare_numeric(call, [](auto a, auto b) { return a >= b; });
}

}  // namespace keel::reference
