// Counter-based random numbers exactly as ir_spec/ops/random.yaml defines them: Philox4x32-10, the block and
// word each output element uses, and the conversions of rng_uniform, rng_normal, bernoulli and dropout. Every
// element is a pure function of (seed, offset, element number), so kernels compute each one independently
// and the CPU tests check the spec's known answers with this same code.
#pragma once

#include <cmath>
#include <cstdint>
#include <type_traits>

#include "gpu/numeric.h"
#include "gpu/portable.h"

namespace keel::cuda {

struct PhiloxWords {
  uint32_t x[4];
};

// Philox4x32-10 of a 128-bit counter and a 64-bit key.
KEEL_CUDA_HD inline PhiloxWords philox4x32_10(uint32_t c0, uint32_t c1, uint32_t c2, uint32_t c3, uint32_t k0,
                                              uint32_t k1) {
  for (int round = 0; round < 10; ++round) {
    if (round > 0) {
      k0 += 0x9E3779B9u;
      k1 += 0xBB67AE85u;
    }
    const uint64_t p0 = uint64_t{0xD2511F53u} * c0;
    const uint64_t p1 = uint64_t{0xCD9E8D57u} * c2;
    const uint32_t n0 = static_cast<uint32_t>(p1 >> 32) ^ c1 ^ k0;
    const uint32_t n1 = static_cast<uint32_t>(p1);
    const uint32_t n2 = static_cast<uint32_t>(p0 >> 32) ^ c3 ^ k1;
    const uint32_t n3 = static_cast<uint32_t>(p0);
    c0 = n0;
    c1 = n1;
    c2 = n2;
    c3 = n3;
  }
  return {{c0, c1, c2, c3}};
}

// The stream of one call: key from the seed, block b at counter offset + b (both as 64-bit patterns).
struct PhiloxStream {
  uint64_t seed;
  uint64_t offset;

  KEEL_CUDA_HD PhiloxWords block(uint64_t b) const {
    const uint64_t n = offset + b;
    return philox4x32_10(static_cast<uint32_t>(n), static_cast<uint32_t>(n >> 32), 0, 0,
                         static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32));
  }
  // Word e mod 4 of block floor(e / 4): the word of element e for uniform (m <= 32), bernoulli and dropout.
  KEEL_CUDA_HD uint32_t word(uint64_t e) const { return block(e / 4).x[e % 4]; }
};

// u24(w) = (w >> 8) · 2^-24.
KEEL_CUDA_HD inline double u24(uint32_t w) { return static_cast<double>(w >> 8) * 0x1p-24; }

// The largest value of the dtype below `high` (a double): how rng_uniform keeps its results below high.
template <class T>
KEEL_CUDA_HD inline T largest_below(double high) {
  const T nearest = convert<T>(high);
  if (convert<double>(nearest) < high) return nearest;
  // One step toward -inf from `nearest` (>= high): work on the bits.
  if constexpr (std::is_same_v<T, double>) {
    const uint64_t bits = bits_of(nearest);
    if (nearest == 0.0) return double_from_bits(0x8000000000000001ull);
    return double_from_bits(nearest > 0 ? bits - 1 : bits + 1);
  } else if constexpr (std::is_same_v<T, float>) {
    const uint32_t bits = bits_of(nearest);
    if (nearest == 0.0f) return float_from_bits(0x80000001u);
    return float_from_bits(nearest > 0 ? bits - 1 : bits + 1);
  } else {
    const double value = convert<double>(nearest);
    if (value == 0.0) return T{0x8001};
    return T{static_cast<uint16_t>(value > 0 ? nearest.bits - 1 : nearest.bits + 1)};
  }
}

// Significand bits of a dtype's uniform: f16 11, bf16 8, f32 24, f64 53.
template <class T>
inline constexpr int kUniformBits =
    std::is_same_v<T, double> ? 53 : (std::is_same_v<T, float> ? 24 : (std::is_same_v<T, Half> ? 11 : 8));

// rng_uniform element e.
template <class T>
KEEL_CUDA_HD inline T uniform_element(const PhiloxStream& stream, uint64_t e, double low, double high) {
  double u = 0;
  if constexpr (kUniformBits<T> == 53) {
    const PhiloxWords words = stream.block(e / 2);
    const uint64_t j = e % 2;
    u = (static_cast<double>(words.x[2 * j] >> 5) * 0x1p26 + static_cast<double>(words.x[2 * j + 1] >> 6)) * 0x1p-53;
  } else {
    constexpr int m = kUniformBits<T>;
    u = static_cast<double>(stream.word(e) >> (32 - m)) * (1.0 / static_cast<double>(uint64_t{1} << m));
  }
  if (low == high) return convert<T>(low);
  // A subtraction, a multiplication, an addition, each rounded (the kernels are built without contraction).
  const double range = high - low;
  const double scaled = range * u;
  const T y = convert<T>(low + scaled);
  if (low < high && convert<double>(y) >= high) return largest_below<T>(high);
  return y;
}

// rng_normal element e: the cosine branch of Box-Muller on words 2j and 2j + 1 of block floor(e / 2).
template <class T>
KEEL_CUDA_HD inline T normal_element(const PhiloxStream& stream, uint64_t e, double mean, double std) {
  const PhiloxWords words = stream.block(e / 2);
  const uint64_t j = e % 2;
  const double u1 = static_cast<double>((words.x[2 * j] >> 8) + 1) * 0x1p-24;
  const double u2 = static_cast<double>(words.x[2 * j + 1] >> 8) * 0x1p-24;
  const double radius = ::sqrt(-2.0 * ::log(u1));
  const double z = radius * ::cos(6.283185307179586 * u2);
  const double spread = std * z;
  return convert<T>(mean + spread);
}

// bernoulli element e: 1 when u24 < p (in f64), so p <= 0 and NaN give 0.
KEEL_CUDA_HD inline bool bernoulli_element(const PhiloxStream& stream, uint64_t e, double p) {
  return u24(stream.word(e)) < p;
}

// dropout element e: kept when u24 >= ratio.
KEEL_CUDA_HD inline bool dropout_keeps(const PhiloxStream& stream, uint64_t e, double ratio) {
  return u24(stream.word(e)) >= ratio;
}

}  // namespace keel::cuda
