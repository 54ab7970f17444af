// reduce_sum reduce_mean reduce_max reduce_min reduce_prod argmax argmin (ir_spec/ops/reduction.yaml).
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

// Reads the attributes shared by the five reductions (their structs have the same fields).
template <class Attrs>
Reduction plan_from_attrs(const KernelCall& call, const Attrs& defaults) {
  const auto attrs = read_attrs(call.attrs(), defaults, &Attrs::axes, &Attrs::axes_count, &Attrs::keepdims);
  return plan_reduction(call.input(0).shape, ints(attrs.axes, attrs.axes_count, "axes"), attrs.keepdims != 0);
}

// The plan of argmax/argmin: one axis, moved last.
Reduction plan_single_axis(const Shape& input, int64_t axis_attr, bool keepdims) {
  const int64_t axes[] = {normalize_axis(axis_attr, input.rank, "axis")};
  return plan_reduction(input, axes, keepdims);
}

// Calls combine(run) for each output's run of R input elements and writes what it returns (of type Out).
template <class T, class Out, class Combine>
void reduce_runs(const KernelCall& call, const Reduction& plan, Combine combine) {
  const View x = call.input(0);
  const View y = call.output(0);
  require_shape(y, plan.output_shape, "output y");
  const std::vector<T> values = gather<T>(permuted(x, plan.order));
  const size_t length = static_cast<size_t>(plan.run_length);
  std::vector<Out> out(static_cast<size_t>(y.element_count()));
  for (size_t o = 0; o < out.size(); ++o) {
    out[o] = combine(std::span<const T>(values.data() + o * length, length));
  }
  scatter(out, y);
}

// Floats add in their Accumulator type (float16.h). Starting from the first element (not from +0) keeps the
// IEEE sign of a sum of -0s; the sum of an empty run is +0. Integers wrap.
template <class T>
auto sum_of(std::span<const T> run) {
  if constexpr (kIsFloat<T>) {
    Accumulator<T> sum = 0;
    for (size_t i = 0; i < run.size(); ++i) sum = i == 0 ? lift(run[0]) : sum + lift(run[i]);
    return sum;
  } else {
    T sum = 0;
    for (const T value : run) sum = wrapping_add(sum, value);
    return sum;
  }
}

void require_non_empty(size_t length) {
  if (length == 0) fail(KEEL_STATUS_INVALID_ARGUMENT, "a reduced axis has no elements");
}

// argmax's order: -inf < ... < -0 = +0 < ... < +inf < NaN. Whether `candidate` beats `best` strictly (so ties
// keep the earlier index, and the first NaN stays).
template <class T>
bool above(T candidate, T best) {
  if constexpr (kIsFloat<T>) {
    const double c = widen(candidate);
    const double b = widen(best);
    if (std::isnan(b)) return false;
    return std::isnan(c) || c > b;
  } else {
    return candidate > best;
  }
}

// argmin's order: NaN < -inf < ... < -0 = +0 < ... < +inf.
template <class T>
bool below(T candidate, T best) {
  if constexpr (kIsFloat<T>) {
    const double c = widen(candidate);
    const double b = widen(best);
    if (std::isnan(b)) return false;
    return std::isnan(c) || c < b;
  } else {
    return candidate < best;
  }
}

template <class Attrs, class Beats>
void arg_reduce(const KernelCall& call, const Attrs& defaults, Beats beats) {
  const auto attrs = read_attrs(call.attrs(), defaults, &Attrs::axis, &Attrs::keepdims);
  const Reduction plan = plan_single_axis(call.input(0).shape, attrs.axis, attrs.keepdims != 0);
  dispatch_numeric(call.input(0).dtype, [&]<class T>(Tag<T>) {
    reduce_runs<T, int64_t>(call, plan, [&](std::span<const T> run) {
      require_non_empty(run.size());
      size_t best = 0;
      for (size_t i = 1; i < run.size(); ++i) {
        if (beats(run[i], run[best])) best = i;
      }
      return static_cast<int64_t>(best);
    });
  });
}

}  // namespace

