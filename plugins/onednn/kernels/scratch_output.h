// Runs a kernel so that overlapping inputs and outputs come out right: when an output overlaps an input
// (other than as the identical view an elementwise kernel handles), the kernel writes a dense scratch copy
// of that output, which is copied into place once every input has been read.
#pragma once

#include "kernel.h"

namespace keel::onednn {

void run_checked(const Kernel& kernel, Queue& queue, const keel_kernel_call_t& call);

}  // namespace keel::onednn
