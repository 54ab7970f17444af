// Owning references to OpenCL objects: each ClRef releases its object once, and copies retain it.
#pragma once

#include <CL/cl.h>

#include <utility>

namespace keel::opencl {

template <class T>
struct ClTraits;

template <>
struct ClTraits<cl_context> {
  static void retain(cl_context object) { clRetainContext(object); }
  static void release(cl_context object) { clReleaseContext(object); }
};
template <>
struct ClTraits<cl_command_queue> {
  static void retain(cl_command_queue object) { clRetainCommandQueue(object); }
  static void release(cl_command_queue object) { clReleaseCommandQueue(object); }
};
template <>
struct ClTraits<cl_mem> {
  static void retain(cl_mem object) { clRetainMemObject(object); }
  static void release(cl_mem object) { clReleaseMemObject(object); }
};
template <>
struct ClTraits<cl_program> {
  static void retain(cl_program object) { clRetainProgram(object); }
  static void release(cl_program object) { clReleaseProgram(object); }
};
template <>
struct ClTraits<cl_kernel> {
  static void retain(cl_kernel object) { clRetainKernel(object); }
  static void release(cl_kernel object) { clReleaseKernel(object); }
};
template <>
struct ClTraits<cl_event> {
  static void retain(cl_event object) { clRetainEvent(object); }
  static void release(cl_event object) { clReleaseEvent(object); }
};

template <class T>
class ClRef {
 public:
  ClRef() = default;
  // Takes over a reference the caller owns (what a clCreate* call returned).
  explicit ClRef(T object) : object_(object) {}
  // A new reference to an object someone else owns.
  static ClRef retained(T object) {
    if (object != nullptr) ClTraits<T>::retain(object);
    return ClRef(object);
  }

  ClRef(const ClRef& other) : object_(other.object_) {
    if (object_ != nullptr) ClTraits<T>::retain(object_);
  }
  ClRef(ClRef&& other) noexcept : object_(std::exchange(other.object_, nullptr)) {}
  ClRef& operator=(ClRef other) noexcept {
    std::swap(object_, other.object_);
    return *this;
  }
  ~ClRef() { reset(); }

  T get() const { return object_; }
  T* out() {  // for clCreate* calls that return the object through a pointer
    reset();
    return &object_;
  }
  explicit operator bool() const { return object_ != nullptr; }
  void reset() {
    if (object_ != nullptr) ClTraits<T>::release(std::exchange(object_, nullptr));
  }

 private:
  T object_ = nullptr;
};

}  // namespace keel::opencl
