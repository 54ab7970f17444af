#include "kernels/launch.h"

#include <mutex>

#include "cl/error.h"
#include "queue.h"

namespace keel::opencl {
namespace {

// Work-items per group for element loops. Large enough that per-group overhead vanishes on CPU devices,
// small enough for every GPU.
constexpr size_t kElementGroup = 256;

}  // namespace

KernelArgs& KernelArgs::mem(cl_mem buffer) {
  args_.push_back(Arg{sizeof(cl_mem), mems_.size(), Kind::kMem});
  mems_.push_back(ClRef<cl_mem>::retained(buffer));
  return *this;
}

KernelArgs& KernelArgs::local(size_t size) {
  args_.push_back(Arg{size, 0, Kind::kLocal});
  return *this;
}

void KernelArgs::apply(cl_kernel kernel) const {
  for (size_t i = 0; i < args_.size(); ++i) {
    const Arg& arg = args_[i];
    cl_int error = CL_SUCCESS;
    switch (arg.kind) {
      case Kind::kMem: {
        const cl_mem buffer = mems_[arg.at].get();
        error = clSetKernelArg(kernel, static_cast<cl_uint>(i), sizeof buffer, &buffer);
        break;
      }
      case Kind::kValue: error = clSetKernelArg(kernel, static_cast<cl_uint>(i), arg.size, bytes_.data() + arg.at); break;
      case Kind::kLocal: error = clSetKernelArg(kernel, static_cast<cl_uint>(i), arg.size, nullptr); break;
    }
    if (error != CL_SUCCESS) fail(KEEL_STATUS_INTERNAL, "clSetKernelArg(", i, ") failed: ", cl_error_name(error));
  }
}

Range linear_range(uint64_t count, size_t group) {
  Range range;
  range.dims = 1;
  range.local[0] = group;
  range.global[0] = static_cast<size_t>((count + group - 1) / group * group);
  return range;
}

size_t element_group_size(const Kernel& kernel) {
  size_t group = kElementGroup;
  while (group > kernel.work_group_size() && group > 1) group /= 2;
  return group;
}

void enqueue(Stream& stream, Kernel& kernel, const KernelArgs& args, const Range& range) {
  cl_event event = nullptr;
  {
    const std::lock_guard lock(kernel.mutex());
    args.apply(kernel.get());
    const cl_int error = clEnqueueNDRangeKernel(stream.queue(), kernel.get(), range.dims, nullptr, range.global,
                                                range.local, 0, nullptr, &event);
    if (error != CL_SUCCESS) {
      fail(status_code_of(error), "clEnqueueNDRangeKernel(", kernel.name(), ") failed: ", cl_error_name(error));
    }
  }
  stream.track(event, "a kernel");
}

void submit(Queue& queue, Kernel& kernel, KernelArgs args, const Range& range) {
  queue.submit([&kernel, args = std::move(args), range](Stream& stream) { enqueue(stream, kernel, args, range); });
}

}  // namespace keel::opencl