void compute_reduce_sum(const KernelCall& call) {
  constexpr keel_reduce_sum_attrs_t kDefaults = KEEL_REDUCE_SUM_ATTRS_INIT;
  const Reduction plan = plan_from_attrs(call, kDefaults);
  dispatch_numeric(call.input(0).dtype, [&]<class T>(Tag<T>) {
    reduce_runs<T, T>(call, plan, [](std::span<const T> run) {
      if constexpr (kIsFloat<T>) {
        return narrow<T>(sum_of(run));
      } else {
        return sum_of(run);
      }
    });
  });
}

// The sum divided by R and rounded once; the mean of an empty run is 0 / 0 = NaN.
void compute_reduce_mean(const KernelCall& call) {
  constexpr keel_reduce_mean_attrs_t kDefaults = KEEL_REDUCE_MEAN_ATTRS_INIT;
  const Reduction plan = plan_from_attrs(call, kDefaults);
  dispatch_float(call.input(0).dtype, [&]<class T>(Tag<T>) {
    reduce_runs<T, T>(call, plan, [](std::span<const T> run) {
      return narrow<T>(sum_of(run) / static_cast<Accumulator<T>>(run.size()));
    });
  });
}

// IEEE 754-2019 maximum folded over the run: NaN wins, +0 beats -0.
void compute_reduce_max(const KernelCall& call) {
  constexpr keel_reduce_max_attrs_t kDefaults = KEEL_REDUCE_MAX_ATTRS_INIT;
  const Reduction plan = plan_from_attrs(call, kDefaults);
  dispatch_numeric(call.input(0).dtype, [&]<class T>(Tag<T>) {
    reduce_runs<T, T>(call, plan, [](std::span<const T> run) {
      require_non_empty(run.size());
      T best = run[0];
      for (const T value : run) best = maximum_of(best, value);
      return best;
    });
  });
}

// IEEE 754-2019 minimum folded over the run: NaN wins, -0 beats +0.
void compute_reduce_min(const KernelCall& call) {
  constexpr keel_reduce_min_attrs_t kDefaults = KEEL_REDUCE_MIN_ATTRS_INIT;
  const Reduction plan = plan_from_attrs(call, kDefaults);
  dispatch_numeric(call.input(0).dtype, [&]<class T>(Tag<T>) {
    reduce_runs<T, T>(call, plan, [](std::span<const T> run) {
      require_non_empty(run.size());
      T best = run[0];
      for (const T value : run) best = minimum_of(best, value);
      return best;
    });
  });
}

// Floats multiply in long double for every dtype (its exponent range keeps partial products of f16, bf16,
// f32 and f64 values from overflowing or underflowing early) and round once; the product of an empty run is
// 1; a NaN factor or 0 · inf gives NaN. Integers wrap.
void compute_reduce_prod(const KernelCall& call) {
  constexpr keel_reduce_prod_attrs_t kDefaults = KEEL_REDUCE_PROD_ATTRS_INIT;
  const Reduction plan = plan_from_attrs(call, kDefaults);
  dispatch_numeric(call.input(0).dtype, [&]<class T>(Tag<T>) {
    reduce_runs<T, T>(call, plan, [](std::span<const T> run) {
      if constexpr (kIsFloat<T>) {
        long double product = 1;
        for (const T value : run) product *= widen_long(value);
        return narrow<T>(product);
      } else {
        T product = 1;
        for (const T value : run) product = wrapping_mul(product, value);
        return product;
      }
    });
  });
}

// The first position of the largest element along the axis (NaN counting as the largest).
void compute_argmax(const KernelCall& call) {
  constexpr keel_argmax_attrs_t kDefaults = KEEL_ARGMAX_ATTRS_INIT;
  arg_reduce(call, kDefaults, [](auto candidate, auto best) { return above(candidate, best); });
}

// The first position of the smallest element along the axis (NaN counting as the smallest).
void compute_argmin(const KernelCall& call) {
  constexpr keel_argmin_attrs_t kDefaults = KEEL_ARGMIN_ATTRS_INIT;
  arg_reduce(call, kDefaults, [](auto candidate, auto best) { return below(candidate, best); });
}

}  // namespace keel::reference
