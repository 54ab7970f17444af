// gather and one_hot: position-driven maps over the output (map.cuh). Out-of-range indices give zero bytes
// (gather) or a row of off_value (one_hot); nothing is read out of bounds.
#include "gpu/map.cuh"

namespace keel::cuda::gpu {
namespace {

template <class I, class U>
struct GatherElement {
  GatherSource s;
  __device__ void operator()(int64_t i, const MapArgs& a, int64_t out, const int64_t*) const {
    const int64_t inner = i % s.inner_count;
    const int64_t index = (i / s.inner_count) % s.index_count;
    const int64_t outer = i / (s.inner_count * s.index_count);
    int64_t idx = static_cast<int64_t>(load<I>(s.indices, offset_of(index, s.index_rank, s.index_dims, s.index_strides)));
    if (idx < 0) idx += s.axis_size;
    U value = U(0);
    if (idx >= 0 && idx < s.axis_size) {
      const int64_t at = offset_of(outer, s.outer_rank, s.outer_dims, s.x_outer) + idx * s.x_axis_stride +
                         offset_of(inner, s.inner_rank, s.inner_dims, s.x_inner);
      value = load<U>(s.x, at);
    }
    store(a.out.base, out, value);
  }
};

template <class I, class U>
struct OneHotElement {
  OneHotSource s;
  __device__ void operator()(int64_t i, const MapArgs& a, int64_t out, const int64_t*) const {
    const int64_t position = (i / s.inner) % s.depth;
    const int64_t index = (i / (s.inner * s.depth)) * s.inner + i % s.inner;
    int64_t idx = static_cast<int64_t>(load<I>(s.indices, offset_of(index, s.index_rank, s.index_dims, s.index_strides)));
    if (idx < 0) idx += s.depth;
    store(a.out.base, out, static_cast<U>(idx == position ? s.on : s.off));
  }
};

template <class Fn>
LaunchResult dispatch_index(keel_dtype_t dtype, Fn&& fn) {
  if (dtype == KEEL_DTYPE_I32) return fn(Tag<int32_t>{});
  if (dtype == KEEL_DTYPE_I64) return fn(Tag<int64_t>{});
  return unsupported_dtype();
}

}  // namespace

LaunchResult launch_gather(keel_dtype_t index_dtype, size_t element_size, const GatherSource& source,
                           const MapArgs& args, CUstream stream) {
  return dispatch_index(index_dtype, [&](auto index_tag) {
    return dispatch_bytes(element_size, [&](auto tag) {
      using I = typename decltype(index_tag)::type;
      using U = typename decltype(tag)::type;
      return map<0>(args, GatherElement<I, U>{source}, stream);
    });
  });
}

LaunchResult launch_one_hot(keel_dtype_t index_dtype, size_t element_size, const OneHotSource& source,
                            const MapArgs& args, CUstream stream) {
  return dispatch_index(index_dtype, [&](auto index_tag) {
    return dispatch_bytes(element_size, [&](auto tag) {
      using I = typename decltype(index_tag)::type;
      using U = typename decltype(tag)::type;
      return map<0>(args, OneHotElement<I, U>{source}, stream);
    });
  });
}

}  // namespace keel::cuda::gpu
