// What every kernel file shares: the launch helper, dtype dispatch and strided addressing.
#pragma once

#include <cuda_runtime.h>

#include <tuple>
#include <utility>

#include "gpu/launch.h"
#include "gpu/scalar_ops.h"

namespace keel::cuda::gpu {

inline constexpr int kThreads = 256;

template <class T>
struct Tag {
  using type = T;
};

inline LaunchResult result_of(cudaError_t error) {
  return {static_cast<int>(error), cudaGetErrorName(error), cudaGetErrorString(error)};
}

// A dtype the kernel was not built for. The host registers kernels only for dtypes they compute, so this
// surfaces a plugin bug rather than a user error.
inline LaunchResult unsupported_dtype() {
  return {static_cast<int>(cudaErrorInvalidValue), "cudaErrorInvalidValue", "dtype not supported by this kernel"};
}

// Blocks for a grid-stride loop over `items` work items of `per_block` each.
inline unsigned grid_for(int64_t items, int64_t per_block = kThreads) {
  constexpr int64_t kMaxBlocks = int64_t{1} << 20;
  int64_t blocks = (items + per_block - 1) / per_block;
  if (blocks < 1) blocks = 1;
  return static_cast<unsigned>(blocks < kMaxBlocks ? blocks : kMaxBlocks);
}

// Launches `kernel` with its arguments converted to the parameter types; reports what the runtime said.
template <class... Params, class... Args>
LaunchResult launch(void (*kernel)(Params...), dim3 grid, dim3 block, CUstream stream, Args&&... args) {
  static_assert(sizeof...(Params) == sizeof...(Args), "one argument per kernel parameter");
  std::tuple<Params...> values(std::forward<Args>(args)...);
  return std::apply(
      [&](auto&... value) {
        void* pointers[] = {static_cast<void*>(&value)...};
        return result_of(cudaLaunchKernel(reinterpret_cast<const void*>(kernel), grid, block, pointers, 0,
                                          static_cast<cudaStream_t>(stream)));
      },
      values);
}

// Which dtypes a dispatch covers.
enum class TypeSet { kFloat, kNumeric, kAll, kBool };

// Calls fn(Tag<T>{}) for the C++ type of `dtype`, if the set holds it.
template <TypeSet kSet, class Fn>
LaunchResult dispatch(keel_dtype_t dtype, Fn&& fn) {
  if constexpr (kSet == TypeSet::kBool) {
    if (dtype == KEEL_DTYPE_BOOL) return fn(Tag<Bool>{});
  } else {
    switch (dtype) {
      case KEEL_DTYPE_F32: return fn(Tag<float>{});
      case KEEL_DTYPE_F64: return fn(Tag<double>{});
      case KEEL_DTYPE_F16: return fn(Tag<Half>{});
      case KEEL_DTYPE_BF16: return fn(Tag<BFloat16>{});
      case KEEL_DTYPE_I32:
        if constexpr (kSet != TypeSet::kFloat) return fn(Tag<int32_t>{});
        break;
      case KEEL_DTYPE_I64:
        if constexpr (kSet != TypeSet::kFloat) return fn(Tag<int64_t>{});
        break;
      case KEEL_DTYPE_BOOL:
        if constexpr (kSet == TypeSet::kAll) return fn(Tag<Bool>{});
        break;
      default: break;
    }
  }
  return unsupported_dtype();
}

// Calls fn(Tag<U>{}) with the unsigned integer type of `size` bytes (1, 2, 4 or 8).
template <class Fn>
LaunchResult dispatch_bytes(size_t size, Fn&& fn) {
  switch (size) {
    case 1: return fn(Tag<uint8_t>{});
    case 2: return fn(Tag<uint16_t>{});
    case 4: return fn(Tag<uint32_t>{});
    case 8: return fn(Tag<uint64_t>{});
    default: return unsupported_dtype();
  }
}

// Byte offset of row-major element `index` of `dims` under `strides`.
__device__ inline int64_t offset_of(int64_t index, int rank, const int64_t* dims, const int64_t* strides) {
  if (rank == 1) return index * strides[0];
  int64_t offset = 0;
  for (int d = rank - 1; d >= 0; --d) {
    const int64_t coordinate = index % dims[d];
    index /= dims[d];
    offset += coordinate * strides[d];
  }
  return offset;
}

template <class T>
__device__ inline T load(CUdeviceptr base, int64_t offset) {
  return *reinterpret_cast<const T*>(base + offset);
}
template <class T>
__device__ inline void store(CUdeviceptr base, int64_t offset, T value) {
  *reinterpret_cast<T*>(base + offset) = value;
}

__device__ inline int64_t global_thread() { return static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; }
__device__ inline int64_t grid_threads() { return static_cast<int64_t>(gridDim.x) * blockDim.x; }

}  // namespace keel::cuda::gpu
