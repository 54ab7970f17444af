// A plan: everything about an operator call that depends only on its signature (op, attributes, dtypes,
// shapes, strides), worked out once by the kernel's create() and reused by every compute() with that
// signature. run() adds the buffers and byte offsets of one call and enqueues the work.
#pragma once

#include <memory>

#include "keel/keel_plugin.h"

namespace keel::opencl {

class Device;
class Queue;

class Plan {
 public:
  virtual ~Plan() = default;
  // Enqueues `call` on `queue`. Must be safe to call from several queues at once (plans are shared).
  virtual void run(Queue& queue, const keel_kernel_call_t& call) const = 0;
};

// A plan that does nothing (every output has zero elements).
class EmptyPlan final : public Plan {
 public:
  void run(Queue&, const keel_kernel_call_t&) const override {}
};

// Makes the plan of a call (buffers are NULL). Throws Error for calls the kernel cannot run.
using PlanFactory = std::unique_ptr<Plan> (*)(Device& device, const keel_kernel_call_t& call);

}  // namespace keel::opencl
