// Random operators (random.yaml): rng_uniform, rng_normal, bernoulli and dropout, bit-exact with every other
// plugin through the spec's Philox4x32-10 streams (philox.h). Elements are numbered in row-major order of
// the output; each thread generates the blocks of its own range of elements. Seeds, offsets and the other
// attributes are read at run time, so one prepared kernel serves every call of a shape.
#include <cmath>
#include <limits>
#include <type_traits>

#include "attrs.h"
#include "convert.h"
#include "coords.h"
#include "keel/keel_ops.h"
#include "kernels.h"
#include "philox.h"

namespace keel::onednn {
namespace {

// Calls f(at, j, words) for every element e of t (coordinates `at`), where words is block floor(e / kPerBlock)
// and j = e mod kPerBlock. Each range of elements generates its own blocks, so the split does not matter.
template <size_t kPerBlock, class F>
void walk_blocks(const keel_tensor_desc_t& t, const Philox& philox, F&& f) {
  parallel_ranges(
      element_count(t),
      [&](int64_t begin, int64_t end) {
        uint64_t block = static_cast<uint64_t>(begin) / kPerBlock;
        size_t j = static_cast<size_t>(static_cast<uint64_t>(begin) % kPerBlock);
        PhiloxBlock words = philox.block(block);
        walk_coords(t.shape, t.rank, begin, end, [&](const int64_t* at, int64_t) {
          if (j == kPerBlock) {
            j = 0;
            words = philox.block(++block);
          }
          f(at, j, words);
          ++j;
        });
      },
      kMinElementsPerThread / 8);
}

template <class T>
double to_double(T value) {
  return static_cast<double>(widen(value));
}

// The next value of T toward -inf.
template <class T>
T step_down(T value) {
  if constexpr (kIsHalf<T>) {
    uint16_t bits = value.bits;
    if ((bits & 0x7fffu) == 0)
      bits = 0x8001u;  // ±0: the smallest negative subnormal
    else if ((bits & 0x8000u) != 0)
      ++bits;
    else
      --bits;
    return T{bits};
  } else {
    return std::nextafter(value, -std::numeric_limits<T>::infinity());
  }
}

// Significand bits m of a float dtype (rng_uniform takes u = (x >> (32 - m)) · 2^-m for m <= 32).
template <class T>
constexpr int kSignificandBits = std::is_same_v<T, F16>    ? 11
                                 : std::is_same_v<T, Bf16> ? 8
                                                           : 24;

// ---- rng_uniform --------------------------------------------------------------------------------------

class RngUniform final : public Kernel {
 public:
  explicit RngUniform(const CallInfo& call) : y_(call.output(0)) {}

  void run(Queue&, const keel_kernel_call_t& call) const override {
    using A = keel_rng_uniform_attrs_t;
    constexpr A kDefaults = KEEL_RNG_UNIFORM_ATTRS_INIT;
    const A a = read_attrs(call.attrs, kDefaults, &A::low, &A::high, &A::seed, &A::offset);
    const Philox philox(a.seed, a.offset);
    visit_any_float(y_.dtype, [&]<class T>(Tag<T>) {
      T* y = typed_data<T>(call.outputs[0]);
      T below_high = convert<T>(a.high);  // the largest T below high
      while (to_double(below_high) >= a.high) below_high = step_down(below_high);
      const double range = a.high - a.low;
      const auto value = [&](double u) {
        const double scaled = range * u;
        const T rounded = convert<T>(a.low + scaled);
        return a.low < a.high && to_double(rounded) >= a.high ? below_high : rounded;
      };
      if constexpr (std::is_same_v<T, double>) {
        walk_blocks<2>(y_, philox, [&](const int64_t* at, size_t j, const PhiloxBlock& x) {
          const double u =
              (static_cast<double>(x[2 * j] >> 5) * 0x1p26 + static_cast<double>(x[2 * j + 1] >> 6)) * 0x1p-53;
          y[offset_of(y_, at)] = value(u);
        });
      } else {
        constexpr int m = kSignificandBits<T>;
        constexpr double kUnit = 1.0 / static_cast<double>(uint64_t{1} << m);  // 2^-m, exact
        walk_blocks<4>(y_, philox, [&](const int64_t* at, size_t j, const PhiloxBlock& x) {
          const double u = static_cast<double>(x[j] >> (32 - m)) * kUnit;
          y[offset_of(y_, at)] = value(u);
        });
      }
    });
  }
  std::string describe() const override { return "Philox loop"; }

 private:
  keel_tensor_desc_t y_;
};

// ---- rng_normal ---------------------------------------------------------------------------------------

// Box-Muller, cosine branch only: element e takes the word pair j = e mod 2 of block floor(e / 2).
class RngNormal final : public Kernel {
 public:
  explicit RngNormal(const CallInfo& call) : y_(call.output(0)) {}

