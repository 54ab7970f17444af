// Comparisons (bool results) and where against the reference: NaN and signed zeros, broadcasting of all
// operands, every layout; where moves bits, so it must keep NaN payloads (checked bit for bit).
#include <gtest/gtest.h>

#include <random>

#include "oracle.h"

namespace keel::onednn_test {
namespace {

const std::vector<keel_dtype_t> kAll = {KEEL_DTYPE_BOOL, KEEL_DTYPE_I32, KEEL_DTYPE_I64, KEEL_DTYPE_F32,
                                        KEEL_DTYPE_F64};
const std::vector<keel_dtype_t> kNumeric = {KEEL_DTYPE_I32, KEEL_DTYPE_I64, KEEL_DTYPE_F32, KEEL_DTYPE_F64};

Values values_for(keel_dtype_t dtype) { return dtype == KEEL_DTYPE_BOOL ? Values::kBool : Values::kSpecial; }

TEST(CompareTest, MatchesReference) {
  std::mt19937_64 rng(17);
  const std::vector<std::pair<const char*, const std::vector<keel_dtype_t>*>> ops = {
      {"equal", &kAll},    {"not_equal", &kAll},        {"less", &kNumeric},
      {"less_equal", &kNumeric}, {"greater", &kNumeric}, {"greater_equal", &kNumeric}};
  const std::vector<std::pair<Dims, Dims>> shapes = {{{}, {}}, {{0, 3}, {3}}, {{4, 5}, {5}}, {{3, 1}, {1, 6}},
                                                     {{2, 3, 1, 5}, {4, 1}}, {{70000}, {70000}}};
  for (const auto& [op, dtypes] : ops) {
    for (const keel_dtype_t dtype : *dtypes) {
      for (const auto& [a, b] : shapes) {
        HostTensor x = random_tensor(dtype, a, values_for(dtype), rng);
        // Mostly equal pairs, so equality is exercised: b copies a where their shapes allow.
        HostTensor y = random_tensor(dtype, b, values_for(dtype), rng);
        if (a == b) {
          for (int64_t i = 0; i < y.count(); i += 2) y.set_bits(i, x.bits(i));
        }
        expect_matches_reference({.op = op, .inputs = {x, y}});
      }
      expect_matches_reference({.op = op,
                                .inputs = {random_tensor(dtype, {4, 6}, values_for(dtype), rng),
                                           random_tensor(dtype, {4, 6}, values_for(dtype), rng)},
                                .input_layouts = {Layout::kTransposed, Layout::kReversed},
                                .output_layout = Layout::kStrided});
    }
  }
}

TEST(CompareTest, NaNIsUnorderedAndZerosAreEqual) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const std::vector<std::pair<float, float>> pairs = {{nan, nan}, {nan, 1.0f}, {1.0f, nan}, {0.0f, -0.0f}, {-0.0f, 0.0f}};
  HostTensor a = HostTensor::zeros(KEEL_DTYPE_F32, {5});
  HostTensor b = a;
  for (size_t i = 0; i < pairs.size(); ++i) {
    a.set(static_cast<int64_t>(i), pairs[i].first);
    b.set(static_cast<int64_t>(i), pairs[i].second);
  }
  for (const char* op : {"equal", "not_equal", "less", "less_equal", "greater", "greater_equal"}) {
    expect_matches_reference({.op = op, .inputs = {a, b}});
  }
}

TEST(WhereTest, MatchesReferenceBitForBit) {
  std::mt19937_64 rng(19);
  const std::vector<std::array<Dims, 3>> shapes = {
      {Dims{}, Dims{}, Dims{}}, {Dims{0, 2}, Dims{2}, Dims{1}}, {Dims{2, 3}, Dims{3}, Dims{2, 1}},
      {Dims{4, 1, 3}, Dims{5, 1}, Dims{3}}, {Dims{300, 300}, Dims{300, 300}, Dims{300}}};
  for (const keel_dtype_t dtype : kAll) {
    for (const auto& s : shapes) {
      expect_matches_reference({.op = "where",
                                .inputs = {random_tensor(KEEL_DTYPE_BOOL, s[0], Values::kBool, rng),
                                           random_tensor(dtype, s[1], values_for(dtype), rng),
                                           random_tensor(dtype, s[2], values_for(dtype), rng)},
                                .bitwise = true});
    }
    expect_matches_reference({.op = "where",
                              .inputs = {random_tensor(KEEL_DTYPE_BOOL, {3, 5}, Values::kBool, rng),
                                         random_tensor(dtype, {3, 5}, values_for(dtype), rng),
                                         random_tensor(dtype, {3, 5}, values_for(dtype), rng)},
                              .input_layouts = {Layout::kTransposed, Layout::kReversed, Layout::kStrided},
                              .output_layout = Layout::kTransposed,
                              .bitwise = true});
  }
}

TEST(WhereTest, KeepsNaNPayloads) {
  HostTensor cond = HostTensor::zeros(KEEL_DTYPE_BOOL, {4});
  HostTensor a = HostTensor::zeros(KEEL_DTYPE_F32, {4});
  HostTensor b = a;
  for (int64_t i = 0; i < 4; ++i) {
    cond.set(i, i % 2);
    a.set_bits(i, 0x7fc01234u + static_cast<uint64_t>(i));  // quiet NaNs with payloads
    b.set_bits(i, 0xffa00001u + static_cast<uint64_t>(i));  // negative signalling-pattern NaNs
  }
  expect_matches_reference({.op = "where", .inputs = {cond, a, b}, .bitwise = true});
}

}  // namespace
}  // namespace keel::onednn_test
