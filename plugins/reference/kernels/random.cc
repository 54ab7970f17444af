// rng_uniform rng_normal bernoulli dropout (ir_spec/ops/random.yaml): Philox4x32-10 words turned into values
// exactly as the spec writes it, every step in f64 with each operation rounded (the plugin is built with
// -ffp-contract=off, so nothing is fused), then rounded once to the dtype. Element e is the e-th element of
// the output in row-major order.
#include <cmath>
#include <vector>

#include "attrs.h"
#include "convert.h"
#include "keel/keel_ops.h"
#include "kernels.h"
#include "philox.h"
#include "view.h"

namespace keel::reference {
namespace {

// The words of one call, block by block as elements ask for them.
class WordStream {
 public:
  WordStream(int64_t seed, int64_t offset) : seed_(seed), offset_(offset) {}

  // Word j (0..3) of block b.
  uint32_t word(uint64_t b, size_t j) {
    if (!loaded_ || b != block_) {
      words_ = keel_philox_block(seed_, offset_, b);
      block_ = b;
      loaded_ = true;
    }
    return words_[j];
  }

 private:
  int64_t seed_;
  int64_t offset_;
  uint64_t block_ = 0;
  bool loaded_ = false;
  PhiloxCounter words_{};
};

// u24(w) = (w >> 8) · 2^-24, in [0, 1).
double u24(uint32_t w) { return std::ldexp(static_cast<double>(w >> 8), -24); }

// Significand bits of a float dtype's uniform numbers.
template <class T>
constexpr int kUniformBits = std::is_same_v<T, Float16> ? 11 : std::is_same_v<T, BFloat16> ? 8 : 24;

// The largest value of T below `high`.
template <class T>
T largest_below(double high) {
  T candidate = narrow<T>(high);
  while (widen(candidate) >= high) {
    if constexpr (std::is_floating_point_v<T>) {
      candidate = std::nextafter(candidate, -std::numeric_limits<T>::infinity());
    } else {
      // One step down in the 16-bit encoding: towards -inf is bits - 1 for a positive value, bits + 1 for a
      // negative one (and from +0 to the smallest negative subnormal).
      const uint16_t bits = candidate.bits;
      candidate.bits = bits == 0 ? 0x8001 : (bits & 0x8000) != 0 ? static_cast<uint16_t>(bits + 1)
                                                                : static_cast<uint16_t>(bits - 1);
    }
  }
  return candidate;
}

void require_dtype_attr(keel_dtype_t attr, const View& y) {
  if (attr != y.dtype) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "attribute dtype is ", dtype_name(attr), " but output y is ",
         dtype_name(y.dtype));
  }
}

}  // namespace

// u from the word(s) of element e (m bits, or 53 from two words for f64), then y = low + (high - low) · u,
// with a result that reaches high replaced by the largest value below it.
void compute_rng_uniform(const KernelCall& call) {
  using A = keel_rng_uniform_attrs_t;
  constexpr A kDefaults = KEEL_RNG_UNIFORM_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs(), kDefaults, &A::shape, &A::shape_count, &A::low, &A::high, &A::dtype,
                                &A::seed, &A::offset);
  const View y = call.output(0);
  require_dtype_attr(attrs.dtype, y);
  require_shape(y, Shape::of(ints(attrs.shape, attrs.shape_count, "shape")), "output y");
  if (!(attrs.low <= attrs.high)) fail(KEEL_STATUS_INVALID_ARGUMENT, "low is above high");

  dispatch_float(y.dtype, [&]<class T>(Tag<T>) {
    WordStream stream(attrs.seed, attrs.offset);
    const double range = attrs.high - attrs.low;
    std::vector<T> out;
    for (uint64_t e = 0; e < static_cast<uint64_t>(y.element_count()); ++e) {
      double u = 0;
      if constexpr (std::is_same_v<T, double>) {
        const size_t j = e % 2;
        const uint64_t hi = stream.word(e / 2, 2 * j) >> 5;
        const uint64_t lo = stream.word(e / 2, 2 * j + 1) >> 6;
        u = std::ldexp(static_cast<double>((hi << 26) + lo), -53);
      } else {
        constexpr int m = kUniformBits<T>;
        u = std::ldexp(static_cast<double>(stream.word(e / 4, e % 4) >> (32 - m)), -m);
      }
      const double scaled = range * u;
      T value = narrow<T>(attrs.low + scaled);
      if (attrs.low < attrs.high && widen(value) >= attrs.high) value = largest_below<T>(attrs.high);
      out.push_back(value);
    }
    scatter(out, y);
  });
}

