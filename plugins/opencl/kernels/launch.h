// Kernel launches: the arguments of one launch, its NDRange, and the hand-off to a queue.
#pragma once

#include <CL/cl.h>

#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>

#include "cl/handle.h"
#include "programs/program_cache.h"

namespace keel::opencl {

class Queue;
class Stream;

// The arguments of one launch, in order. Buffers are retained, so a launch held back behind a queue_wait
// keeps them alive; values are copied.
class KernelArgs {
 public:
  KernelArgs& mem(cl_mem buffer);
  template <class T>
  KernelArgs& value(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    const size_t at = bytes_.size();
    bytes_.resize(at + sizeof(T));
    std::memcpy(bytes_.data() + at, &v, sizeof(T));
    args_.push_back(Arg{sizeof(T), at, Kind::kValue});
    return *this;
  }
  // A __local buffer of `size` bytes.
  KernelArgs& local(size_t size);

  // clSetKernelArg for every argument; the caller holds the kernel's mutex.
  void apply(cl_kernel kernel) const;

 private:
  enum class Kind { kMem, kValue, kLocal };
  struct Arg {
    size_t size;
    size_t at;  // into bytes_ (values) or mems_ (buffers)
    Kind kind;
  };
  std::vector<Arg> args_;
  std::vector<unsigned char> bytes_;
  std::vector<ClRef<cl_mem>> mems_;
};

struct Range {
  cl_uint dims = 1;
  size_t global[3] = {1, 1, 1};
  size_t local[3] = {1, 1, 1};
};

// A 1-D range of `count` work-items in groups of `group` (the global size is rounded up; kernels check
// their id against the count).
Range linear_range(uint64_t count, size_t group);

// The work-group size for 1-D element loops of `kernel` on its device.
size_t element_group_size(const Kernel& kernel);

// Sets the arguments and enqueues `kernel` on `stream` (holding the kernel's mutex in between).
void enqueue(Stream& stream, Kernel& kernel, const KernelArgs& args, const Range& range);
// Enqueues it on `queue` (now, or later behind a queue_wait).
void submit(Queue& queue, Kernel& kernel, KernelArgs args, const Range& range);

}  // namespace keel::opencl
