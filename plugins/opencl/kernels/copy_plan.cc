#include "kernels/copy_plan.h"

#include "cl/error.h"
#include "cl/handle.h"
#include "kernels/call.h"
#include "kernels/dtype.h"
#include "queue.h"

namespace keel::opencl {

void CopyPlan::run(Queue& queue, const keel_kernel_call_t& call) const {
  struct Bound {
    ClRef<cl_mem> dst;
    ClRef<cl_mem> src;
    ClSide to;
    ClSide from;
    int64_t count;
  };
  std::vector<Bound> bound;
  for (const Piece& piece : pieces_) {
    if (piece.count == 0) continue;
    const keel_tensor_desc_t& y = output_desc(call, piece.output);
    const keel_tensor_desc_t& x = input_desc(call, piece.input);
    Bound b{ClRef<cl_mem>::retained(buffer_of(y)), ClRef<cl_mem>::retained(buffer_of(x)), piece.to, piece.from,
            piece.count};
    b.to.offset += element_offset(y);
    b.from.offset += element_offset(x);
    bound.push_back(std::move(b));
  }
  if (bound.empty()) return;
  queue.submit([kernels = kernels_, bound = std::move(bound)](Stream& stream) {
    for (const Bound& b : bound) enqueue_copy(stream, kernels, b.dst.get(), b.to, b.src.get(), b.from, b.count);
  });
}

std::unique_ptr<Plan> make_copy_plan(Device& device, const View& to, const View& from) {
  if (to.count() != from.count()) fail(KEEL_STATUS_INVALID_ARGUMENT, "the element counts disagree");
  if (dtype_size(to.dtype) != dtype_size(from.dtype)) fail(KEEL_STATUS_INVALID_ARGUMENT, "the dtypes disagree");
  if (to.count() == 0) return std::make_unique<EmptyPlan>();
  std::vector<CopyPlan::Piece> pieces = {{0, side_of(to), side_of(from), to.count()}};
  return std::make_unique<CopyPlan>(data_kernels(device, dtype_size(to.dtype)), std::move(pieces));
}

}  // namespace keel::opencl