// Box–Muller, cosine branch only: element e uses words 2j and 2j + 1 (j = e mod 2) of block e / 2.
void compute_rng_normal(const KernelCall& call) {
  using A = keel_rng_normal_attrs_t;
  constexpr A kDefaults = KEEL_RNG_NORMAL_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs(), kDefaults, &A::shape, &A::shape_count, &A::mean, &A::std, &A::dtype,
                                &A::seed, &A::offset);
  const View y = call.output(0);
  require_dtype_attr(attrs.dtype, y);
  require_shape(y, Shape::of(ints(attrs.shape, attrs.shape_count, "shape")), "output y");

  dispatch_float(y.dtype, [&]<class T>(Tag<T>) {
    WordStream stream(attrs.seed, attrs.offset);
    std::vector<T> out;
    for (uint64_t e = 0; e < static_cast<uint64_t>(y.element_count()); ++e) {
      const size_t j = e % 2;
      const double u1 = std::ldexp(static_cast<double>((stream.word(e / 2, 2 * j) >> 8) + 1), -24);
      const double u2 = std::ldexp(static_cast<double>(stream.word(e / 2, 2 * j + 1) >> 8), -24);
      const double radius = std::sqrt(-2.0 * std::log(u1));
      const double z = radius * std::cos(6.283185307179586 * u2);
      const double scaled = attrs.std * z;
      out.push_back(narrow<T>(attrs.mean + scaled));
    }
    scatter(out, y);
  });
}

// y = 1 where u24(word) < p (compared in f64; so p <= 0 and NaN give 0), converted to the output dtype.
void compute_bernoulli(const KernelCall& call) {
  using A = keel_bernoulli_attrs_t;
  constexpr A kDefaults = KEEL_BERNOULLI_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs(), kDefaults, &A::dtype, &A::seed, &A::offset);
  const View p = call.input(0);
  const View y = call.output(0);
  require_dtype_attr(attrs.dtype, y);
  require_shape(y, p.shape, "output y");
  const std::vector<double> probabilities = dispatch_float(p.dtype, [&]<class P>(Tag<P>) {
    std::vector<double> result;
    for (const P value : gather<P>(p)) result.push_back(widen(value));
    return result;
  });
  dispatch_all(y.dtype, [&]<class T>(Tag<T>) {
    WordStream stream(attrs.seed, attrs.offset);
    std::vector<T> out;
    for (uint64_t e = 0; e < probabilities.size(); ++e) {
      const bool one = u24(stream.word(e / 4, e % 4)) < probabilities[e];
      out.push_back(convert<T>(one));
    }
    scatter(out, y);
  });
}

// training: keep element e when u24(word) >= ratio, scaled by 1 / (1 - ratio) in f64; a dropped element is
// +0. Not training: y = x bit for bit, mask all true.
void compute_dropout(const KernelCall& call) {
  using A = keel_dropout_attrs_t;
  constexpr A kDefaults = KEEL_DROPOUT_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs(), kDefaults, &A::ratio, &A::training, &A::seed, &A::offset);
  const View x = call.input(0);
  const View y = call.output(0);
  const View mask = call.output(1);
  check_element_type(y, x.dtype);
  require_shape(y, x.shape, "output y");
  require_shape(mask, x.shape, "output mask");
  if (attrs.training == 0) {
    const std::vector<std::byte> bytes = gather_bytes(x);
    scatter_bytes(bytes, y);
    scatter(std::vector<bool>(static_cast<size_t>(x.element_count()), true), mask);
    return;
  }
  dispatch_float(x.dtype, [&]<class T>(Tag<T>) {
    const std::vector<T> in = gather<T>(x);
    WordStream stream(attrs.seed, attrs.offset);
    const double scale = 1.0 / (1.0 - attrs.ratio);
    std::vector<T> out;
    std::vector<bool> kept;
    for (uint64_t e = 0; e < in.size(); ++e) {
      const bool keep = u24(stream.word(e / 4, e % 4)) >= attrs.ratio;
      kept.push_back(keep);
      out.push_back(keep ? narrow<T>(widen(in[e]) * scale) : narrow<T>(0.0));
    }
    scatter(out, y);
    scatter(kept, mask);
  });
}

}  // namespace keel::reference
