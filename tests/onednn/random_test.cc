// rng_uniform, rng_normal, bernoulli and dropout: the spec's worked examples (random.yaml) checked on the
// plugin directly, and every dtype and layout against the reference, which must agree bit for bit where the
// spec says the streams are exact.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "oracle.h"

namespace keel::onednn_test {
namespace {

const std::vector<keel_dtype_t> kFloatTypes = {KEEL_DTYPE_F32, KEEL_DTYPE_F64};

HostTensor run_random(const char* op, const void* attrs, keel_dtype_t dtype, const Dims& shape) {
  Harness& h = Harness::get();
  DeviceTensor y = h.allocate(h.onednn(), dtype, shape, Layout::kDense);
  std::string message;
  EXPECT_EQ(h.run(h.onednn(), op, attrs, {}, {&y}, &message), KEEL_STATUS_OK) << message;
  return h.download(y);
}

// random.yaml: shape [6], seed 42, offset 0, f32.
TEST(RngUniformTest, ReproducesTheSpecExample) {
  const int64_t shape[] = {6};
  const keel_rng_uniform_attrs_t attrs = {sizeof(keel_rng_uniform_attrs_t), shape, 1, 0.0, 1.0, KEEL_DTYPE_F32, 42, 0};
  const HostTensor y = run_random("rng_uniform", &attrs, KEEL_DTYPE_F32, {6});
  const double expected[] = {0.6129598617553711, 0.4685865044593811, 0.07323169708251953,
                             0.3408614993095398, 0.9877186417579651, 0.32706332206726074};
  for (int64_t i = 0; i < 6; ++i) EXPECT_EQ(static_cast<double>(y.get(i)), expected[i]) << "element " << i;
}

// random.yaml: shape [4], seed 42, offset 0, f32 (the f32 values -0x1.f0bcb4p-1, ...).
TEST(RngNormalTest, ReproducesTheSpecExample) {
  const int64_t shape[] = {4};
  const keel_rng_normal_attrs_t attrs = {sizeof(keel_rng_normal_attrs_t), shape, 1, 0.0, 1.0, KEEL_DTYPE_F32, 42, 0};
  const HostTensor y = run_random("rng_normal", &attrs, KEEL_DTYPE_F32, {4});
  const float expected[] = {-0x1.f0bcb4p-1f, -0x1.3c5198p+0f, -0x1.2bc02ap-4f, -0x1.1b4e64p+0f};
  for (int64_t i = 0; i < 4; ++i)
    EXPECT_NEAR(static_cast<double>(y.get(i)), expected[i], 8 * std::ldexp(1.0, -23)) << i;
}

TEST(RngUniformTest, MatchesReferenceBitForBit) {
  for (const keel_dtype_t dtype : kFloatTypes) {
    for (const Dims& shape : {Dims{3, 5}, Dims{}, Dims{0, 2}, Dims{7}}) {
      const keel_rng_uniform_attrs_t attrs = {
          sizeof(keel_rng_uniform_attrs_t), shape.data(), shape.size(), -2.0, 3.0, dtype, -7, (int64_t{1} << 32) - 1};
      expect_matches_reference(
          {.op = "rng_uniform", .attrs = &attrs, .output_layout = Layout::kStrided, .bitwise = true, .widen = false});
    }
  }
}

TEST(RngNormalTest, MatchesReference) {
  for (const keel_dtype_t dtype : kFloatTypes) {
    const Dims shape = {4, 9};
    const keel_rng_normal_attrs_t attrs = {
        sizeof(keel_rng_normal_attrs_t), shape.data(), shape.size(), 0.0, 2.0, dtype, 1234567890123, -3};
    expect_matches_reference({.op = "rng_normal", .attrs = &attrs, .output_layout = Layout::kReversed, .widen = false});
  }
}

TEST(BernoulliTest, MatchesReferenceBitForBit) {
  std::mt19937_64 rng(149);
  for (const keel_dtype_t p_type : kFloatTypes) {
    for (const keel_dtype_t dtype : {KEEL_DTYPE_BOOL, KEEL_DTYPE_I32, KEEL_DTYPE_F32, KEEL_DTYPE_F64}) {
      HostTensor p = random_tensor(p_type, {5, 6}, Values::kFinite, rng);
      for (int64_t i = 0; i < p.count(); ++i) p.set(i, p.get(i) / 4 + 0.5L);  // mostly inside [0, 1]
      const keel_bernoulli_attrs_t attrs = {sizeof(keel_bernoulli_attrs_t), dtype, 99, 5};
      expect_matches_reference({.op = "bernoulli",
                                .attrs = &attrs,
                                .inputs = {p},
                                .input_layouts = {Layout::kTransposed},
                                .bitwise = true,
                                .widen = false});
    }
  }
}

TEST(DropoutTest, MatchesReference) {
  std::mt19937_64 rng(151);
  for (const keel_dtype_t dtype : kFloatTypes) {
    for (const double ratio : {0.0, 0.3, 1.0}) {
      for (const uint8_t training : {uint8_t{0}, uint8_t{1}}) {
        const keel_dropout_attrs_t attrs = {sizeof(keel_dropout_attrs_t), ratio, training, 3, 17};
        expect_matches_reference({.op = "dropout",
                                  .attrs = &attrs,
                                  .inputs = {random_tensor(dtype, {3, 7}, Values::kFinite, rng)},
                                  .input_layouts = {Layout::kStrided},
                                  .output_layout = Layout::kReversed,
                                  .widen = false});
      }
    }
  }
}

}  // namespace
}  // namespace keel::onednn_test
