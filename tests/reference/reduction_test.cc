// The references of the reductions (reduction.yaml) and the cases beyond reduce_test.cc: reduce_min,
// reduce_prod, argmax and argmin, every float dtype, special values and ties.
#include <cmath>
#include <limits>
#include <set>

#include "harness/ref_util.h"
#include "harness/test_support.h"
#include "keel/keel_ops.h"

namespace keel::reference_test {
namespace {

// The elements each output of a reduction over `axes` (empty: all) combines, in row-major order of x.
std::vector<std::vector<long double>> reduction_groups(const HostTensor& x, const std::vector<int64_t>& axes) {
  std::set<size_t> reduced;
  for (const int64_t axis : axes) reduced.insert(axis_of(axis, x.shape.size()));
  if (axes.empty()) {
    for (size_t k = 0; k < x.shape.size(); ++k) reduced.insert(k);
  }
  Dims kept_shape;
  for (size_t k = 0; k < x.shape.size(); ++k) {
    if (!reduced.contains(k)) kept_shape.push_back(x.shape[k]);
  }
  std::vector<std::vector<long double>> groups(static_cast<size_t>(count_of(kept_shape)));
  for (int64_t i = 0; i < x.count(); ++i) {
    const Dims index = unravel(i, x.shape);
    Dims kept;
    for (size_t k = 0; k < index.size(); ++k) {
      if (!reduced.contains(k)) kept.push_back(index[k]);
    }
    groups[static_cast<size_t>(ravel(kept, kept_shape))].push_back(x.value(i));
  }
  return groups;
}

template <class Attrs>
std::vector<std::vector<long double>> groups_of(const RefCall& call) {
  const auto& a = call.attrs_as<Attrs>();
  return reduction_groups(call.inputs[0], list_of(a.axes, a.axes_count));
}

// The exact integer sum or product of a group, wrapped to the dtype (unsigned 64-bit arithmetic wraps).
long double wrapped_fold(keel_dtype_t dtype, const std::vector<long double>& group, bool product) {
  uint64_t result = product ? 1 : 0;
  for (const long double v : group) {
    const auto bits = static_cast<uint64_t>(static_cast<int64_t>(v));
    result = product ? result * bits : result + bits;
  }
  if (dtype == KEEL_DTYPE_I32) return static_cast<int32_t>(static_cast<uint32_t>(result));
  return static_cast<long double>(static_cast<int64_t>(result));
}

KEEL_REFERENCE(reduce_sum) {
  const keel_dtype_t t = call.inputs[0].dtype;
  Expected e;
  for (const auto& group : groups_of<keel_reduce_sum_attrs_t>(call)) {
    long double sum = 0;
    long double magnitude = 0;
    for (size_t i = 0; i < group.size(); ++i) {
      sum = i == 0 ? group[0] : sum + group[i];  // from the first element: a sum of -0s is -0
      magnitude += std::fabs(group[i]);
    }
    e.values.push_back(is_float(t) ? sum : wrapped_fold(t, group, false));
    e.k.push_back(static_cast<long double>(group.size()));
    e.magnitude.push_back(magnitude);
  }
  return {e};
}

KEEL_REFERENCE(reduce_mean) {
  Expected e;
  for (const auto& group : groups_of<keel_reduce_mean_attrs_t>(call)) {
    long double sum = 0;
    long double magnitude = 0;
    for (const long double v : group) {
      sum += v;
      magnitude += std::fabs(v);
    }
    const auto n = static_cast<long double>(group.size());
    e.values.push_back(sum / n);  // 0 / 0 = NaN for an empty group
    e.k.push_back(n);
    e.magnitude.push_back(magnitude / n);
  }
  return {e};
}

KEEL_REFERENCE(reduce_max) {
  std::vector<long double> values;
  for (const auto& group : groups_of<keel_reduce_max_attrs_t>(call)) {
    long double best = group.at(0);
    for (const long double v : group) best = ieee_max(best, v);
    values.push_back(best);
  }
  return {Expected::of_values(values)};
}

KEEL_REFERENCE(reduce_min) {
  std::vector<long double> values;
  for (const auto& group : groups_of<keel_reduce_min_attrs_t>(call)) {
    long double best = group.at(0);
    for (const long double v : group) best = ieee_min(best, v);
    values.push_back(best);
  }
  return {Expected::of_values(values)};
}

KEEL_REFERENCE(reduce_prod) {
  const keel_dtype_t t = call.inputs[0].dtype;
  Expected e;
  for (const auto& group : groups_of<keel_reduce_prod_attrs_t>(call)) {
    long double product = 1;
    for (const long double v : group) product *= v;
    e.values.push_back(is_float(t) ? product : wrapped_fold(t, group, true));
    e.k.push_back(static_cast<long double>(group.size()));
  }
  return {e};
}

// The first position of the largest (or smallest) element along the axis; the first NaN counts as both.
template <class Attrs>
std::vector<Expected> arg_reference(const RefCall& call, bool largest) {
  const auto& a = call.attrs_as<Attrs>();
  // Each group holds the slice along the axis in order, so a position in it is the index along the axis.
  std::vector<long double> values;
  for (const auto& group : reduction_groups(call.inputs[0], {a.axis})) {
    size_t best = 0;
    for (size_t i = 1; i < group.size(); ++i) {
      const long double b = group[best];
      const long double c = group[i];
      if (std::isnan(b)) break;  // the first NaN wins either way
      if (std::isnan(c) || (largest ? c > b : c < b)) best = i;
    }
    values.push_back(static_cast<long double>(best));
  }
  return {Expected::of_values(values)};
}

KEEL_REFERENCE(argmax) { return arg_reference<keel_argmax_attrs_t>(call, true); }
KEEL_REFERENCE(argmin) { return arg_reference<keel_argmin_attrs_t>(call, false); }

// ---- Cases ------------------------------------------------------------------------------------------------

class Reductions : public BackendTest {};

struct AxisCase {
  Dims shape;
  std::vector<int64_t> axes;
};

const std::vector<AxisCase>& axis_cases() {
  static const std::vector<AxisCase> cases = {{{}, {}},           {{5}, {-1}},           {{2, 3, 4}, {}},
                                              {{2, 3, 4}, {0, 2}}, {{2, 3, 4}, {1, -3}},  {{2, 0, 3}, {0}},
                                              {{3, 1}, {1}},      {{2, 1, 3, 1, 2, 2}, {1, 3, -1}}};
  return cases;
}

TEST_P(Reductions, MinAndProdOverAxisSetsLayoutsAndKeepdims) {
  Random random(23);
  for (const AxisCase& c : axis_cases()) {
    for (const keel_dtype_t dtype : kNumericTypes) {
      const HostTensor x = random.tensor(dtype, c.shape, -3, 3);
      const std::vector<Layout> layouts = Layout::all(c.shape.size());
      for (const uint8_t keepdims : {0, 1}) {
        for (size_t l = 0; l < layouts.size(); ++l) {
          SCOPED_TRACE(name_of(dtype) + text_of(c.shape) + " axes " + text_of(c.axes) + " " + layouts[l].label);
          const keel_reduce_prod_attrs_t prod = {sizeof prod, c.axes.data(), c.axes.size(), keepdims};
          check_call(session(), "reduce_prod", &prod, {x}, {layouts[l]});
          const keel_reduce_sum_attrs_t sum = {sizeof sum, c.axes.data(), c.axes.size(), keepdims};
          check_call(session(), "reduce_sum", &sum, {x}, {layouts[l]});
          if (x.count() == 0) continue;  // min of nothing is invalid
          const keel_reduce_min_attrs_t min = {sizeof min, c.axes.data(), c.axes.size(), keepdims};
          check_call(session(), "reduce_min", &min, {x}, {layouts[l]});
        }
      }
    }
  }
}

TEST_P(Reductions, SpecialValuesSignedZerosAndIntegerWrap) {
  for (const keel_dtype_t dtype : kNumericTypes) {
    SCOPED_TRACE(name_of(dtype));
    const HostTensor x = special_tensor(dtype);
    for (const char* op : {"reduce_sum", "reduce_max", "reduce_min", "reduce_prod", "argmax", "argmin"}) {
      check_call(session(), op, nullptr, {x});
    }
    if (is_float(dtype)) {
      // -0 against +0 both ways, a NaN late in a row, infinities: min keeps -0, prod of 0 · inf is NaN.
      const HostTensor rows = tensor_of(dtype, {4, 3}, {-0.0L, 0.0L, 1, 0.0L, -0.0L, kNaN, kInf, 0, 2, -kInf, -2, 5});
      const std::vector<int64_t> axis1 = {1};
      const keel_reduce_min_attrs_t min = {sizeof min, axis1.data(), 1, 0};
      const keel_reduce_max_attrs_t max = {sizeof max, axis1.data(), 1, 0};
      const keel_reduce_prod_attrs_t prod = {sizeof prod, axis1.data(), 1, 1};
      check_call(session(), "reduce_min", &min, {rows});
      check_call(session(), "reduce_max", &max, {rows});
      check_call(session(), "reduce_prod", &prod, {rows});
      const keel_reduce_mean_attrs_t mean = {sizeof mean, axis1.data(), 1, 0};
      check_call(session(), "reduce_mean", &mean, {rows});
    }
  }
}

TEST_P(Reductions, ArgmaxAndArgminTiesNansAndAxes) {
  for (const keel_dtype_t dtype : kNumericTypes) {
    SCOPED_TRACE(name_of(dtype));
    // Ties go to the first; -0 and +0 tie; the first NaN wins both.
    const bool f = is_float(dtype);
    const HostTensor x = tensor_of(dtype, {3, 4}, {3, 1, 3, -2, f ? -0.0L : 0, 0, -1, -1, 2, f ? kNaN : 2, 7, f ? kNaN : -9});
    for (const int64_t axis : {0, 1, -1, -2}) {
      for (const uint8_t keepdims : {0, 1}) {
        const keel_argmax_attrs_t amax = {sizeof amax, axis, keepdims};
        const keel_argmin_attrs_t amin = {sizeof amin, axis, keepdims};
        check_call(session(), "argmax", &amax, {x}, {Layout::transposed(2)});
        check_call(session(), "argmin", &amin, {x}, {Layout::scrambled(2)});
      }
    }
  }
  Random random(29);
  const HostTensor big = random.tensor(KEEL_DTYPE_I32, {2, 1, 3, 1, 2, 4}, -3, 3);
  for (const int64_t axis : {0, 2, -1, -2, 5}) {
    const keel_argmax_attrs_t amax = {sizeof amax, axis, 1};
    check_call(session(), "argmax", &amax, {big}, {Layout::scrambled(6)});
  }
}

KEEL_INSTANTIATE_FOR_BACKENDS(Reductions);

}  // namespace
}  // namespace keel::reference_test