  void run(Queue&, const keel_kernel_call_t& call) const override {
    using A = keel_rng_normal_attrs_t;
    constexpr A kDefaults = KEEL_RNG_NORMAL_ATTRS_INIT;
    const A a = read_attrs(call.attrs, kDefaults, &A::mean, &A::std, &A::seed, &A::offset);
    const Philox philox(a.seed, a.offset);
    visit_any_float(y_.dtype, [&]<class T>(Tag<T>) {
      T* y = typed_data<T>(call.outputs[0]);
      walk_blocks<2>(y_, philox, [&](const int64_t* at, size_t j, const PhiloxBlock& x) {
        const double u1 = static_cast<double>((x[2 * j] >> 8) + 1) * 0x1p-24;
        const double u2 = static_cast<double>(x[2 * j + 1] >> 8) * 0x1p-24;
        const double radius = std::sqrt(-2.0 * std::log(u1));
        const double angle = 6.283185307179586 * u2;
        const double z = radius * std::cos(angle);
        const double scaled = a.std * z;
        y[offset_of(y_, at)] = convert<T>(a.mean + scaled);
      });
    });
  }
  std::string describe() const override { return "Philox loop"; }

 private:
  keel_tensor_desc_t y_;
};

// ---- bernoulli ----------------------------------------------------------------------------------------

// y = 1 where u24 of the element's word is below p (compared in f64), else 0, in the output dtype.
class Bernoulli final : public Kernel {
 public:
  explicit Bernoulli(const CallInfo& call) : p_(call.input(0)), y_(call.output(0)) {}

  void run(Queue&, const keel_kernel_call_t& call) const override {
    using A = keel_bernoulli_attrs_t;
    constexpr A kDefaults = KEEL_BERNOULLI_ATTRS_INIT;
    const A a = read_attrs(call.attrs, kDefaults, &A::seed, &A::offset);
    const Philox philox(a.seed, a.offset);
    visit_any_float(p_.dtype, [&]<class P>(Tag<P>) {
      visit_every(y_.dtype, [&]<class T>(Tag<T>) {
        const P* p = typed_data<const P>(call.inputs[0]);
        T* y = typed_data<T>(call.outputs[0]);
        const T one = convert<T>(1.0);
        const T zero = convert<T>(0.0);
        walk_blocks<4>(y_, philox, [&](const int64_t* at, size_t j, const PhiloxBlock& x) {
          const bool hit = u24(x[j]) < to_double(p[offset_of(p_, at)]);
          y[offset_of(y_, at)] = hit ? one : zero;
        });
      });
    });
  }
  std::string describe() const override { return "Philox loop"; }

 private:
  keel_tensor_desc_t p_, y_;
};

void supports_bernoulli(const CallInfo& call) {
  if (!listed(kEveryType, call.output(0).dtype))
    decline("output dtype ", dtype_name(call.output(0).dtype), " is not implemented");
}

// ---- dropout ------------------------------------------------------------------------------------------

// Keeps an element where u24 of its word is >= ratio and scales it by 1 / (1 - ratio) in f64; drops the
// rest to +0. Not training: y = x bit for bit, mask all true.
class Dropout final : public Kernel {
 public:
  explicit Dropout(const CallInfo& call) : x_(call.input(0)), y_(call.output(0)), mask_(call.output(1)) {}

  void run(Queue&, const keel_kernel_call_t& call) const override {
    using A = keel_dropout_attrs_t;
    constexpr A kDefaults = KEEL_DROPOUT_ATTRS_INIT;
    const A a = read_attrs(call.attrs, kDefaults, &A::ratio, &A::training, &A::seed, &A::offset);
    const Philox philox(a.seed, a.offset);
    bool* mask = typed_data<bool>(call.outputs[1]);
    visit_any_float(y_.dtype, [&]<class T>(Tag<T>) {
      const T* x = typed_data<const T>(call.inputs[0]);
      T* y = typed_data<T>(call.outputs[0]);
      if (a.training == 0) {
        parallel_coords(y_, [&](const int64_t* at, int64_t) {
          y[offset_of(y_, at)] = x[offset_of(x_, at)];
          mask[offset_of(mask_, at)] = true;
        });
        return;
      }
      const double scale = 1.0 / (1.0 - a.ratio);
      const T zero = convert<T>(0.0);
      walk_blocks<4>(y_, philox, [&](const int64_t* at, size_t j, const PhiloxBlock& words) {
        const bool kept = u24(words[j]) >= a.ratio;
        const T value = x[offset_of(x_, at)];
        y[offset_of(y_, at)] = kept ? convert<T>(to_double(value) * scale) : zero;
        mask[offset_of(mask_, at)] = kept;
      });
    });
  }
  std::string describe() const override { return "Philox loop"; }

 private:
  keel_tensor_desc_t x_, y_, mask_;
};

std::unique_ptr<Kernel> create_rng_uniform(const CallInfo& call) { return std::make_unique<RngUniform>(call); }
std::unique_ptr<Kernel> create_rng_normal(const CallInfo& call) { return std::make_unique<RngNormal>(call); }
std::unique_ptr<Kernel> create_bernoulli(const CallInfo& call) { return std::make_unique<Bernoulli>(call); }
std::unique_ptr<Kernel> create_dropout(const CallInfo& call) { return std::make_unique<Dropout>(call); }

constexpr KernelDef kKernels[] = {
    {"rng_uniform", 1, kAnyFloatTypes, nullptr, create_rng_uniform, nullptr},
    {"rng_normal", 1, kAnyFloatTypes, nullptr, create_rng_normal, nullptr},
    {"bernoulli", 1, kAnyFloatTypes, supports_bernoulli, create_bernoulli, nullptr},
    {"dropout", 1, kAnyFloatTypes, nullptr, create_dropout, nullptr},
};

}  // namespace

std::span<const KernelDef> random_kernels() { return kKernels; }

}  // namespace keel::onednn
