// K of the accumulation bound (ir_spec/README.md), per output element: how many terms an implementation may
// combine for that element. The spec defines K per operator in words; this turns those words into numbers,
// erring high where an exact count would depend on data (scatter with repeated indices, overlapping pooling
// windows), since a K too small would fail a correct implementation that sums in another order.
//
//   reduction_size           an `axes` attribute: the product of those dimensions of the first input (all
//                            when empty); `kernel_shape`: its product; scans (cumsum): the axis length;
//                            scatters: the number of updates + 1; embedding_backward: the number of indices;
//                            max_pool_backward: the elements of dy; resize: 4 per resized dimension;
//                            otherwise first input size / output size (1 for elementwise operators)
//   inner_dim                conv: (C/groups)·ΠK from w; conv_transpose: (C/groups)·ΠK from its w layout;
//                            conv_backward_weight: N·ΠO from dy; gemm: op(a)'s inner dimension; otherwise the
//                            first input's last dimension (matmul)
//   reduction_size_plus_range  the length of the softmax axis plus the largest |x - max(x)| along it
//   statistic_size           batch norms: numel / C; layer and rms norms: the product of the normalized
//                            axes; group norms: numel / (N · num_groups)
#pragma once

#include <span>
#include <vector>

#include "layers/ops/call_execution.h"

namespace keel::conform {

std::vector<double> reduction_lengths(const OpCall& call, std::span<const HostTensor> inputs, size_t output);

}  // namespace keel::conform
