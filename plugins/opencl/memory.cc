#include "memory.h"

#include <algorithm>

#include "device.h"
#include "cl/error.h"
#include "handles.h"
#include "slots.h"

namespace keel::opencl {

void MemorySpace::properties(keel_memory_space_properties_t& inout) const {
  using P = keel_memory_space_properties_t;
  const size_t size = inout.struct_size;
  if (KEEL_STRUCT_HAS(size, P, name)) inout.name = "device";
  if (KEEL_STRUCT_HAS(size, P, kind)) inout.kind = KEEL_MEMORY_KIND_DEVICE;
  if (KEEL_STRUCT_HAS(size, P, host_accessible)) inout.host_accessible = 0;
  if (KEEL_STRUCT_HAS(size, P, capacity_bytes)) inout.capacity_bytes = capacity_;
  if (KEEL_STRUCT_HAS(size, P, min_alignment)) inout.min_alignment = alignment_;
}

void MemorySpace::reserve(uint64_t size) {
  if (size > largest_) {
    fail(KEEL_STATUS_RESOURCE_EXHAUSTED, "cannot allocate ", size, " bytes: the device's largest allocation is ",
         largest_, " bytes (CL_DEVICE_MAX_MEM_ALLOC_SIZE)");
  }
  const std::lock_guard lock(mutex_);
  if (size > capacity_ - bytes_in_use_) {
    fail(KEEL_STATUS_RESOURCE_EXHAUSTED, "cannot allocate ", size, " bytes: ", bytes_in_use_, " of the device's ",
         capacity_, " bytes are in use");
  }
  bytes_in_use_ += size;
  peak_bytes_in_use_ = std::max(peak_bytes_in_use_, bytes_in_use_);
  allocation_count_ += 1;
}

void MemorySpace::unreserve(uint64_t size) {
  const std::lock_guard lock(mutex_);
  bytes_in_use_ -= size;
  allocation_count_ -= 1;
}

void MemorySpace::stats(keel_memory_stats_t& inout) const {
  using S = keel_memory_stats_t;
  const std::lock_guard lock(mutex_);
  const size_t size = inout.struct_size;
  if (KEEL_STRUCT_HAS(size, S, bytes_in_use)) inout.bytes_in_use = bytes_in_use_;
  if (KEEL_STRUCT_HAS(size, S, bytes_limit)) inout.bytes_limit = capacity_;
  if (KEEL_STRUCT_HAS(size, S, peak_bytes_in_use)) inout.peak_bytes_in_use = peak_bytes_in_use_;
  if (KEEL_STRUCT_HAS(size, S, allocation_count)) inout.allocation_count = allocation_count_;
}

void MemorySpace::reset_peak() {
  const std::lock_guard lock(mutex_);
  peak_bytes_in_use_ = bytes_in_use_;
}

Buffer* Buffer::allocate(Device& device, uint64_t size, uint64_t alignment, bool zero_init) {
  if (alignment != 0 && (alignment & (alignment - 1)) != 0) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "alignment ", alignment, " is not a power of two");
  }
  // Alignment is about offsets inside the buffer for device memory (the host never sees its address); every
  // cl_mem starts at CL_DEVICE_MEM_BASE_ADDR_ALIGN, and larger requests are honoured by that too.
  MemorySpace& space = device.memory_space(0);
  space.reserve(size);
  try {
    ClRef<cl_mem> mem;
    if (size > 0) {
      cl_int error = CL_SUCCESS;
      mem = ClRef<cl_mem>(clCreateBuffer(device.context(), CL_MEM_READ_WRITE, size, nullptr, &error));
      if (error != CL_SUCCESS) {
        fail(status_code_of(error), "clCreateBuffer of ", size, " bytes failed: ", cl_error_name(error));
      }
      if (zero_init) {
        const cl_uchar zero = 0;
        ClRef<cl_event> done;
        check(clEnqueueFillBuffer(device.transfer_queue(), mem.get(), &zero, 1, 0, size, 0, nullptr, done.out()),
              "clEnqueueFillBuffer (zero-initializing the buffer)");
        const cl_event event = done.get();
        check(clWaitForEvents(1, &event), "zero-initializing the buffer");
      }
    }
    return new Buffer(device, std::move(mem), size);
  } catch (...) {
    space.unreserve(size);
    throw;
  }
}

Buffer::~Buffer() { device_.memory_space(0).unreserve(size_); }

void Buffer::check_range(uint64_t offset, uint64_t size, const char* what) const {
  if (offset > size_ || size > size_ - offset) {
    fail(KEEL_STATUS_OUT_OF_RANGE, what, " [", offset, ", ", offset, " + ", size, ") lies outside the buffer of ",
         size_, " bytes");
  }
}

