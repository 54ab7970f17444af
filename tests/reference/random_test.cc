// rng_uniform rng_normal bernoulli dropout (random.yaml): Philox4x32-10 written here a second time from the
// spec (round keys precomputed as k + r · W instead of bumped), checked against the published Random123
// known-answer vectors and the spec's worked examples; same (seed, offset) gives the same bits every run.
#include <array>
#include <cmath>
#include <cstring>

#include "harness/ref_util.h"
#include "harness/test_support.h"
#include "keel/keel_ops.h"

namespace keel::reference_test {
namespace {

using Words = std::array<uint32_t, 4>;

// Philox4x32-10: round r (0..9) uses the key (k0 + r · 0x9E3779B9, k1 + r · 0xBB67AE85) mod 2^32.
Words philox(Words c, uint32_t k0, uint32_t k1) {
  for (uint32_t r = 0; r < 10; ++r) {
    const uint32_t key0 = k0 + r * 0x9E3779B9u;
    const uint32_t key1 = k1 + r * 0xBB67AE85u;
    const uint64_t p0 = 0xD2511F53ull * c[0];
    const uint64_t p1 = 0xCD9E8D57ull * c[2];
    c = {static_cast<uint32_t>(p1 >> 32) ^ c[1] ^ key0, static_cast<uint32_t>(p1),
         static_cast<uint32_t>(p0 >> 32) ^ c[3] ^ key1, static_cast<uint32_t>(p0)};
  }
  return c;
}

// Block b of a call: key from the seed's bits, counter (offset + b) mod 2^64 in words 0 and 1.
Words block(int64_t seed, int64_t offset, uint64_t b) {
  const uint64_t n = static_cast<uint64_t>(offset) + b;
  const auto key = static_cast<uint64_t>(seed);
  return philox({static_cast<uint32_t>(n), static_cast<uint32_t>(n >> 32), 0, 0}, static_cast<uint32_t>(key),
                static_cast<uint32_t>(key >> 32));
}

uint32_t word(int64_t seed, int64_t offset, uint64_t b, size_t j) { return block(seed, offset, b)[j]; }

long double u24(uint32_t w) { return std::ldexp(static_cast<long double>(w >> 8), -24); }

// The largest value of a float dtype below `high`.
long double largest_below(long double high, keel_dtype_t dtype) {
  if (dtype == KEEL_DTYPE_F64) return std::nextafter(static_cast<double>(high), -INFINITY);
  if (dtype == KEEL_DTYPE_F32) return std::nextafter(static_cast<float>(high), -INFINITY);
  uint16_t bits = encode_16(high, dtype);
  while (decode_16(bits, dtype) >= high) bits = bits == 0 ? 0x8001 : (bits & 0x8000) ? bits + 1 : bits - 1;
  return decode_16(bits, dtype);
}

// ---- References -------------------------------------------------------------------------------------------

KEEL_REFERENCE(rng_uniform) {
  const auto& a = call.attrs_as<keel_rng_uniform_attrs_t>();
  const keel_dtype_t t = a.dtype;
  const int m = t == KEEL_DTYPE_F16 ? 11 : t == KEEL_DTYPE_BF16 ? 8 : 24;
  std::vector<long double> values;
  for (uint64_t e = 0; e < static_cast<uint64_t>(call.outputs[0].count()); ++e) {
    long double u = 0;
    if (t == KEEL_DTYPE_F64) {
      const Words w = block(a.seed, a.offset, e / 2);
      const uint64_t j = e % 2;
      u = std::ldexp(static_cast<long double>((uint64_t{w[2 * j]} >> 5) * 67108864ull + (w[2 * j + 1] >> 6)), -53);
    } else {
      u = std::ldexp(static_cast<long double>(word(a.seed, a.offset, e / 4, e % 4) >> (32 - m)), -m);
    }
    // In f64: a subtraction, a multiplication, an addition, each rounded.
    const double range = a.high - a.low;
    const double scaled = range * static_cast<double>(u);
    const double sum = a.low + scaled;
    long double y = round_to(sum, t);
    if (a.low < a.high && y >= a.high) y = largest_below(a.high, t);
    values.push_back(y);
  }
  return {Expected::of_values(values)};
}

// Box–Muller's cosine branch; the argument of cos is the spec's f64 product, the functions in long double.
KEEL_REFERENCE(rng_normal) {
  const auto& a = call.attrs_as<keel_rng_normal_attrs_t>();
  std::vector<long double> values;
  for (uint64_t e = 0; e < static_cast<uint64_t>(call.outputs[0].count()); ++e) {
    const Words w = block(a.seed, a.offset, e / 2);
    const uint64_t j = e % 2;
    const long double u1 = std::ldexp(static_cast<long double>((w[2 * j] >> 8) + 1), -24);
    const double u2 = std::ldexp(static_cast<double>(w[2 * j + 1] >> 8), -24);
    const double angle = 6.283185307179586 * u2;
    const long double z = std::sqrt(-2.0L * std::log(u1)) * std::cos(static_cast<long double>(angle));
    values.push_back(a.mean + a.std * z);
  }
  return {Expected::of_values(values)};
}

KEEL_REFERENCE(bernoulli) {
  const auto& a = call.attrs_as<keel_bernoulli_attrs_t>();
  const HostTensor& p = call.inputs[0];
  std::vector<long double> values;
  for (uint64_t e = 0; e < static_cast<uint64_t>(p.count()); ++e) {
    values.push_back(u24(word(a.seed, a.offset, e / 4, e % 4)) < p.value(static_cast<int64_t>(e)) ? 1 : 0);
  }
  return {Expected::of_values(values)};
}

KEEL_REFERENCE(dropout) {
  const auto& a = call.attrs_as<keel_dropout_attrs_t>();
  const HostTensor& x = call.inputs[0];
  if (!a.training) {
    return {Expected::of_bits(x), Expected::of_values(std::vector<long double>(static_cast<size_t>(x.count()), 1))};
  }
  const double scale = 1.0 / (1.0 - a.ratio);
  std::vector<long double> values;
  std::vector<long double> mask;
  for (uint64_t e = 0; e < static_cast<uint64_t>(x.count()); ++e) {
    const bool keep = u24(word(a.seed, a.offset, e / 4, e % 4)) >= a.ratio;
    mask.push_back(keep ? 1 : 0);
    values.push_back(keep ? x.value(static_cast<int64_t>(e)) * scale : 0.0L);
  }
  return {Expected::of_values(values), Expected::of_values(mask)};
}

// ---- Cases ------------------------------------------------------------------------------------------------

TEST(Philox, KnownAnswersOfRandom123) {
  // kat_vectors of the Random123 distribution, philox4x32 with 10 rounds.
  EXPECT_EQ(philox({0, 0, 0, 0}, 0, 0), (Words{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}));
  EXPECT_EQ(philox({0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, 0xffffffff, 0xffffffff),
            (Words{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}));
  EXPECT_EQ(philox({0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, 0xa4093822, 0x299f31d0),
            (Words{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}));
  // The spec's example: seed 42, offset 0.
  EXPECT_EQ(block(42, 0, 0), (Words{0x9ceaf053, 0x77f5493b, 0x12bf50ad, 0x5742b3d7}));
  EXPECT_EQ(block(42, 0, 1)[0], 0xfcdb2127u);
  EXPECT_EQ(block(42, 0, 1)[1], 0x53ba6cfdu);
}

class Random123 : public BackendTest {};

TEST_P(Random123, TheSpecsWorkedExamples) {
  std::vector<int64_t> six = {6};
  const keel_rng_uniform_attrs_t uniform = {sizeof uniform, six.data(), 1, 0.0, 1.0, KEEL_DTYPE_F32, 42, 0};
  const HostTensor u = run_one("rng_uniform", &uniform, {}, {}, KEEL_DTYPE_F32, {6});
  EXPECT_TRUE(exactly(u, tensor_of(KEEL_DTYPE_F32, {6},
                                   {0.6129598617553711L, 0.4685865044593811L, 0.07323169708251953L,
                                    0.3408614993095398L, 0.9877186417579651L, 0.32706332206726074L})));
  std::vector<int64_t> four = {4};
  const keel_rng_normal_attrs_t normal = {sizeof normal, four.data(), 1, 0.0, 1.0, KEEL_DTYPE_F32, 42, 0};
  const HostTensor z = run_one("rng_normal", &normal, {}, {}, KEEL_DTYPE_F32, {4});
  EXPECT_TRUE(exactly(z, tensor_of(KEEL_DTYPE_F32, {4},
                                   {-0x1.f0bcb4p-1L, -0x1.3c5198p+0L, -0x1.2bc02ap-4L, -0x1.1b4e64p+0L})));
}

TEST_P(Random123, EveryDtypeSeedOffsetAndShape) {
  for (const keel_dtype_t dtype : kFloatTypes) {
    for (const auto& [seed, offset] : std::vector<std::pair<int64_t, int64_t>>{{0, 0}, {42, 7}, {-1, -1}, {1234567890123, 99}}) {
      SCOPED_TRACE(name_of(dtype) + " seed " + std::to_string(seed) + " offset " + std::to_string(offset));
      std::vector<int64_t> shape = {2, 1, 3, 5};
      const keel_rng_uniform_attrs_t uniform = {sizeof uniform, shape.data(), 4, -2.0, 3.0, dtype, seed, offset};
      check_call(session(), "rng_uniform", &uniform, {}, {}, {Layout::scrambled(4)});
      const keel_rng_normal_attrs_t normal = {sizeof normal, shape.data(), 4, 0.0, 2.5, dtype, seed, offset};
      check_call(session(), "rng_normal", &normal, {}, {}, {Layout::transposed(4)});
      Random random(97);
      const HostTensor p = random.tensor(dtype, {3, 7}, -0.2, 1.2);
      for (const keel_dtype_t out : {KEEL_DTYPE_BOOL, KEEL_DTYPE_I32, KEEL_DTYPE_F16, KEEL_DTYPE_F64}) {
        const keel_bernoulli_attrs_t bernoulli = {sizeof bernoulli, out, seed, offset};
        check_call(session(), "bernoulli", &bernoulli, {p}, {Layout::transposed(2)});
      }
      for (const double ratio : {0.0, 0.3, 0.5, 1.0}) {
        for (const uint8_t training : {0, 1}) {
          const keel_dropout_attrs_t dropout = {sizeof dropout, ratio, training, seed, offset};
          check_call(session(), "dropout", &dropout, {random.tensor(dtype, {4, 5}, -9, 9)}, {Layout::scrambled(2)},
                     {Layout::transposed(2)});
        }
      }
    }
  }
}

TEST_P(Random123, UniformNeverReachesHigh) {
  // An interval one ulp wide: half the draws round up to high and must become the value below it.
  for (const keel_dtype_t dtype : kFloatTypes) {
    const long double high = 1 + epsilon_of(dtype);
    std::vector<int64_t> shape = {64};
    const keel_rng_uniform_attrs_t attrs = {sizeof attrs, shape.data(), 1, 1.0, static_cast<double>(high), dtype, 3, 0};
    check_call(session(), "rng_uniform", &attrs, {});
    const HostTensor y = run_one("rng_uniform", &attrs, {}, {}, dtype, {64});
    for (int64_t i = 0; i < y.count(); ++i) EXPECT_EQ(y.value(i), 1.0L);
  }
}

TEST_P(Random123, SameSeedAndOffsetGiveTheSameBitsEveryRun) {
  std::vector<int64_t> shape = {3, 33};
  for (const keel_dtype_t dtype : kFloatTypes) {
    const keel_rng_uniform_attrs_t uniform = {sizeof uniform, shape.data(), 2, -1.0, 1.0, dtype, 77, 1000};
    const keel_rng_normal_attrs_t normal = {sizeof normal, shape.data(), 2, 1.0, 3.0, dtype, 77, 1000};
    const HostTensor first = run_one("rng_uniform", &uniform, {}, {}, dtype, {3, 33});
    const HostTensor first_normal = run_one("rng_normal", &normal, {}, {}, dtype, {3, 33});
    for (int run = 0; run < 3; ++run) {
      EXPECT_TRUE(bitwise(run_one("rng_uniform", &uniform, {}, {}, dtype, {3, 33}, Layout::scrambled(2)), first));
      EXPECT_TRUE(bitwise(run_one("rng_normal", &normal, {}, {}, dtype, {3, 33}), first_normal));
    }
    // A different offset gives different numbers.
    const keel_rng_uniform_attrs_t moved = {sizeof moved, shape.data(), 2, -1.0, 1.0, dtype, 77, 1001};
    EXPECT_FALSE(bitwise(run_one("rng_uniform", &moved, {}, {}, dtype, {3, 33}), first));
  }
}

KEEL_INSTANTIATE_FOR_BACKENDS(Random123);

}  // namespace
}  // namespace keel::reference_test
