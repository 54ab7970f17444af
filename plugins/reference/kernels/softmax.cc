// softmax (ir_spec/ops/softmax.yaml): y = exp(x - max) / sum(exp(x - max)) along one axis, rounded once. The
// input is read through a view that moves the axis last, so each slice is a contiguous run.
//
// Evaluated in long double, not f64: rounding x - max to f64 perturbs exp(x - max) by about |x - max| · ε, which
// for f64 inputs spread over a few dozen units already exceeds the spec's 4 · K · ε · |y| bound. With the
// wider type the oracle stays well inside it for both f32 and f64.
#include <cmath>
#include <limits>
#include <vector>

#include "attrs.h"
#include "keel/keel_ops.h"
#include "kernels.h"
#include "view.h"

namespace keel::reference {
namespace {

// One slice. A NaN anywhere, or a maximum of +inf, makes the whole slice NaN.
template <class T>
void softmax_run(const T* x, T* y, size_t length) {
  using Wide = long double;
  Wide max = -std::numeric_limits<Wide>::infinity();
  bool has_nan = false;
  for (size_t j = 0; j < length; ++j) {
    has_nan = has_nan || std::isnan(x[j]);
    max = std::fmax(max, static_cast<Wide>(x[j]));
  }
  if (has_nan || max == std::numeric_limits<Wide>::infinity()) {
    for (size_t j = 0; j < length; ++j) y[j] = std::numeric_limits<T>::quiet_NaN();
    return;
  }
  std::vector<Wide> exps(length);
  Wide sum = 0;
  for (size_t j = 0; j < length; ++j) {
    exps[j] = std::exp(static_cast<Wide>(x[j]) - max);
    sum += exps[j];
  }
  for (size_t j = 0; j < length; ++j) y[j] = static_cast<T>(exps[j] / sum);
}

}  // namespace

void compute_softmax(const KernelCall& call) {
  constexpr keel_softmax_attrs_t kDefaults = KEEL_SOFTMAX_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs(), kDefaults, &keel_softmax_attrs_t::axis);
  const View x = call.input(0);
  const View y = call.output(0);
  require_shape(y, x.shape, "output y");
  const uint32_t axis = normalize_axis(attrs.axis, x.shape.rank, "axis");

  std::vector<uint32_t> order;  // every other axis, then the softmax axis
  for (uint32_t k = 0; k < x.shape.rank; ++k) {
    if (k != axis) order.push_back(k);
  }
  order.push_back(axis);

  dispatch_float(x.dtype, [&]<class T>(Tag<T>) {
    const std::vector<T> in = gather<T>(permuted(x, order));
    std::vector<T> out(in.size());
    const size_t length = static_cast<size_t>(x.shape.dims[axis]);
    for (size_t start = 0; start < in.size(); start += length) {
      softmax_run(in.data() + start, out.data() + start, length);
    }
    scatter(out, permuted(y, order));
  });
}

}  // namespace keel::reference
