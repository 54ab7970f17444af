// The OpenCL C files of kernels/cl/, embedded at build time (cmake/embed_cl.cmake writes the definitions).
#pragma once

#include <string_view>

namespace keel::opencl::cl_sources {

extern const std::string_view common;   // common.cl: argument structs and index arithmetic
extern const std::string_view data;     // data.cl: bit-exact strided copies and fills
extern const std::string_view reduce;   // reduce.cl: reductions
extern const std::string_view softmax;  // softmax.cl
extern const std::string_view matmul;   // matmul.cl: the tiled matrix product

}  // namespace keel::opencl::cl_sources
