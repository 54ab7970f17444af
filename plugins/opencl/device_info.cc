#include "device_info.h"

#include <CL/cl_ext.h>

#include <cstdio>

#include "cl/info.h"

namespace keel::opencl {
namespace {

keel_device_type_t keel_type(cl_device_type type, bool host_unified_memory) {
  if (type & CL_DEVICE_TYPE_GPU) return host_unified_memory ? KEEL_DEVICE_TYPE_IGPU : KEEL_DEVICE_TYPE_GPU;
  if (type & CL_DEVICE_TYPE_CPU) return KEEL_DEVICE_TYPE_CPU;
  if (type & (CL_DEVICE_TYPE_ACCELERATOR | CL_DEVICE_TYPE_CUSTOM)) return KEEL_DEVICE_TYPE_ACCEL;
  return KEEL_DEVICE_TYPE_UNKNOWN;
}

}  // namespace

DeviceInfo DeviceInfo::query(cl_platform_id platform, cl_device_id device) {
  DeviceInfo info;
  info.platform = platform;
  info.device = device;
  info.name = device_string(device, CL_DEVICE_NAME);
  info.vendor = device_string(device, CL_DEVICE_VENDOR);
  info.driver_version = device_string(device, CL_DRIVER_VERSION);
  info.device_version = device_string(device, CL_DEVICE_VERSION);
  info.c_version = device_string(device, CL_DEVICE_OPENCL_C_VERSION);
  info.platform_name = platform_string(platform, CL_PLATFORM_NAME);
  info.platform_version = platform_string(platform, CL_PLATFORM_VERSION);
  info.extensions = device_string(device, CL_DEVICE_EXTENSIONS);
  info.version = opencl_version(info.device_version);

  const auto type = device_value<cl_device_type>(device, CL_DEVICE_TYPE);
  const auto unified = device_value<cl_bool>(device, CL_DEVICE_HOST_UNIFIED_MEMORY);
  info.type = keel_type(type, unified == CL_TRUE);
  info.global_memory = device_value<cl_ulong>(device, CL_DEVICE_GLOBAL_MEM_SIZE);
  info.max_allocation = device_value<cl_ulong>(device, CL_DEVICE_MAX_MEM_ALLOC_SIZE);
  info.local_memory = device_value<cl_ulong>(device, CL_DEVICE_LOCAL_MEM_SIZE);
  info.compute_units = device_value<cl_uint>(device, CL_DEVICE_MAX_COMPUTE_UNITS);
  info.base_alignment = device_value<cl_uint>(device, CL_DEVICE_MEM_BASE_ADDR_ALIGN) / 8;
  info.max_work_group = device_value<size_t>(device, CL_DEVICE_MAX_WORK_GROUP_SIZE);
  info.max_parameter_size = device_value<size_t>(device, CL_DEVICE_MAX_PARAMETER_SIZE);

  info.fp64 = has_extension(info.extensions, "cl_khr_fp64");
  info.fp16 = has_extension(info.extensions, "cl_khr_fp16");
  const auto single = device_value<cl_device_fp_config>(device, CL_DEVICE_SINGLE_FP_CONFIG);
  info.correctly_rounded_divide = (single & CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT) != 0;
  info.denormals = (single & CL_FP_DENORM) != 0;
  info.hardware_fma = (single & CL_FP_FMA) != 0;

  if (has_extension(info.extensions, "cl_khr_device_uuid")) {
    std::array<uint8_t, CL_UUID_SIZE_KHR> uuid{};
    if (clGetDeviceInfo(device, CL_DEVICE_UUID_KHR, uuid.size(), uuid.data(), nullptr) == CL_SUCCESS) {
      info.uuid = uuid;
    }
  }
  if (has_extension(info.extensions, "cl_khr_pci_bus_info")) {
    cl_device_pci_bus_info_khr bus{};
    if (clGetDeviceInfo(device, CL_DEVICE_PCI_BUS_INFO_KHR, sizeof bus, &bus, nullptr) == CL_SUCCESS) {
      char text[32];
      std::snprintf(text, sizeof text, "%04x:%02x:%02x.%x", bus.pci_domain & 0xffffu, bus.pci_bus & 0xffu,
                    bus.pci_device & 0x1fu, bus.pci_function & 0x7u);
      info.pci_bus_id = text;
    }
  }
  return info;
}

std::string DeviceInfo::unsupported_reason() const {
  if (version < 120) return concat("it implements ", device_version, "; the plugin needs OpenCL 1.2 or newer");
  if (device_value<cl_bool>(device, CL_DEVICE_AVAILABLE) != CL_TRUE) return "the driver marks it unavailable";
  if (device_value<cl_bool>(device, CL_DEVICE_COMPILER_AVAILABLE) != CL_TRUE) {
    return "it has no OpenCL C compiler (kernels are built from source)";
  }
  if (max_parameter_size < 1024) {
    return concat("its kernel arguments are limited to ", max_parameter_size, " bytes (the plugin needs 1024)");
  }
  return "";
}

}  // namespace keel::opencl
