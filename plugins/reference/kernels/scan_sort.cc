// cumsum and topk (ir_spec/ops/scan_sort.yaml). Both read the input through a view that moves the axis last,
// so every slice along it is a contiguous run of the dense copy.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <span>
#include <vector>

#include "attrs.h"
#include "keel/keel_ops.h"
#include "kernels.h"
#include "scalar_ops.h"
#include "view.h"

namespace keel::reference {
namespace {

// One slice of cumsum, from x[first] towards x[last] by `step` (+1 or -1). Floats keep a running sum in
// their Accumulator type and round each output once (the inclusive sum starts from the first element, so a
// run of -0 stays -0; an exclusive scan's first output is +0). Integers wrap.
template <class T>
void scan_run(const T* x, T* y, int64_t length, bool exclusive, bool reverse) {
  using Sum = std::conditional_t<kIsFloat<T>, Accumulator<T>, T>;
  Sum sum{};
  bool started = false;
  for (int64_t n = 0; n < length; ++n) {
    const int64_t i = reverse ? length - 1 - n : n;
    const auto add = [&] {
      if constexpr (kIsFloat<T>) {
        sum = started ? sum + lift(x[i]) : lift(x[i]);
      } else {
        sum = wrapping_add(sum, x[i]);
      }
      started = true;
    };
    if (!exclusive) add();
    if constexpr (kIsFloat<T>) {
      y[i] = narrow<T>(sum);
    } else {
      y[i] = sum;
    }
    if (exclusive) add();
  }
}

// topk's order, as a strict "comes before" on the values: descending (largest) or ascending, with -0 == +0
// and NaN above +inf; equal values are left to the stable sort, which keeps the lower index first.
template <class T>
bool comes_before(T a, T b, bool largest) {
  if constexpr (kIsFloat<T>) {
    const double x = widen(a);
    const double y = widen(b);
    if (largest) {
      if (std::isnan(x)) return !std::isnan(y);
      return !std::isnan(y) && x > y;
    }
    if (std::isnan(x)) return false;
    return std::isnan(y) || x < y;
  } else {
    return largest ? a > b : a < b;
  }
}

}  // namespace

void compute_cumsum(const KernelCall& call) {
  using A = keel_cumsum_attrs_t;
  constexpr A kDefaults = KEEL_CUMSUM_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs(), kDefaults, &A::axis, &A::exclusive, &A::reverse);
  const View x = call.input(0);
  const View y = call.output(0);
  require_shape(y, x.shape, "output y");
  const uint32_t axis = normalize_axis(attrs.axis, x.shape.rank, "axis");
  const std::vector<uint32_t> order = axis_last(x.shape.rank, axis);
  const int64_t length = x.shape.dims[axis];

  dispatch_numeric(x.dtype, [&]<class T>(Tag<T>) {
    const std::vector<T> in = gather<T>(permuted(x, order));
    std::vector<T> out(in.size());
    for (size_t start = 0; start < in.size(); start += static_cast<size_t>(length)) {
      scan_run(in.data() + start, out.data() + start, length, attrs.exclusive != 0, attrs.reverse != 0);
    }
    scatter(out, permuted(y, order));
  });
}

// Per slice: the positions sorted stably by comes_before, the first k of them, then (sorted = false) put back
// in ascending position order. Values are copied bit for bit.
void compute_topk(const KernelCall& call) {
  using A = keel_topk_attrs_t;
  constexpr A kDefaults = KEEL_TOPK_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs(), kDefaults, &A::k, &A::axis, &A::largest, &A::sorted);
  const View x = call.input(0);
  const View values = call.output(0);
  const View indices = call.output(1);
  const uint32_t axis = normalize_axis(attrs.axis, x.shape.rank, "axis");
  const int64_t length = x.shape.dims[axis];
  if (attrs.k < 0 || attrs.k > length) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "attribute k is ", attrs.k, " for an axis of size ", length);
  }
  Shape expected = x.shape;
  expected.dims[axis] = attrs.k;
  require_shape(values, expected, "output values");
  require_shape(indices, expected, "output indices");
  const std::vector<uint32_t> order = axis_last(x.shape.rank, axis);
  const bool largest = attrs.largest != 0;
  const auto k = static_cast<size_t>(attrs.k);

  dispatch_numeric(x.dtype, [&]<class T>(Tag<T>) {
    const std::vector<T> in = gather<T>(permuted(x, order));
    const size_t slices = length == 0 ? 0 : in.size() / static_cast<size_t>(length);
    std::vector<T> out_values;
    std::vector<int64_t> out_indices;
    out_values.reserve(slices * k);
    out_indices.reserve(slices * k);
    for (size_t s = 0; s < slices; ++s) {
      const std::span<const T> run(in.data() + s * static_cast<size_t>(length), static_cast<size_t>(length));
      std::vector<int64_t> positions(run.size());
      std::iota(positions.begin(), positions.end(), int64_t{0});
      std::stable_sort(positions.begin(), positions.end(), [&](int64_t a, int64_t b) {
        return comes_before(run[static_cast<size_t>(a)], run[static_cast<size_t>(b)], largest);
      });
      positions.resize(k);
      if (attrs.sorted == 0) std::sort(positions.begin(), positions.end());
      for (const int64_t p : positions) {
        out_values.push_back(run[static_cast<size_t>(p)]);
        out_indices.push_back(p);
      }
    }
    scatter(out_values, permuted(values, order));
    scatter(out_indices, permuted(indices, order));
  });
}

}  // namespace keel::reference
