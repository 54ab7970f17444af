// rng_uniform, rng_normal, bernoulli and dropout: each output element is computed on its own from
// (seed, offset, element number) with random_ops.h, so any layout and any grid give the same bits.
#include "gpu/map.cuh"
#include "gpu/random_ops.h"

namespace keel::cuda::gpu {
namespace {

template <class T>
struct UniformElement {
  PhiloxStream stream;
  double low, high;
  __device__ void operator()(int64_t e, const MapArgs& a, int64_t out, const int64_t*) const {
    store(a.out.base, out, uniform_element<T>(stream, static_cast<uint64_t>(e), low, high));
  }
};

template <class T>
struct NormalElement {
  PhiloxStream stream;
  double mean, std;
  __device__ void operator()(int64_t e, const MapArgs& a, int64_t out, const int64_t*) const {
    store(a.out.base, out, normal_element<T>(stream, static_cast<uint64_t>(e), mean, std));
  }
};

template <class P, class U>
struct BernoulliElement {
  PhiloxStream stream;
  U one;
  __device__ void operator()(int64_t e, const MapArgs& a, int64_t out, const int64_t* in) const {
    const double p = convert<double>(load<P>(a.in[0].base, in[0]));
    store(a.out.base, out, bernoulli_element(stream, static_cast<uint64_t>(e), p) ? one : U(0));
  }
};

// A kept element is x · (1 / (1 - ratio)) in f64 (the reciprocal, then the product); a dropped one +0.
template <class T>
struct DropoutElement {
  PhiloxStream stream;
  double ratio, scale;
  __device__ void operator()(int64_t e, const MapArgs& a, int64_t out, const int64_t* in) const {
    const bool kept = dropout_keeps(stream, static_cast<uint64_t>(e), ratio);
    store(a.out.base, out, kept ? convert<T>(convert<double>(load<T>(a.in[0].base, in[0])) * scale) : T{});
  }
};

struct DropoutMaskElement {
  PhiloxStream stream;
  double ratio;
  __device__ void operator()(int64_t e, const MapArgs& a, int64_t out, const int64_t*) const {
    store(a.out.base, out, Bool{static_cast<uint8_t>(dropout_keeps(stream, static_cast<uint64_t>(e), ratio) ? 1 : 0)});
  }
};

}  // namespace

LaunchResult launch_rng_uniform(keel_dtype_t dtype, uint64_t seed, uint64_t offset, double low, double high,
                                const MapArgs& args, CUstream stream) {
  return dispatch<TypeSet::kFloat>(dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    return map<0>(args, UniformElement<T>{{seed, offset}, low, high}, stream);
  });
}

LaunchResult launch_rng_normal(keel_dtype_t dtype, uint64_t seed, uint64_t offset, double mean, double std,
                               const MapArgs& args, CUstream stream) {
  return dispatch<TypeSet::kFloat>(dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    return map<0>(args, NormalElement<T>{{seed, offset}, mean, std}, stream);
  });
}

LaunchResult launch_bernoulli(keel_dtype_t p_dtype, size_t out_size, uint64_t one, uint64_t seed, uint64_t offset,
                              const MapArgs& args, CUstream stream) {
  return dispatch<TypeSet::kFloat>(p_dtype, [&](auto p_tag) {
    return dispatch_bytes(out_size, [&](auto out_tag) {
      using P = typename decltype(p_tag)::type;
      using U = typename decltype(out_tag)::type;
      return map<1>(args, BernoulliElement<P, U>{{seed, offset}, static_cast<U>(one)}, stream);
    });
  });
}

LaunchResult launch_dropout(keel_dtype_t dtype, uint64_t seed, uint64_t offset, double ratio, const MapArgs& args,
                            CUstream stream) {
  const double scale = 1.0 / (1.0 - ratio);
  return dispatch<TypeSet::kFloat>(dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    return map<1>(args, DropoutElement<T>{{seed, offset}, ratio, scale}, stream);
  });
}

LaunchResult launch_dropout_mask(uint64_t seed, uint64_t offset, double ratio, const MapArgs& args, CUstream stream) {
  return map<0>(args, DropoutMaskElement{{seed, offset}, ratio}, stream);
}

}  // namespace keel::cuda::gpu
