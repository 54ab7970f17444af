// softmax and log_softmax (ir_spec/ops/softmax.yaml) along one axis, rounded once. The input is read through
// a view that moves the axis last, so each slice is a contiguous run.
//
// Evaluated in long double, not f64: rounding x - max to f64 perturbs exp(x - max) by about |x - max| · ε, which
// for f64 inputs spread over a few dozen units already exceeds the spec's 4 · K · ε · |y| bound. With the
// wider type the oracle stays well inside it for every dtype.
#include <cmath>
#include <limits>
#include <vector>

#include "attrs.h"
#include "float16.h"
#include "keel/keel_ops.h"
#include "kernels.h"
#include "view.h"

namespace keel::reference {
namespace {

using Wide = long double;

// The slice's values and maximum, or false when the whole slice is NaN: a NaN in it, a maximum of +inf, or
// no finite maximum at all (every element -inf).
template <class T>
bool prepare(const T* x, size_t length, std::vector<Wide>& values, Wide& max) {
  values.resize(length);
  max = -std::numeric_limits<Wide>::infinity();
  bool has_nan = false;
  for (size_t j = 0; j < length; ++j) {
    values[j] = widen_long(x[j]);
    has_nan = has_nan || std::isnan(values[j]);
    max = std::fmax(max, values[j]);
  }
  return !has_nan && std::isfinite(max);
}

template <class T>
void fill_nan(T* y, size_t length) {
  for (size_t j = 0; j < length; ++j) y[j] = narrow<T>(std::numeric_limits<double>::quiet_NaN());
}

// y = exp(x - max) / Σ exp(x - max).
template <class T>
void softmax_run(const T* x, T* y, size_t length) {
  std::vector<Wide> values;
  Wide max = 0;
  if (!prepare(x, length, values, max)) return fill_nan(y, length);
  Wide sum = 0;
  for (Wide& v : values) {
    v = std::exp(v - max);
    sum += v;
  }
  for (size_t j = 0; j < length; ++j) y[j] = narrow<T>(values[j] / sum);
}

// y = x - max - log(Σ exp(x - max)); an -inf element of an otherwise finite slice gives -inf.
template <class T>
void log_softmax_run(const T* x, T* y, size_t length) {
  std::vector<Wide> values;
  Wide max = 0;
  if (!prepare(x, length, values, max)) return fill_nan(y, length);
  Wide sum = 0;
  for (const Wide v : values) sum += std::exp(v - max);
  const Wide log_sum = std::log(sum);
  for (size_t j = 0; j < length; ++j) y[j] = narrow<T>(values[j] - max - log_sum);
}

// Runs `run` on every slice along the axis attribute.
template <class Attrs, class Run>
void along_axis(const KernelCall& call, const Attrs& defaults, Run run) {
  const auto attrs = read_attrs(call.attrs(), defaults, &Attrs::axis);
  const View x = call.input(0);
  const View y = call.output(0);
  require_shape(y, x.shape, "output y");
  const uint32_t axis = normalize_axis(attrs.axis, x.shape.rank, "axis");
  const std::vector<uint32_t> order = axis_last(x.shape.rank, axis);
  const size_t length = static_cast<size_t>(x.shape.dims[axis]);

  dispatch_float(x.dtype, [&]<class T>(Tag<T>) {
    const std::vector<T> in = gather<T>(permuted(x, order));
    std::vector<T> out(in.size());
    for (size_t start = 0; start < in.size(); start += length) run(in.data() + start, out.data() + start, length);
    scatter(out, permuted(y, order));
  });
}

}  // namespace

void compute_softmax(const KernelCall& call) {
  constexpr keel_softmax_attrs_t kDefaults = KEEL_SOFTMAX_ATTRS_INIT;
  along_axis(call, kDefaults, [](const auto* x, auto* y, size_t length) { softmax_run(x, y, length); });
}

void compute_log_softmax(const KernelCall& call) {
  constexpr keel_log_softmax_attrs_t kDefaults = KEEL_LOG_SOFTMAX_ATTRS_INIT;
  along_axis(call, kDefaults, [](const auto* x, auto* y, size_t length) { log_softmax_run(x, y, length); });
}

}  // namespace keel::reference
