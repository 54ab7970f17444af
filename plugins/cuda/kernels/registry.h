// The operators the CUDA plugin implements and their registration with the host. Every entry becomes one
// kernel, "cuda.<op>" (or "cuda.<op>.<variant>"), with its priority and the dtypes it accepts for the op's
// primary type variable. Adding an operator is one line here plus its compute function in kernels/ops.h.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "keel/keel_plugin.h"
#include "runtime/host.h"

namespace keel::cuda {

class Device;
class KernelCall;
class Queue;

// Validates the call and enqueues its work on `queue`; throws Error.
using ComputeFn = void (*)(const KernelCall& call, Queue& queue);
// Throws (UNIMPLEMENTED or UNAVAILABLE, with the reason) when the kernel cannot take the call. Buffers are
// absent.
using SupportsFn = void (*)(const KernelCall& call, const Device& device);

struct OpKernel {
  const char* op_name;
  const char* variant;  // "" or a suffix of the kernel name
  int32_t priority;
  std::span<const keel_dtype_t> dtypes;
  ComputeFn compute;
  SupportsFn supports;  // nullptr: the dtype list is the whole answer
};

std::span<const OpKernel> op_kernels();

// What each registration's kernel_ctx points at.
struct KernelContext {
  Host host;
  const OpKernel* op;
  std::string name;
};

// Registers every op_kernels() entry. Operators the host's spec does not know (an older libkeel) are
// skipped and logged. `contexts` must then stay put until shutdown: the host keeps pointers into it.
void register_kernels(const Host& host, std::vector<KernelContext>& contexts);

}  // namespace keel::cuda
