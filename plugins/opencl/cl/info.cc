#include "cl/info.h"

#include <cstdio>
#include <sstream>

namespace keel::opencl {

std::string platform_string(cl_platform_id platform, cl_platform_info what) {
  size_t size = 0;
  check(clGetPlatformInfo(platform, what, 0, nullptr, &size), "clGetPlatformInfo");
  std::string text(size, '\0');
  check(clGetPlatformInfo(platform, what, size, text.data(), nullptr), "clGetPlatformInfo");
  while (!text.empty() && text.back() == '\0') text.pop_back();
  return text;
}

std::string device_string(cl_device_id device, cl_device_info what) {
  size_t size = 0;
  check(clGetDeviceInfo(device, what, 0, nullptr, &size), "clGetDeviceInfo");
  std::string text(size, '\0');
  check(clGetDeviceInfo(device, what, size, text.data(), nullptr), "clGetDeviceInfo");
  while (!text.empty() && text.back() == '\0') text.pop_back();
  return text;
}

bool has_extension(const std::string& extensions, const char* extension) {
  std::istringstream words(extensions);
  std::string word;
  while (words >> word) {
    if (word == extension) return true;
  }
  return false;
}

std::vector<cl_platform_id> platforms() {
  cl_uint count = 0;
  const cl_int error = clGetPlatformIDs(0, nullptr, &count);
  if (error == -1001 /* CL_PLATFORM_NOT_FOUND_KHR */ || count == 0) return {};
  check(error, "clGetPlatformIDs");
  std::vector<cl_platform_id> list(count);
  check(clGetPlatformIDs(count, list.data(), nullptr), "clGetPlatformIDs");
  return list;
}

std::vector<cl_device_id> devices_of(cl_platform_id platform) {
  cl_uint count = 0;
  const cl_int error = clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 0, nullptr, &count);
  if (error == CL_DEVICE_NOT_FOUND || count == 0) return {};
  check(error, "clGetDeviceIDs");
  std::vector<cl_device_id> list(count);
  check(clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, count, list.data(), nullptr), "clGetDeviceIDs");
  return list;
}

int opencl_version(const std::string& version_text) {
  int major = 0;
  int minor = 0;
  if (std::sscanf(version_text.c_str(), "OpenCL %d.%d", &major, &minor) != 2) return 0;
  return major * 100 + minor * 10;
}

}  // namespace keel::opencl
