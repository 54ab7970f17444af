// A plan made of view-to-view copies: reshape, permute, slice, concat, split, tile and same-dtype cast.
#pragma once

#include <vector>

#include "kernels/data.h"
#include "kernels/plan.h"

namespace keel::opencl {

class CopyPlan final : public Plan {
 public:
  // One copy from input `input` into output `output`. The sides' offsets are relative to each tensor's own
  // offset, which run() adds.
  struct Piece {
    size_t input = 0;
    ClSide to;
    ClSide from;
    int64_t count = 0;
    size_t output = 0;
  };

  CopyPlan(DataKernels kernels, std::vector<Piece> pieces) : kernels_(kernels), pieces_(std::move(pieces)) {}
  void run(Queue& queue, const keel_kernel_call_t& call) const override;

 private:
  DataKernels kernels_;
  std::vector<Piece> pieces_;
};

// A plan copying view `from` of input 0 into view `to` of the output (row-major order on both sides).
std::unique_ptr<Plan> make_copy_plan(Device& device, const View& to, const View& from);

}  // namespace keel::opencl
