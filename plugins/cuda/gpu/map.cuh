// The strided, broadcasting map kernel every elementwise operator is an instance of. The host describes the
// iteration (gpu::MapArgs: merged dimensions, byte strides, broadcast inputs with stride 0); an element
// functor says what happens at each index: element(i, args, out_offset, in_offsets), where i is the row-major
// position in the output (merging dimensions keeps that order).
#pragma once

#include "gpu/device_common.cuh"

namespace keel::cuda::gpu {

// Applies `element` to every index of the iteration space; element(i, out, in) gets the addresses.
template <int kInputs, class Element>
__global__ void map_kernel(MapArgs args, Element element) {
  for (int64_t i = global_thread(); i < args.count; i += grid_threads()) {
    int64_t out = 0;
    int64_t in[kInputs > 0 ? kInputs : 1] = {};
    if (args.rank == 1) {
      out = i * args.out.strides[0];
      for (int k = 0; k < kInputs; ++k) in[k] = i * args.in[k].strides[0];
    } else {
      int64_t rest = i;
      for (int d = args.rank - 1; d >= 0; --d) {
        const int64_t coordinate = rest % args.dims[d];
        rest /= args.dims[d];
        out += coordinate * args.out.strides[d];
        for (int k = 0; k < kInputs; ++k) in[k] += coordinate * args.in[k].strides[d];
      }
    }
    element(i, args, out, in);
  }
}

template <int kInputs, class Element>
LaunchResult map(const MapArgs& args, Element element, CUstream stream) {
  if (args.count == 0) return {};
  return launch(map_kernel<kInputs, Element>, dim3(grid_for(args.count)), dim3(kThreads), stream, args, element);
}

}  // namespace keel::cuda::gpu
