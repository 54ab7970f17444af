// Data movement: strided copies between views of different shapes (reshape, permute, slice, concat, expand,
// flip and same-dtype casts), byte fills at any alignment, the position-driven maps (trilu, eye, tile), and
// the check that the kernels run on a device at all.
#include "gpu/map.cuh"

namespace keel::cuda::gpu {
namespace {

// Element i of the source, in its row-major order, to element i of the destination. Elements move as
// unsigned integers of their size, so every bit (NaN payloads, -0) survives.
template <class U>
__global__ void copy_kernel(CopyArgs a) {
  for (int64_t i = global_thread(); i < a.count; i += grid_threads()) {
    const U value = load<U>(a.src.base, offset_of(i, a.src_rank, a.src_dims, a.src.strides));
    store(a.dst.base, offset_of(i, a.dst_rank, a.dst_dims, a.dst.strides), value);
  }
}

// Byte i of the range gets byte (i mod pattern_size) of the little-endian pattern.
__global__ void fill_bytes_kernel(CUdeviceptr dst, uint64_t size, uint64_t pattern, uint32_t pattern_size) {
  for (int64_t i = global_thread(); i < static_cast<int64_t>(size); i += grid_threads()) {
    const uint32_t shift = 8u * static_cast<uint32_t>(static_cast<uint64_t>(i) % pattern_size);
    reinterpret_cast<uint8_t*>(dst)[i] = static_cast<uint8_t>(pattern >> shift);
  }
}

// Elements move as unsigned integers of their size (bits kept); zero bytes are +0, false and 0 alike.
template <class U>
struct TriluElement {
  int64_t rows, cols, k;
  bool upper;
  __device__ void operator()(int64_t i, const MapArgs& a, int64_t out, const int64_t* in) const {
    const int64_t column = i % cols;
    const int64_t row = (i / cols) % rows;
    const bool keep = upper ? column - row >= k : column - row <= k;
    store(a.out.base, out, keep ? load<U>(a.in[0].base, in[0]) : U(0));
  }
};

template <class U>
struct EyeElement {
  int64_t cols, k;
  U one;
  __device__ void operator()(int64_t i, const MapArgs& a, int64_t out, const int64_t*) const {
    store(a.out.base, out, i % cols - i / cols == k ? one : U(0));
  }
};

template <class U>
struct TileElement {
  TileSource source;
  __device__ void operator()(int64_t i, const MapArgs& a, int64_t out, const int64_t*) const {
    int64_t offset = 0;
    for (int d = source.rank - 1; d >= 0; --d) {
      offset += (i % source.out_dims[d]) % source.in_dims[d] * source.in_strides[d];
      i /= source.out_dims[d];
    }
    store(a.out.base, out, load<U>(source.in, offset));
  }
};

}  // namespace

LaunchResult launch_trilu(size_t element_size, int64_t rows, int64_t cols, bool upper, int64_t k,
                          const MapArgs& args, CUstream stream) {
  return dispatch_bytes(element_size, [&](auto tag) {
    using U = typename decltype(tag)::type;
    return map<1>(args, TriluElement<U>{rows, cols, k, upper}, stream);
  });
}

LaunchResult launch_eye(size_t element_size, uint64_t one, int64_t cols, int64_t k, const MapArgs& args,
                        CUstream stream) {
  return dispatch_bytes(element_size, [&](auto tag) {
    using U = typename decltype(tag)::type;
    return map<0>(args, EyeElement<U>{cols, k, static_cast<U>(one)}, stream);
  });
}

LaunchResult launch_tile(size_t element_size, const TileSource& source, const MapArgs& args, CUstream stream) {
  return dispatch_bytes(element_size, [&](auto tag) {
    using U = typename decltype(tag)::type;
    return map<0>(args, TileElement<U>{source}, stream);
  });
}

LaunchResult launch_copy(size_t element_size, const CopyArgs& args, CUstream stream) {
  if (args.count == 0) return {};
  return dispatch_bytes(element_size, [&](auto tag) {
    using U = typename decltype(tag)::type;
    return launch(copy_kernel<U>, dim3(grid_for(args.count)), dim3(kThreads), stream, args);
  });
}

LaunchResult launch_fill_bytes(CUdeviceptr dst, uint64_t size, uint64_t pattern, uint32_t pattern_size,
                               CUstream stream) {
  if (size == 0) return {};
  return launch(fill_bytes_kernel, dim3(grid_for(static_cast<int64_t>(size))), dim3(kThreads), stream, dst, size,
                pattern, pattern_size);
}

LaunchResult check_kernel_image() {
  cudaFuncAttributes attributes{};
  return result_of(cudaFuncGetAttributes(&attributes, reinterpret_cast<const void*>(fill_bytes_kernel)));
}

}  // namespace keel::cuda::gpu
