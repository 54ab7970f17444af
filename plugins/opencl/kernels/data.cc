#include "kernels/data.h"

#include <algorithm>
#include <cstring>

#include "cl/error.h"
#include "device.h"
#include "kernels/cl_sources.h"
#include "kernels/dtype.h"
#include "kernels/launch.h"
#include "kernels/programs.h"
#include "queue.h"

namespace keel::opencl {
namespace {

// The element range [lo, hi) a side touches, relative to the start of its buffer.
struct Extent {
  int64_t lo;
  int64_t hi;
};

Extent extent_of(const ClSide& side, int64_t count) {
  Extent extent{side.offset, side.offset + 1};
  if (count == 0) return {0, 0};
  for (int64_t k = 0; k < side.rank; ++k) {
    const int64_t reach = (side.shape[k] - 1) * side.stride[k];
    (reach < 0 ? extent.lo : extent.hi) += reach;
  }
  return extent;
}

// A dense row-major side of `count` elements at offset 0.
ClSide dense_side(int64_t count) {
  ClSide side;
  side.rank = 1;
  side.shape[0] = count;
  side.stride[0] = 1;
  return side;
}

void launch_copy(Stream& stream, const DataKernels& kernels, cl_mem dst, const ClSide& to, cl_mem src,
                 const ClSide& from, int64_t count) {
  const size_t size = kernels.element_size;
  if (is_dense(to) && is_dense(from)) {
    stream.copy(src, static_cast<uint64_t>(from.offset) * size, dst, static_cast<uint64_t>(to.offset) * size,
                static_cast<uint64_t>(count) * size);
    return;
  }
  KernelArgs args;
  args.mem(dst).mem(src).value(to).value(from).value<cl_long>(count);
  enqueue(stream, *kernels.copy, args, linear_range(static_cast<uint64_t>(count), element_group_size(*kernels.copy)));
}

}  // namespace

ProgramSpec data_program(size_t element_size) {
  const std::string bits = cl_bits_type(element_size);
  return {"data/" + bits, [bits](const DeviceInfo& /*device*/) {
            std::string source(cl_sources::common);
            source += "#define KEEL_BITS " + bits + "\n#define KEEL_NAME(x) x##_" + bits + "\n";
            source += cl_sources::data;
            return source;
          }};
}

DataKernels data_kernels(Device& device, size_t element_size) {
  Program& program = device.programs().get(data_program(element_size));
  const std::string bits = cl_bits_type(element_size);
  return {element_size, &program.kernel("keel_copy_" + bits), &program.kernel("keel_fill_" + bits)};
}

void enqueue_copy(Stream& stream, const DataKernels& kernels, cl_mem dst, const ClSide& to, cl_mem src,
                  const ClSide& from, int64_t count) {
  if (count == 0) return;
  const Extent written = extent_of(to, count);
  const Extent read = extent_of(from, count);
  const bool overlap = dst == src && written.lo < read.hi && read.lo < written.hi;
  if (!overlap) {
    launch_copy(stream, kernels, dst, to, src, from, count);
    return;
  }
  cl_int error = CL_SUCCESS;
  const ClRef<cl_mem> scratch(clCreateBuffer(stream.device().context(), CL_MEM_READ_WRITE,
                                             static_cast<size_t>(count) * kernels.element_size, nullptr, &error));
  check(error, "clCreateBuffer (scratch for an in-place copy)");
  launch_copy(stream, kernels, scratch.get(), dense_side(count), src, from, count);
  launch_copy(stream, kernels, dst, to, scratch.get(), dense_side(count), count);
  // The scratch buffer is released here; OpenCL frees it once the commands using it have finished.
}

void enqueue_fill(Stream& stream, const DataKernels& kernels, cl_mem dst, const ClSide& to, int64_t count,
                  uint64_t bits) {
  if (count == 0) return;
  const size_t size = kernels.element_size;
  if (is_dense(to)) {
    unsigned char pattern[8];
    std::memcpy(pattern, &bits, sizeof pattern);  // little-endian hosts and devices: the low bytes first
    stream.fill(dst, static_cast<uint64_t>(to.offset) * size, static_cast<uint64_t>(count) * size, pattern,
                static_cast<uint32_t>(size));
    return;
  }
  KernelArgs args;
  args.mem(dst).value(to).value<cl_long>(count);
  switch (size) {
    case 1: args.value(static_cast<cl_uchar>(bits)); break;
    case 2: args.value(static_cast<cl_ushort>(bits)); break;
    case 4: args.value(static_cast<cl_uint>(bits)); break;
    default: args.value(static_cast<cl_ulong>(bits)); break;
  }
  enqueue(stream, *kernels.fill, args, linear_range(static_cast<uint64_t>(count), element_group_size(*kernels.fill)));
}

}  // namespace keel::opencl
