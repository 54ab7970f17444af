// Typed queries of OpenCL platform, device, program and kernel information.
#pragma once

#include <CL/cl.h>

#include <string>
#include <vector>

#include "cl/error.h"

namespace keel::opencl {

std::string platform_string(cl_platform_id platform, cl_platform_info what);
std::string device_string(cl_device_id device, cl_device_info what);

// A fixed-size value (cl_uint, cl_ulong, size_t, ...) of a device.
template <class T>
T device_value(cl_device_id device, cl_device_info what) {
  T value{};
  check(clGetDeviceInfo(device, what, sizeof value, &value, nullptr), "clGetDeviceInfo");
  return value;
}

// True when the space-separated extension list names `extension`.
bool has_extension(const std::string& extensions, const char* extension);

// The platforms, or none when the ICD loader finds none (CL_PLATFORM_NOT_FOUND_KHR is not an error here).
std::vector<cl_platform_id> platforms();
// The devices of a platform (every type); none when it has none.
std::vector<cl_device_id> devices_of(cl_platform_id platform);

// "OpenCL 3.0 ..." → 300; 0 when the text does not start with "OpenCL <major>.<minor>".
int opencl_version(const std::string& version_text);

}  // namespace keel::opencl
