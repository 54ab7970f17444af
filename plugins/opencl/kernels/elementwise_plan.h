// One launch of a generated elementwise kernel over views of one shape (output first). Shared by the
// elementwise operators and cast.
#pragma once

#include <span>
#include <string>

#include "kernels/launch.h"
#include "programs/program_cache.h"
#include "kernels/plan.h"
#include "kernels/view.h"

namespace keel::opencl {

class ElementwisePlan final : public Plan {
 public:
  // `views`: the output, then the inputs broadcast to its shape. `kernel_base` lacks the _dense/_strided
  // suffix, which the layout decides.
  ElementwisePlan(Device& device, const ProgramSpec& program, const std::string& kernel_base,
                  std::span<const View> views);
  void run(Queue& queue, const keel_kernel_call_t& call) const override;

 private:
  ClLayout layout_;
  size_t tensors_;
  bool dense_ = false;
  Kernel* kernel_ = nullptr;
  Range range_;
};

// The plan of `call` (inputs broadcast to the output), or an EmptyPlan for a zero-size output.
std::unique_ptr<Plan> make_elementwise_plan(Device& device, const ProgramSpec& program,
                                            const std::string& kernel_base, const keel_kernel_call_t& call);

}  // namespace keel::opencl
