// The table of operators the reference plugin implements, and their registration with the host. Every
// operator gets one registration: kernel "reference.<op>", priority 0, any strides, and the dtypes this plugin
// computes among those the spec allows for the op's primary type variable.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "host.h"
#include "keel/keel_plugin.h"

namespace keel::reference {

class KernelCall;

// Computes one call synchronously; throws Error on failure.
using ComputeFn = void (*)(const KernelCall& call);

struct OpKernel {
  const char* op_name;
  std::span<const keel_dtype_t> dtypes;  // accepted for the op's primary type variable
  ComputeFn compute;
};

// Every operator of the spec, in spec order.
std::span<const OpKernel> op_kernels();

// What the kernel_ctx of a registration points at.
struct KernelContext {
  Host host;
  const OpKernel* op;
  std::string name;  // "reference.<op>"
};

// Registers every op_kernels() entry with the host. `contexts` is filled first and must then stay put (the
// host keeps pointers into it) until shutdown.
void register_kernels(const Host& host, std::vector<KernelContext>& contexts);

}  // namespace keel::reference
