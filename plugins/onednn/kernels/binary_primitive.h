// A oneDNN binary primitive for add / sub / mul / div on f32: y = a op b with b broadcast to a's shape
// (oneDNN 2.6 broadcasts only its second source, so a commutative op swaps its operands when a is the one
// that broadcasts). In-place calls are fine.
#pragma once

#include <memory>
#include <oneapi/dnnl/dnnl.hpp>

#include "kernel.h"

namespace keel::onednn {

// NULL when oneDNN cannot take the call efficiently: a dtype it lacks, fewer than `min_elements` elements, a
// first operand that broadcasts (for non-commutative ops), views it cannot describe, or only its reference
// implementation available.
std::unique_ptr<Kernel> try_binary_primitive(const CallInfo& call, dnnl::algorithm algorithm, bool commutative,
                                             int64_t min_elements);

}  // namespace keel::onednn
