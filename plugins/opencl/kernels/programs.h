// The OpenCL programs of the plugin. A program holds the kernels of one operator family for one dtype (a
// handful of kernels), is generated for the device, and is built (or loaded from the disk cache) the first
// time a plan needs it. Small programs keep first use cheap: OpenCL drivers that compile every kernel of a
// program when its binary is read (PoCL does) only compile what the process uses.
#pragma once

#include <string>
#include <vector>

#include "keel/keel_types.h"
#include "kernels/elementwise_ops.h"
#include "programs/program_cache.h"

namespace keel::opencl {

ProgramSpec elementwise_program(const ElementwiseOp& op, keel_dtype_t dtype);  // elementwise_source.cc
ProgramSpec where_program(size_t element_size);                                // elementwise_source.cc
ProgramSpec cast_program(keel_dtype_t from, keel_dtype_t to);                  // elementwise_source.cc
ProgramSpec data_program(size_t element_size);                                 // data.cc
ProgramSpec reduce_program(const char* op, keel_dtype_t dtype);                // reduce.cc
ProgramSpec softmax_program(keel_dtype_t dtype, bool log);                     // reduce.cc
ProgramSpec matmul_program(keel_dtype_t dtype);                                // matmul.cc
ProgramSpec arg_reduce_program(keel_dtype_t dtype);                            // arg_reduce.cc
ProgramSpec gather_program(size_t element_size, keel_dtype_t index);           // gather.cc
ProgramSpec pad_program(size_t element_size);                                  // pad.cc
ProgramSpec pool_program(keel_dtype_t dtype);                                  // pool.cc
ProgramSpec conv_program(keel_dtype_t dtype);                                  // conv.cc
ProgramSpec scan_program(keel_dtype_t dtype);                                  // scan.cc
ProgramSpec topk_program(keel_dtype_t dtype);                                  // topk.cc
ProgramSpec scatter_program(keel_dtype_t dtype, keel_dtype_t index);           // scatter.cc
ProgramSpec random_program(keel_dtype_t dtype);                                // random.cc
ProgramSpec resize_program(keel_dtype_t dtype);                                // resize.cc
ProgramSpec embedding_program(keel_dtype_t dtype, keel_dtype_t index);         // embedding.cc

// Every program a device can use (for the programs_on_disk attribute).
std::vector<ProgramSpec> all_programs(const DeviceInfo& device);

// The dtypes the plugin computes on a device: bool, i32, i64, f32, and f64 with cl_khr_fp64.
std::vector<keel_dtype_t> device_dtypes(const DeviceInfo& device);

// Kernel names, without the _dense / _strided suffix of the elementwise kernels.
std::string elementwise_kernel_name(const char* family, keel_dtype_t dtype);  // "keel_add_f32"
std::string where_kernel_name(size_t element_size);                          // "keel_where_uint"
std::string cast_kernel_name(keel_dtype_t from, keel_dtype_t to);            // "keel_cast_f32_i32"

}  // namespace keel::opencl
