#include "raw_opencl.h"

#include <cstdio>
#include <cstdlib>
#include <vector>

namespace keel::bench {
namespace {

constexpr const char* kSource = R"(
__kernel void vadd(__global const float* a, __global const float* b, __global float* c) {
  const size_t i = get_global_id(0);
  c[i] = a[i] + b[i];
}
__kernel void tiny(__global float* out) { out[get_global_id(0)] = 1.0f; }
)";

void ok(cl_int error, const char* what) {
  if (error == CL_SUCCESS) return;
  std::fprintf(stderr, "bench_opencl: %s failed with OpenCL error %d\n", what, error);
  std::exit(1);
}

}  // namespace

RawOpenCL::RawOpenCL() {
  cl_uint platforms = 0;
  if (clGetPlatformIDs(0, nullptr, &platforms) != CL_SUCCESS || platforms == 0) return;
  std::vector<cl_platform_id> ids(platforms);
  ok(clGetPlatformIDs(platforms, ids.data(), nullptr), "clGetPlatformIDs");
  cl_device_id device = nullptr;
  for (cl_platform_id platform : ids) {
    if (clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 1, &device, nullptr) == CL_SUCCESS) break;
  }
  if (device == nullptr) return;
  cl_int error = CL_SUCCESS;
  context_ = clCreateContext(nullptr, 1, &device, nullptr, nullptr, &error);
  ok(error, "clCreateContext");
  queue_ = clCreateCommandQueue(context_, device, 0, &error);
  ok(error, "clCreateCommandQueue");
  const char* source = kSource;  // the API takes a non-const array of strings
  program_ = clCreateProgramWithSource(context_, 1, &source, nullptr, &error);
  ok(error, "clCreateProgramWithSource");
  ok(clBuildProgram(program_, 1, &device, "", nullptr, nullptr), "clBuildProgram");
  vadd_ = clCreateKernel(program_, "vadd", &error);
  ok(error, "clCreateKernel(vadd)");
  tiny_ = clCreateKernel(program_, "tiny", &error);
  ok(error, "clCreateKernel(tiny)");
}

RawOpenCL::~RawOpenCL() {
  for (size_t i = 0; i < buffer_count_; ++i) clReleaseMemObject(buffers_[i]);
  if (tiny_ != nullptr) clReleaseKernel(tiny_);
  if (vadd_ != nullptr) clReleaseKernel(vadd_);
  if (program_ != nullptr) clReleaseProgram(program_);
  if (queue_ != nullptr) clReleaseCommandQueue(queue_);
  if (context_ != nullptr) clReleaseContext(context_);
}

cl_mem RawOpenCL::buffer(size_t bytes, float value) {
  cl_int error = CL_SUCCESS;
  cl_mem mem = clCreateBuffer(context_, CL_MEM_READ_WRITE, bytes, nullptr, &error);
  ok(error, "clCreateBuffer");
  ok(clEnqueueFillBuffer(queue_, mem, &value, sizeof value, 0, bytes, 0, nullptr, nullptr), "clEnqueueFillBuffer");
  finish();
  buffers_[buffer_count_++] = mem;
  return mem;
}

void RawOpenCL::vadd(cl_mem a, cl_mem b, cl_mem c, size_t n) {
  clSetKernelArg(vadd_, 0, sizeof a, &a);
  clSetKernelArg(vadd_, 1, sizeof b, &b);
  clSetKernelArg(vadd_, 2, sizeof c, &c);
  ok(clEnqueueNDRangeKernel(queue_, vadd_, 1, nullptr, &n, nullptr, 0, nullptr, nullptr), "vadd");
}

void RawOpenCL::tiny(cl_mem out) {
  clSetKernelArg(tiny_, 0, sizeof out, &out);
  const size_t one = 1;
  ok(clEnqueueNDRangeKernel(queue_, tiny_, 1, nullptr, &one, nullptr, 0, nullptr, nullptr), "tiny");
}

void RawOpenCL::finish() { ok(clFinish(queue_), "clFinish"); }

}  // namespace keel::bench
