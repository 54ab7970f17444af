// reduce_sum reduce_mean reduce_max (ir_spec/ops/reduction.yaml).
//
// The input is read through a permuted view whose kept axes come first and reduced axes last, so in the
// dense copy the elements of output o are the contiguous run [o * R, (o + 1) * R), R being the number of
// elements each output combines. Each run is combined in row-major order, which makes the result
// deterministic.
#include <cmath>
#include <span>
#include <vector>

#include "attrs.h"
#include "keel/keel_ops.h"
#include "kernels.h"
#include "scalar_ops.h"
#include "view.h"

namespace keel::reference {
namespace {

struct Reduction {
  std::vector<uint32_t> order;  // kept axes, then reduced axes
  Shape output_shape;           // with keepdims, reduced axes stay as 1
  int64_t run_length = 1;       // R
};

Reduction plan_reduction(const Shape& input, std::span<const int64_t> axes, bool keepdims) {
  std::array<bool, KEEL_MAX_RANK> reduced{};
  if (axes.empty()) reduced.fill(true);  // an empty list reduces every axis
  for (const int64_t axis : axes) {
    const uint32_t k = normalize_axis(axis, input.rank, "axis");
    if (reduced[k]) fail(KEEL_STATUS_INVALID_ARGUMENT, "attribute axes names axis ", k, " twice");
    reduced[k] = true;
  }
  Reduction plan;
  std::vector<int64_t> output_dims;
  for (uint32_t k = 0; k < input.rank; ++k) {
    if (!reduced[k]) {
      plan.order.push_back(k);
      output_dims.push_back(input.dims[k]);
    } else if (keepdims) {
      output_dims.push_back(1);
    }
  }
  for (uint32_t k = 0; k < input.rank; ++k) {
    if (reduced[k]) {
      plan.order.push_back(k);
      plan.run_length *= input.dims[k];
    }
  }
  plan.output_shape = Shape::of(output_dims);
  return plan;
}

// Reads the attributes shared by the three reductions (their structs have the same fields).
template <class Attrs>
Reduction plan_from_attrs(const KernelCall& call, const Attrs& defaults) {
  const auto attrs = read_attrs(call.attrs(), defaults, &Attrs::axes, &Attrs::axes_count, &Attrs::keepdims);
  return plan_reduction(call.input(0).shape, ints(attrs.axes, attrs.axes_count, "axes"), attrs.keepdims != 0);
}

// Calls combine(run) for each output's run of R input elements and writes what it returns.
template <class T, class Combine>
void reduce_runs(const KernelCall& call, const Reduction& plan, Combine combine) {
  const View x = call.input(0);
  const View y = call.output(0);
  require_shape(y, plan.output_shape, "output y");
  const std::vector<T> values = gather<T>(permuted(x, plan.order));
  const size_t length = static_cast<size_t>(plan.run_length);
  std::vector<T> out(static_cast<size_t>(y.element_count()));
  for (size_t o = 0; o < out.size(); ++o) {
    out[o] = combine(std::span<const T>(values.data() + o * length, length));
  }
  scatter(out, y);
}

// Floats add in f64. Starting from the first element (not from +0) keeps the IEEE sign of a sum of -0s;
// the sum of an empty run is +0. Integers wrap.
template <class T>
auto sum_of(std::span<const T> run) {
  if constexpr (kIsFloat<T>) {
    double sum = 0.0;
    for (size_t i = 0; i < run.size(); ++i) sum = i == 0 ? double{run[0]} : sum + run[i];
    return sum;
  } else {
    T sum = 0;
    for (const T value : run) sum = wrapping_add(sum, value);
    return sum;
  }
}

}  // namespace

void compute_reduce_sum(const KernelCall& call) {
  constexpr keel_reduce_sum_attrs_t kDefaults = KEEL_REDUCE_SUM_ATTRS_INIT;
  const Reduction plan = plan_from_attrs(call, kDefaults);
  dispatch_numeric(call.input(0).dtype, [&]<class T>(Tag<T>) {
    reduce_runs<T>(call, plan, [](std::span<const T> run) { return static_cast<T>(sum_of(run)); });
  });
}

// The f64 sum divided by R and rounded once; the mean of an empty run is 0 / 0 = NaN.
void compute_reduce_mean(const KernelCall& call) {
  constexpr keel_reduce_mean_attrs_t kDefaults = KEEL_REDUCE_MEAN_ATTRS_INIT;
  const Reduction plan = plan_from_attrs(call, kDefaults);
  dispatch_float(call.input(0).dtype, [&]<class T>(Tag<T>) {
    reduce_runs<T>(call, plan, [](std::span<const T> run) {
      return static_cast<T>(sum_of(run) / static_cast<double>(run.size()));
    });
  });
}

// IEEE 754-2019 maximum folded over the run: NaN wins, +0 beats -0.
void compute_reduce_max(const KernelCall& call) {
  constexpr keel_reduce_max_attrs_t kDefaults = KEEL_REDUCE_MAX_ATTRS_INIT;
  const Reduction plan = plan_from_attrs(call, kDefaults);
  dispatch_numeric(call.input(0).dtype, [&]<class T>(Tag<T>) {
    reduce_runs<T>(call, plan, [](std::span<const T> run) {
      if (run.empty()) fail(KEEL_STATUS_INVALID_ARGUMENT, "a reduced axis has no elements");
      T best = run[0];
      for (const T value : run) best = maximum_of(best, value);
      return best;
    });
  });
}

}  // namespace keel::reference
