// OpenCL called directly: the anchor the plugin is measured against. One context and in-order queue on the
// first device (the one the plugin calls opencl:0), the hand-written kernels below, and plain buffers.
#pragma once

#include <CL/cl.h>

#include <cstddef>

namespace keel::bench {

class RawOpenCL {
 public:
  RawOpenCL();  // aborts with a message when OpenCL fails; available() is false without a device
  ~RawOpenCL();
  RawOpenCL(const RawOpenCL&) = delete;
  RawOpenCL& operator=(const RawOpenCL&) = delete;

  bool available() const { return queue_ != nullptr; }
  cl_command_queue queue() const { return queue_; }
  cl_mem buffer(size_t bytes, float value);  // released with the object
  // c[i] = a[i] + b[i], global size n, local size chosen by the driver.
  void vadd(cl_mem a, cl_mem b, cl_mem c, size_t n);
  // One work-item writing one float: the cheapest kernel there is.
  void tiny(cl_mem out);
  void finish();

 private:
  cl_context context_ = nullptr;
  cl_command_queue queue_ = nullptr;
  cl_program program_ = nullptr;
  cl_kernel vadd_ = nullptr;
  cl_kernel tiny_ = nullptr;
  cl_mem buffers_[16] = {};
  size_t buffer_count_ = 0;
};

}  // namespace keel::bench
