// softmax against the reference with the spec's tolerance (K = axis length + largest |x - max|): every axis
// including negative ones, 0-size axes, special slices (a NaN, +inf as the maximum, all -inf: the whole slice
// is NaN), and sizes that take oneDNN's primitive as well as the loop.
#include <gtest/gtest.h>

#include <random>

#include "oracle.h"

namespace keel::onednn_test {
namespace {

// softmax and log_softmax share the attribute layout {struct_size, axis} and are checked alike.
void check_softmax(const HostTensor& x, int64_t axis, Layout layout, Layout out_layout, const std::string& label = "") {
  for (const char* op : {"softmax", "log_softmax"}) {
    keel_softmax_attrs_t attrs = KEEL_SOFTMAX_ATTRS_INIT;
    attrs.axis = axis;
    expect_matches_reference({.op = op,
                              .attrs = &attrs,
                              .inputs = {x},
                              .input_layouts = {layout},
                              .output_layout = out_layout,
                              .k = softmax_k(x, axis),
                              .label = "axis " + std::to_string(axis) + " " + label});
  }
}

TEST(SoftmaxTest, MatchesReferenceOnEveryAxis) {
  std::mt19937_64 rng(47);
  for (const keel_dtype_t dtype : {KEEL_DTYPE_F32, KEEL_DTYPE_F64}) {
    for (const auto& [shape, axes] : std::vector<std::pair<Dims, std::vector<int64_t>>>{
             {{7}, {0, -1}}, {{3, 5}, {0, 1, -1, -2}}, {{2, 3, 4}, {0, 1, 2, -2}}, {{2, 0, 3}, {1, 2}}, {{2, 3, 1, 4}, {2, 3}}}) {
      for (const int64_t axis : axes) {
        check_softmax(random_tensor(dtype, shape, Values::kFinite, rng), axis, Layout::kDense, Layout::kDense);
      }
    }
    check_softmax(random_tensor(dtype, {4, 6, 5}, Values::kFinite, rng), 1, Layout::kTransposed, Layout::kStrided);
    check_softmax(random_tensor(dtype, {4, 6, 5}, Values::kFinite, rng), -1, Layout::kReversed, Layout::kDense);
  }
}

TEST(SoftmaxTest, LargeTensorsMatchReference) {
  std::mt19937_64 rng(53);
  check_softmax(random_tensor(KEEL_DTYPE_F32, {128, 1000}, Values::kFinite, rng), -1, Layout::kDense, Layout::kDense);
  check_softmax(random_tensor(KEEL_DTYPE_F32, {64, 100, 8}, Values::kFinite, rng), 1, Layout::kDense, Layout::kDense);
  check_softmax(random_tensor(KEEL_DTYPE_F32, {100, 64}, Values::kFinite, rng), 0, Layout::kTransposed, Layout::kDense);
  HostTensor wide = random_tensor(KEEL_DTYPE_F32, {64, 128}, Values::kFinite, rng);
  for (int64_t i = 0; i < wide.count(); ++i) wide.set(i, wide.get(i) * 20);  // large ranges: exp underflows
  check_softmax(wide, -1, Layout::kDense, Layout::kDense, "wide range");
}

// Rows with a NaN, with +inf as the maximum, all -inf, and with some -inf: small (loop) and large
// (primitive + NaN pass).
TEST(SoftmaxTest, SpecialSlicesFollowTheSpec) {
  const long double inf = std::numeric_limits<long double>::infinity();
  const long double nan = std::numeric_limits<long double>::quiet_NaN();
  for (const int64_t length : {int64_t{4}, int64_t{1024}}) {
    HostTensor x = HostTensor::zeros(KEEL_DTYPE_F32, {5, length});
    for (int64_t j = 0; j < length; ++j) {
      x.set(j, static_cast<long double>(j % 7));
      x.set(length + j, static_cast<long double>(j % 5));
      x.set(2 * length + j, -inf);
      x.set(3 * length + j, static_cast<long double>(j % 3));
      x.set(4 * length + j, j % 2 ? -inf : static_cast<long double>(j % 11));
    }
    x.set(2, nan);
    x.set(length + 1, inf);
    check_softmax(x, -1, Layout::kDense, Layout::kDense, "special rows, length " + std::to_string(length));
  }
}

}  // namespace
}  // namespace keel::onednn_test