void Buffer::write(uint64_t offset, const void* src, uint64_t size) {
  check_range(offset, size, "range");
  if (size == 0) return;
  if (src == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "src is NULL");
  check(clEnqueueWriteBuffer(device_.transfer_queue(), mem(), CL_TRUE, offset, size, src, 0, nullptr, nullptr),
        "clEnqueueWriteBuffer");
}

void Buffer::read(uint64_t offset, void* dst, uint64_t size) const {
  check_range(offset, size, "range");
  if (size == 0) return;
  if (dst == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "dst is NULL");
  check(clEnqueueReadBuffer(device_.transfer_queue(), mem(), CL_TRUE, offset, size, dst, 0, nullptr, nullptr),
        "clEnqueueReadBuffer");
}

void Buffer::copy(const Buffer& src, uint64_t src_offset, Buffer& dst, uint64_t dst_offset, uint64_t size) {
  src.check_range(src_offset, size, "source range");
  dst.check_range(dst_offset, size, "destination range");
  if (&src.device_ != &dst.device_) fail(KEEL_STATUS_INVALID_ARGUMENT, "the buffers belong to different devices");
  if (size == 0 || (&src == &dst && src_offset == dst_offset)) return;
  Device& device = dst.device_;
  const cl_command_queue queue = device.transfer_queue();
  ClRef<cl_event> done;
  if (&src == &dst && ranges_overlap(src_offset, dst_offset, size)) {
    // clEnqueueCopyBuffer refuses overlapping ranges (CL_MEM_COPY_OVERLAP): go through a scratch buffer.
    cl_int error = CL_SUCCESS;
    const ClRef<cl_mem> scratch(clCreateBuffer(device.context(), CL_MEM_READ_WRITE, size, nullptr, &error));
    check(error, "clCreateBuffer (scratch for an overlapping copy)");
    check(clEnqueueCopyBuffer(queue, src.mem(), scratch.get(), src_offset, 0, size, 0, nullptr, nullptr),
          "clEnqueueCopyBuffer");
    check(clEnqueueCopyBuffer(queue, scratch.get(), dst.mem(), 0, dst_offset, size, 0, nullptr, done.out()),
          "clEnqueueCopyBuffer");
  } else {
    check(clEnqueueCopyBuffer(queue, src.mem(), dst.mem(), src_offset, dst_offset, size, 0, nullptr, done.out()),
          "clEnqueueCopyBuffer");
  }
  const cl_event event = done.get();
  check(clWaitForEvents(1, &event), "waiting for clEnqueueCopyBuffer");
}

}  // namespace keel::opencl

using keel::opencl::Buffer;
using keel::opencl::Device;
using keel::opencl::fail;
using keel::opencl::from_handle;
using keel::opencl::to_handle;

extern "C" keel_status_t opencl_buffer_allocate(keel_plugin_device_t* handle, const keel_buffer_allocate_args_t* args,
                                                keel_plugin_buffer_t** out_buffer, void** out_host_ptr) {
  Device& device = *from_handle(handle);
  return device.host().guard("buffer_allocate", [&] {
    if (args == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "args is NULL");
    if (out_buffer == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "out_buffer is NULL");
    if (!KEEL_STRUCT_HAS(args->struct_size, keel_buffer_allocate_args_t, alignment)) {
      fail(KEEL_STATUS_INVALID_ARGUMENT, "args->struct_size ", args->struct_size, " is older than ABI 1.0");
    }
    device.memory_space(args->memory_space);  // OUT_OF_RANGE for a space that does not exist
    *out_buffer = to_handle(
        Buffer::allocate(device, args->size, args->alignment, (args->flags & KEEL_ALLOCATE_ZERO_INIT) != 0));
    if (out_host_ptr != nullptr) *out_host_ptr = nullptr;  // device memory is not host-accessible
  });
}

extern "C" void opencl_buffer_release(keel_plugin_buffer_t* handle) { delete from_handle(handle); }

extern "C" keel_status_t opencl_buffer_write(keel_plugin_buffer_t* handle, uint64_t offset, const void* src,
                                             uint64_t size) {
  Buffer& buffer = *from_handle(handle);
  return buffer.device().host().guard("buffer_write", [&] { buffer.write(offset, src, size); });
}

extern "C" keel_status_t opencl_buffer_read(keel_plugin_buffer_t* handle, uint64_t offset, void* dst, uint64_t size) {
  const Buffer& buffer = *from_handle(handle);
  return buffer.device().host().guard("buffer_read", [&] { buffer.read(offset, dst, size); });
}

extern "C" keel_status_t opencl_buffer_copy(keel_plugin_buffer_t* src, uint64_t src_offset, keel_plugin_buffer_t* dst,
                                            uint64_t dst_offset, uint64_t size) {
  Buffer& destination = *from_handle(dst);
  return destination.device().host().guard(
      "buffer_copy", [&] { Buffer::copy(*from_handle(src), src_offset, destination, dst_offset, size); });
}
