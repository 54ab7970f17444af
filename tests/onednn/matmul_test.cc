// matmul against the reference (f64) with the spec's accumulation tolerance: vector and matrix operands,
// batch broadcasting (size-1 and stride-0 batch dimensions), K = 0, zero-size outputs, transposed, strided,
// reversed and offset views on both sides, sizes that take oneDNN's primitive (with and without packing),
// and bf16 (oneDNN with f32 accumulation). f16 and f64 are declined (plugin_test.cc).
#include <gtest/gtest.h>

#include <random>

#include "oracle.h"

namespace keel::onednn_test {
namespace {

void check_matmul(keel_dtype_t dtype, const Dims& a, const Dims& b, std::mt19937_64& rng, Layout la = Layout::kDense,
                  Layout lb = Layout::kDense, Layout out = Layout::kDense, Values values = Values::kFinite) {
  expect_matches_reference({.op = "matmul",
                            .inputs = {random_tensor(dtype, a, values, rng), random_tensor(dtype, b, values, rng)},
                            .input_layouts = {la, lb},
                            .output_layout = out});
}

const std::vector<std::pair<Dims, Dims>> kSmall = {
    {{5}, {5}},       {{5}, {5, 3}},        {{4, 5}, {5}},          {{4, 5}, {5, 3}},    {{2, 1, 4, 5}, {3, 5, 6}},
    {{3, 0}, {0, 4}}, {{0, 5}, {5, 3}},     {{2, 0, 4, 5}, {5, 2}}, {{1, 1}, {1, 1}},    {{2, 3, 2, 4}, {4}},
    {{6}, {2, 6, 3}}, {{2, 2, 1, 3, 4}, {1, 2, 3, 4, 2}},
};

TEST(MatmulTest, SmallShapesMatchReference) {
  std::mt19937_64 rng(59);
  for (const auto& [a, b] : kSmall) check_matmul(KEEL_DTYPE_F32, a, b, rng);
}

TEST(MatmulTest, LargeShapesMatchReference) {
  std::mt19937_64 rng(61);
  const std::vector<std::pair<Dims, Dims>> large = {
      {{64, 96}, {96, 80}},     {{3, 70, 80}, {80, 90}},  {{2, 1, 64, 64}, {3, 64, 64}},
      {{200}, {200, 130}},      {{130, 200}, {200}},      {{256, 256}, {256, 256}},
      {{40, 0}, {0, 300}},      {{1, 512}, {512, 257}},
  };
  for (const auto& [a, b] : large) check_matmul(KEEL_DTYPE_F32, a, b, rng);
}

TEST(MatmulTest, EveryLayoutMatchesReference) {
  std::mt19937_64 rng(67);
  const std::vector<Layout> layouts = {Layout::kDense, Layout::kTransposed, Layout::kStrided, Layout::kReversed,
                                       Layout::kOffset};
  for (const auto& [a, b] : std::vector<std::pair<Dims, Dims>>{{{3, 4, 5}, {3, 5, 6}}, {{2, 48, 64}, {2, 64, 40}}}) {
    for (const Layout la : layouts) {
      for (const Layout lb : layouts) {
        check_matmul(KEEL_DTYPE_F32, a, b, rng, la, lb, Layout::kDense);
      }
      for (const Layout out : {Layout::kTransposed, Layout::kStrided, Layout::kReversed}) {
        check_matmul(KEEL_DTYPE_F32, a, b, rng, la, Layout::kDense, out);
      }
    }
    // Stride-0 batch dimensions (an expanded view) broadcast like size-1 ones.
    check_matmul(KEEL_DTYPE_F32, a, b, rng, Layout::kExpanded, Layout::kDense);
    check_matmul(KEEL_DTYPE_F32, a, b, rng, Layout::kDense, Layout::kExpanded);
  }
}

// A stride-0 batch dimension against an operand without it (or with size 1 there): oneDNN broadcasts only one
// operand per dimension, so the expanded operand is materialized. oneDNN used to be asked for a matmul it
// cannot build (INTERNAL); both dtypes, small and large problems, either operand expanded.
TEST(MatmulTest, ExpandedBatchAgainstAnUnbatchedOperandMatchesReference) {
  std::mt19937_64 rng(79);
  const std::vector<std::pair<Dims, Dims>> expanded_a = {
      {{5, 2, 3}, {3, 4}}, {{2, 1, 2, 3}, {4, 3, 5}}, {{2, 1, 2, 3, 2}, {2, 1, 2, 4}}, {{3, 70, 80}, {80, 90}}};
  const std::vector<std::pair<Dims, Dims>> expanded_b = {{{3, 5}, {4, 5, 6}}, {{64, 48}, {3, 48, 40}}};
  for (const keel_dtype_t dtype : {KEEL_DTYPE_F32, KEEL_DTYPE_BF16}) {
    for (const auto& [a, b] : expanded_a) check_matmul(dtype, a, b, rng, Layout::kExpanded, Layout::kDense);
    for (const auto& [a, b] : expanded_b) check_matmul(dtype, a, b, rng, Layout::kDense, Layout::kExpanded);
    check_matmul(dtype, {4, 64, 32}, {4, 32, 16}, rng, Layout::kExpanded, Layout::kExpanded);
  }
}

TEST(MatmulTest, NaNAndInfinityPropagate) {
  std::mt19937_64 rng(71);
  for (const auto& [a, b] : std::vector<std::pair<Dims, Dims>>{{{3, 4}, {4, 2}}, {{64, 64}, {64, 64}}}) {
    HostTensor x = random_tensor(KEEL_DTYPE_F32, a, Values::kFinite, rng);
    HostTensor y = random_tensor(KEEL_DTYPE_F32, b, Values::kFinite, rng);
    x.set(0, std::numeric_limits<long double>::quiet_NaN());
    x.set(a[1], std::numeric_limits<long double>::infinity());
    expect_matches_reference({.op = "matmul", .inputs = {x, y}});
  }
}

TEST(MatmulTest, Bf16MatchesReferenceWithBf16Tolerance) {
  std::mt19937_64 rng(73);
  for (const auto& [a, b] : std::vector<std::pair<Dims, Dims>>{
           {{64, 96}, {96, 80}}, {{2, 1, 32, 64}, {3, 64, 48}}, {{4, 5}, {5, 3}}, {{128}, {128, 64}}}) {
    check_matmul(KEEL_DTYPE_BF16, a, b, rng);
  }
  check_matmul(KEEL_DTYPE_BF16, {64, 96}, {96, 80}, rng, Layout::kTransposed, Layout::kReversed, Layout::kStrided);
}

}  // namespace
}  // namespace keel::onednn_test
