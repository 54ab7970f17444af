// A oneDNN eltwise forward primitive for a unary op whose input and output share one layout (oneDNN's
// eltwise takes a single descriptor for both). Built per signature; in-place calls are fine.
#pragma once

#include <memory>
#include <oneapi/dnnl/dnnl.hpp>

#include "kernel.h"

namespace keel::onednn {

// NULL when oneDNN cannot take the call efficiently: different input and output layouts, a dtype oneDNN
// lacks, views it cannot describe, fewer than `min_elements` elements (its per-call overhead would dominate),
// or only its reference implementation available.
std::unique_ptr<Kernel> try_eltwise_primitive(const CallInfo& call, dnnl::algorithm algorithm, float alpha,
                                              float beta, int64_t min_elements);

}  // namespace keel::onednn
