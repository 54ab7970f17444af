// The OpenCL C files of kernels/cl/, embedded at build time (cmake/embed_cl.cmake writes the definitions).
#pragma once

#include <string_view>

namespace keel::opencl::cl_sources {

extern const std::string_view common;   // common.cl: argument structs and index arithmetic
extern const std::string_view data;     // data.cl: bit-exact strided copies and fills
extern const std::string_view reduce;   // reduce.cl: reductions
extern const std::string_view softmax;  // softmax.cl
extern const std::string_view matmul;   // matmul.cl: the tiled matrix product
extern const std::string_view arg_reduce;  // arg_reduce.cl: argmax and argmin
extern const std::string_view gather;      // gather.cl: gather, gather_elements, gather_nd, one_hot
extern const std::string_view pad;         // pad.cl
extern const std::string_view pool;        // pool.cl: max_pool and avg_pool
extern const std::string_view conv;        // conv.cl: conv, conv_transpose, conv_backward_weight
extern const std::string_view scan;        // scan.cl: cumsum, nonzero
extern const std::string_view embedding;   // embedding.cl: embedding_backward
extern const std::string_view topk;        // topk.cl
extern const std::string_view scatter;     // scatter.cl: scatter_elements, scatter_nd
extern const std::string_view resize;      // resize.cl
extern const std::string_view random;      // random.cl: Philox4x32-10 and the random operators

}  // namespace keel::opencl::cl_sources
