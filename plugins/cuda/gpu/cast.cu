// cast between every pair of dtypes (ir_spec/ops/cast.yaml) with the conversions of numeric.h. A cast to the
// same dtype never gets here: the host copies the bytes instead.
#include "gpu/map.cuh"

namespace keel::cuda::gpu {
namespace {

template <class From, class To>
struct CastElement {
  __device__ void operator()(int64_t, const MapArgs& a, int64_t out, const int64_t* in) const {
    store(a.out.base, out, convert<To>(load<From>(a.in[0].base, in[0])));
  }
};

}  // namespace

LaunchResult launch_cast(keel_dtype_t from, keel_dtype_t to, const MapArgs& args, CUstream stream) {
  return dispatch<TypeSet::kAll>(from, [&](auto from_tag) {
    return dispatch<TypeSet::kAll>(to, [&](auto to_tag) {
      using From = typename decltype(from_tag)::type;
      using To = typename decltype(to_tag)::type;
      return map<1>(args, CastElement<From, To>{}, stream);
    });
  });
}

}  // namespace keel::cuda::gpu
