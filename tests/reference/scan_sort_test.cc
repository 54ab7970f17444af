// cumsum and topk (scan_sort.yaml): references and the cases that pin down exclusive/reverse scans, integer
// wrap, and topk's order (NaN above +inf, -0 == +0, ties to the lower index, sorted or in index order).
#include <algorithm>
#include <cmath>
#include <numeric>

#include "harness/ref_util.h"
#include "harness/test_support.h"
#include "keel/keel_ops.h"

namespace keel::reference_test {
namespace {

// Calls fn(positions) for every slice along `axis` of `shape`, with the row-major positions of its elements.
template <class Fn>
void for_each_slice(const Dims& shape, size_t axis, Fn&& fn) {
  Dims outer = shape;
  outer[axis] = 1;
  for (int64_t o = 0; o < count_of(outer); ++o) {
    Dims index = unravel(o, outer);
    std::vector<int64_t> positions;
    for (int64_t i = 0; i < shape[axis]; ++i) {
      index[axis] = i;
      positions.push_back(ravel(index, shape));
    }
    fn(positions);
  }
}

KEEL_REFERENCE(cumsum) {
  const auto& a = call.attrs_as<keel_cumsum_attrs_t>();
  const HostTensor& x = call.inputs[0];
  const size_t n = static_cast<size_t>(x.count());
  Expected e;
  e.values.assign(n, 0);
  e.k.assign(n, 0);
  e.magnitude.assign(n, 0);
  if (x.shape.empty()) return {e};  // (never: the axis must exist)
  const size_t axis = axis_of(a.axis, x.shape.size());
  for_each_slice(x.shape, axis, [&](const std::vector<int64_t>& positions) {
    const auto d = static_cast<int64_t>(positions.size());
    for (int64_t i = 0; i < d; ++i) {
      // The elements y[i] adds: 0..i (i-1 exclusive), or i..d-1 (i+1.. exclusive) in reverse.
      int64_t first = a.reverse ? i + (a.exclusive ? 1 : 0) : 0;
      int64_t last = a.reverse ? d - 1 : i - (a.exclusive ? 1 : 0);
      long double sum = 0;
      long double magnitude = 0;
      uint64_t wrapped = 0;
      bool started = false;
      for (int64_t j = first; j <= last; ++j) {
        const long double v = x.value(positions[static_cast<size_t>(j)]);
        sum = started ? sum + v : v;
        started = true;
        magnitude += std::fabs(v);
        wrapped += static_cast<uint64_t>(static_cast<int64_t>(is_float(x.dtype) ? 0 : v));
      }
      const auto p = static_cast<size_t>(positions[static_cast<size_t>(i)]);
      e.values[p] = is_float(x.dtype) ? sum
                    : x.dtype == KEEL_DTYPE_I32 ? static_cast<int32_t>(static_cast<uint32_t>(wrapped))
                                                : static_cast<long double>(static_cast<int64_t>(wrapped));
      e.k[p] = static_cast<long double>(d);
      e.magnitude[p] = magnitude;
    }
  });
  return {e};
}

// topk's order: descending (largest) or ascending, NaN above +inf, -0 == +0; ties keep the lower index.
bool before(long double a, long double b, bool largest) {
  if (largest) {
    if (std::isnan(a)) return !std::isnan(b);
    return !std::isnan(b) && a > b;
  }
  if (std::isnan(a)) return false;
  return std::isnan(b) || a < b;
}

KEEL_REFERENCE(topk) {
  const auto& a = call.attrs_as<keel_topk_attrs_t>();
  const HostTensor& x = call.inputs[0];
  const HostTensor& out = call.outputs[0];
  const size_t axis = axis_of(a.axis, x.shape.size());
  std::vector<long double> values(static_cast<size_t>(out.count()));
  std::vector<long double> indices(values.size());
  // Output slices in the same order as the input's.
  std::vector<std::vector<int64_t>> out_slices;
  for_each_slice(out.shape, axis, [&](const std::vector<int64_t>& positions) { out_slices.push_back(positions); });
  size_t slice = 0;
  for_each_slice(x.shape, axis, [&](const std::vector<int64_t>& positions) {
    std::vector<int64_t> order(positions.size());
    std::iota(order.begin(), order.end(), int64_t{0});
    std::stable_sort(order.begin(), order.end(), [&](int64_t i, int64_t j) {
      return before(x.value(positions[static_cast<size_t>(i)]), x.value(positions[static_cast<size_t>(j)]),
                    a.largest != 0);
    });
    order.resize(static_cast<size_t>(a.k));
    if (!a.sorted) std::sort(order.begin(), order.end());
    if (slice < out_slices.size()) {
      for (size_t r = 0; r < order.size(); ++r) {
        const auto p = static_cast<size_t>(out_slices[slice][r]);
        values[p] = x.value(positions[static_cast<size_t>(order[r])]);
        indices[p] = static_cast<long double>(order[r]);
      }
    }
    ++slice;
  });
  return {Expected::of_values(values), Expected::of_values(indices)};
}

class ScanSort : public BackendTest {};

TEST_P(ScanSort, CumsumEveryModeAxisAndLayout) {
  Random random(31);
  const std::vector<std::pair<Dims, int64_t>> cases = {{{5}, 0}, {{3, 4}, 1}, {{3, 4}, -2}, {{0, 3}, 1},
                                                       {{2, 0}, 1}, {{2, 1, 3, 2, 1, 2}, 2}, {{2, 3, 4}, -1}};
  for (const keel_dtype_t dtype : kNumericTypes) {
    for (const auto& [shape, axis] : cases) {
      const HostTensor x = random.tensor(dtype, shape, -50, 50);
      const std::vector<Layout> layouts = Layout::all(shape.size());
      for (const uint8_t exclusive : {0, 1}) {
        for (const uint8_t reverse : {0, 1}) {
          const keel_cumsum_attrs_t attrs = {sizeof attrs, axis, exclusive, reverse};
          for (size_t l = 0; l < layouts.size(); ++l) {
            SCOPED_TRACE(name_of(dtype) + text_of(shape) + " axis " + std::to_string(axis) + " " + layouts[l].label);
            check_call(session(), "cumsum", &attrs, {x}, {layouts[l]}, {layouts[(l + 1) % layouts.size()]});
          }
        }
      }
    }
  }
}

TEST_P(ScanSort, CumsumWrapsIntegersAndKeepsSpecialValues) {
  for (const keel_dtype_t dtype : kNumericTypes) {
    const keel_cumsum_attrs_t reverse = {sizeof reverse, 0, 0, 1};
    check_call(session(), "cumsum", nullptr, {special_tensor(dtype)});
    check_call(session(), "cumsum", &reverse, {special_tensor(dtype)});
  }
  const HostTensor zeros = tensor_of(KEEL_DTYPE_F32, {3}, {-0.0L, -0.0L, -0.0L});
  EXPECT_TRUE(std::signbit(run_one("cumsum", nullptr, {zeros}, {}, KEEL_DTYPE_F32, {3}).value(2)));
  const keel_cumsum_attrs_t exclusive = {sizeof exclusive, 0, 1, 0};
  EXPECT_FALSE(std::signbit(run_one("cumsum", &exclusive, {zeros}, {}, KEEL_DTYPE_F32, {3}).value(0)));
}

TEST_P(ScanSort, TopkOrderTiesAndNans) {
  for (const keel_dtype_t dtype : kNumericTypes) {
    const bool f = is_float(dtype);
    // Ties (3, 3), -0 against +0, NaNs and infinities.
    const HostTensor x = tensor_of(dtype, {2, 6}, {3, 1, 3, f ? kNaN : 9, -2, 0, f ? -0.0L : 0, f ? kInf : 8, 0,
                                                   f ? -kInf : -8, f ? kNaN : 4, 0});
    for (const int64_t k : {0, 1, 3, 6}) {
      for (const uint8_t largest : {0, 1}) {
        for (const uint8_t sorted : {0, 1}) {
          SCOPED_TRACE(name_of(dtype) + " k " + std::to_string(k));
          const keel_topk_attrs_t attrs = {sizeof attrs, k, -1, largest, sorted};
          check_call(session(), "topk", &attrs, {x}, {Layout::transposed(2)}, {Layout::scrambled(2)});
        }
      }
    }
    const keel_topk_attrs_t columns = {sizeof columns, 2, 0, 1, 1};
    check_call(session(), "topk", &columns, {x});
  }
  Random random(37);
  const HostTensor big = random.tensor(KEEL_DTYPE_I64, {2, 1, 3, 4, 1, 5}, -2, 2);
  const keel_topk_attrs_t attrs = {sizeof attrs, 3, -3, 0, 1};
  check_call(session(), "topk", &attrs, {big}, {Layout::scrambled(6)}, {Layout::transposed(6), Layout::scrambled(6)});
}

KEEL_INSTANTIATE_FOR_BACKENDS(ScanSort);

}  // namespace
}  // namespace keel::reference_test
