// The kernel tables of each operator group, one file per group. registry.cc concatenates them.
#pragma once

#include <span>

#include "kernel.h"

namespace keel::onednn {

std::span<const KernelDef> unary_kernels();       // unary.cc
std::span<const KernelDef> binary_kernels();      // binary.cc
std::span<const KernelDef> compare_kernels();     // compare.cc
std::span<const KernelDef> select_kernels();      // select.cc
std::span<const KernelDef> cast_kernels();        // cast.cc
std::span<const KernelDef> creation_kernels();    // creation.cc
std::span<const KernelDef> reduce_kernels();      // reduce.cc
std::span<const KernelDef> softmax_kernels();     // softmax.cc
std::span<const KernelDef> matmul_kernels();      // matmul.cc
std::span<const KernelDef> layout_kernels();      // layout.cc
std::span<const KernelDef> conv_kernels();        // conv.cc
std::span<const KernelDef> pooling_kernels();     // pooling.cc
std::span<const KernelDef> indexing_kernels();    // indexing.cc
std::span<const KernelDef> scatter_kernels();     // scatter.cc
std::span<const KernelDef> shape_kernels();       // shape_ops.cc
std::span<const KernelDef> scan_sort_kernels();   // scan_sort.cc
std::span<const KernelDef> resample_kernels();    // resample.cc
std::span<const KernelDef> random_kernels();      // random.cc
std::span<const KernelDef> optimizer_kernels();   // optimizer.cc

}  // namespace keel::onednn
