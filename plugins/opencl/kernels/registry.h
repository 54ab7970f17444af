// The operators the OpenCL plugin implements and their registration with the host. Every operator gets one
// registration: kernel "opencl.<op>", priority 0, any strides, and the dtypes the plugin computes among
// those the spec allows. The kernel's create() makes a Plan (plan.h), compute() runs it.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "host.h"
#include "kernels/plan.h"

namespace keel::opencl {

struct OpKernel {
  const char* op_name;
  std::span<const keel_dtype_t> dtypes;  // accepted for the op's primary type variable
  PlanFactory plan;
};

// Every operator this plugin implements.
std::span<const OpKernel> op_kernels();

// What the kernel_ctx of a registration points at.
struct KernelContext {
  Host host;
  const OpKernel* op;
  std::string name;  // "opencl.<op>"
};

// Registers every op_kernels() entry with the host. Operators the host's spec does not know (a plugin newer
// than the host) are skipped. `contexts` must then stay put until shutdown.
void register_kernels(const Host& host, std::vector<KernelContext>& contexts);

}  // namespace keel::opencl
