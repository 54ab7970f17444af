// KEEL_CUDA_HD marks functions that run both in kernels and on the host. The element types, conversions and
// per-element operators (numeric.h, scalar_ops.h) are written once with it: nvcc compiles them into the
// kernels, the host compiler into the plugin's host code and into the CPU tests of tests/cuda.
#pragma once

#ifdef __CUDACC__
#define KEEL_CUDA_HD __host__ __device__
#else
#define KEEL_CUDA_HD
#endif
